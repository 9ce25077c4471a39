"""SQLite store: migrations, atomic policy writes, events and usage that survive reopening."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.migrations import MIGRATIONS
from kiteguard.proxy.store import Event, Store, StoreError

NOW = datetime(2026, 11, 30, 5, 0, tzinfo=timezone.utc)


def test_a_new_database_gets_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.sqlite3")
    assert store.schema_version == len(MIGRATIONS)
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"


def test_a_database_from_a_newer_kiteguard_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(StoreError, match="newer than this Kiteguard"):
        Store(path)


def test_policy_revisions_count_up_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "k.sqlite3"
    store = Store(path)
    assert store.load_policy() is None
    assert store.save_policy("a = 1\n", NOW) == 1
    assert store.save_policy("a = 2\n", NOW) == 2
    store.close()
    stored = Store(path).load_policy()
    assert stored is not None and stored.toml == "a = 2\n" and stored.revision == 2


def test_events_round_trip_and_prune(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.sqlite3")
    old = Event(NOW - timedelta(days=40), "an", "old.test", "adult", "block", "blocklist", "x")
    new = Event(NOW, "an", "new.test", None, "block", "custom", "deny new.test")
    store.add_events([old, new])
    assert [e.host for e in store.events()] == ["new.test", "old.test"]
    assert store.prune_events(NOW - timedelta(days=30)) == 1
    assert [e.host for e in store.events(profile="an")] == ["new.test"]


def test_usage_adds_up_per_day(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.sqlite3")
    day = date(2026, 11, 30)
    store.add_usage("an", day, "video", 60)
    store.add_usage("an", day, "video", 30)
    store.add_bonus("an", day, "video", 15)
    assert store.usage_on(day) == {("an", "video"): (90.0, 15)}
    assert store.usage_on(day + timedelta(days=1)) == {}
