"""A damaged compiled blocklist: the last good lists stay in force, and the parent is alerted.

A disk error or an interrupted copy can leave a compiled file that is short, foreign, or the
right size with garbage inside. The proxy must neither stop blocking (the lists silently gone)
nor block everything (every lookup failing closed).
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest
from faultprobe import get, serves_normal_page

from kiteguard.blocklists.matcher import HEADER, POINTER_NAME, compiled_path
from kiteguard.proxy.paths import Home
from kiteguard.proxy.store import Store

from kgtest import Kiteguard

LISTED = "http://pornhub.com/"  # in the starter adult list; the hostile policy blocks adult


def _garbled(good: bytes) -> bytes:
    rng = random.Random(3)
    return good[: HEADER.size] + bytes(rng.getrandbits(8) for _ in range(len(good) - HEADER.size))


@pytest.mark.parametrize("damage", [
    lambda good: good[: len(good) // 2],  # cut short
    lambda good: b"this is not a compiled list\n" * 100,  # foreign
    _garbled,  # right size and header, garbage tables
], ids=["truncated", "foreign", "garbled"])
def test_a_damaged_compiled_list_keeps_the_last_good_one_and_alerts(hostile_proxy: Kiteguard, damage) -> None:  # noqa: ANN001
    lists_dir = Home(hostile_proxy.home).lists_dir
    assert get(hostile_proxy.proxy_port, LISTED).status == 403
    good = compiled_path(lists_dir)
    assert good is not None
    broken = lists_dir / f"compiled-{os.urandom(6).hex()}.kgbl"
    broken.write_bytes(damage(good.read_bytes()))
    pointer = lists_dir / (POINTER_NAME + ".tmp")
    pointer.write_text(broken.name, encoding="ascii")
    os.replace(pointer, lists_dir / POINTER_NAME)  # as a list update swaps it in
    try:
        time.sleep(2.5)  # the proxy looks at the pointer at most every 2 s
        for _ in range(3):
            assert get(hostile_proxy.proxy_port, LISTED).status == 403  # still blocked by the good lists
            assert serves_normal_page(hostile_proxy.proxy_port)  # and not everything blocked
        assert _alerted(hostile_proxy.home, broken.name)
    finally:
        pointer.write_text(good.name, encoding="ascii")
        os.replace(pointer, lists_dir / POINTER_NAME)


def _alerted(home: Path, name: str, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        store = Store(Home(home).db_path)
        try:
            if any(row["kind"] == "lists" and name in row["detail"] for row in store.alerts()):
                return True
        finally:
            store.close()
        time.sleep(0.2)
    return False
