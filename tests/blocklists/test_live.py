"""The compiled lists serving the proxy's real Runtime (``policy.CategoryLookup``)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from blocklist_files import write

from kiteguard.blocklists.live import open_lists
from kiteguard.blocklists.registry import SourceRegistry
from kiteguard.proxy import policy
from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.urls import parse_url

NOW = datetime(2026, 11, 28, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hanoi


def decide(runtime: Runtime, url: str) -> tuple[str, str | None, str]:
    decision = runtime.decide(policy.RequestFacts(url=parse_url(url)), None, now=NOW)
    detail = decision.reasons[0].detail if decision.reasons else ""
    return decision.action, decision.category, detail


def test_the_runtime_blocks_with_the_lists_and_follows_an_import(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    ticks = [0.0]
    store = Store(home.db_path)
    try:
        runtime = Runtime(home, store, clock=lambda: NOW, lists=open_lists(home.lists_dir, clock=lambda: ticks[0]))
        check_runtime(runtime, home, tmp_path, ticks)
    finally:
        store.close()


def check_runtime(runtime: Runtime, home: Home, tmp_path: Path, ticks: list[float]) -> None:
    # the starter list is in force on a fresh install; the default profile blocks gambling
    assert decide(runtime, "https://fb88.com/") == ("block", "gambling", "fb88.com in Kiteguard starter list")
    assert decide(runtime, "https://casino-moi.example/")[0] == "allow"

    registry = SourceRegistry(home.lists_dir)
    registry.import_file(write(tmp_path / "vn.txt", "casino-moi.example\n"), "gambling", None, NOW)
    registry.compile()
    ticks[0] = 5.0  # the proxy looks for a new compiled file every 2 s
    assert decide(runtime, "https://www.casino-moi.example/")[:2] == ("block", "gambling")
