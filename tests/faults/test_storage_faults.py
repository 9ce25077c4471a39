"""The database locked by another program, or the disk full: filtering goes on, nothing is lost
silently. Events wait in memory and are written once the disk is back; what overflows the queue
is counted and shown in /healthz.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultprobe import (
    get,
    health,
    serves_normal_page,
    start_small_queue_kiteguard,
    stored_events,
)

from kiteguard.proxy.paths import Home

from kgtest import Kiteguard, Upstream

QUEUE = 40

# Another program takes the database's write lock and keeps it until it lets go.
LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=20)
db.execute("BEGIN EXCLUSIVE")
db.execute("CREATE TABLE IF NOT EXISTS locker_was_here (x)")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


def _until(condition, seconds: float = 20.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _blocked_visits(kiteguard: Kiteguard, count: int) -> None:
    for index in range(count):
        fetched = get(kiteguard.proxy_port, f"http://blocked.test/visit{index}", headers={"Accept": "text/html"})
        assert fetched.status == 403  # the block page: decisions go on


@pytest.fixture
def small_queue_proxy(tmp_path: Path, fault_site: Upstream) -> Iterator[Kiteguard]:
    running = start_small_queue_kiteguard(tmp_path / "home", fault_site, QUEUE)
    yield running
    running.stop()


def test_a_locked_database_does_not_stop_filtering(small_queue_proxy: Kiteguard) -> None:
    kiteguard = small_queue_proxy
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(Home(kiteguard.home).db_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout is not None and locker.stdout.readline().strip() == "locked"
        _blocked_visits(kiteguard, 10)
        assert serves_normal_page(kiteguard.proxy_port)
        assert health(kiteguard.ui_port)["events_pending"] == 10  # waiting in memory, not lost
    finally:
        locker.communicate("", timeout=20)
    assert _until(lambda: health(kiteguard.ui_port)["events_pending"] == 0)
    assert stored_events(kiteguard.home) == 10
    assert health(kiteguard.ui_port)["events_dropped"] == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (needs root): room for the CA and a fresh database, then nothing more."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to fill (needs root): {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_counts_what_it_cannot_keep_and_writes_the_rest_later(tiny_disk: Path,
                                                                           fault_site: Upstream) -> None:
    kiteguard = start_small_queue_kiteguard(tiny_disk / "home", fault_site, QUEUE)
    filler = tiny_disk / "filler"
    try:
        with open(filler, "wb") as handle, contextlib.suppress(OSError):
            while True:
                handle.write(b"\0" * 65536)  # until ENOSPC
                handle.flush()
        _blocked_visits(kiteguard, QUEUE + 15)
        assert serves_normal_page(kiteguard.proxy_port)
        status = health(kiteguard.ui_port)
        assert status["events_pending"] == QUEUE
        assert status["events_dropped"] == 15  # counted, and shown to the parent
        filler.unlink()  # the disk has room again
        assert _until(lambda: health(kiteguard.ui_port)["events_pending"] == 0)
        assert stored_events(kiteguard.home) == QUEUE
        assert serves_normal_page(kiteguard.proxy_port)
    finally:
        kiteguard.stop()
