"""SQLite storage for policy, events, usage, requests, grants and alerts.

One connection in WAL mode, guarded by a lock so the event loop's writer thread and request
handlers can share it. Every method is one transaction: a crash leaves the old or the new
state, never half of one. Callers on the event loop run these methods with
``asyncio.to_thread``; they are quick, but they do touch the disk.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .migrations import MIGRATIONS


class StoreError(RuntimeError):
    """The database cannot be opened or is newer than this Kiteguard."""


@dataclass(frozen=True)
class Event:
    at: datetime
    profile: str
    host: str
    category: str | None
    action: str
    source: str
    detail: str
    url: str | None = None  # only kept when the parent turned full-URL logging on


@dataclass(frozen=True)
class StoredPolicy:
    toml: str
    revision: int
    updated_at: datetime


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, timeout=5.0, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        self._lock = threading.RLock()
        self._migrate()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cursor = self._db.execute(sql, tuple(params))
            cursor.row_factory = sqlite3.Row
            return cursor.fetchall()

    @property
    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise StoreError(
                f"the database {self.path} has schema version {current}, newer than this Kiteguard "
                f"({len(MIGRATIONS)}); upgrade Kiteguard"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            with self.transaction() as db:
                for statement in _statements(MIGRATIONS[version - 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    # -- policy --------------------------------------------------------------------------------------

    def load_policy(self) -> StoredPolicy | None:
        rows = self.query("SELECT toml, revision, updated_at FROM policy WHERE id = 1")
        if not rows:
            return None
        row = rows[0]
        return StoredPolicy(row["toml"], row["revision"], datetime.fromisoformat(row["updated_at"]))

    def policy_revision(self) -> int:
        rows = self.query("SELECT revision FROM policy WHERE id = 1")
        return int(rows[0][0]) if rows else 0

    def save_policy(self, toml: str, now: datetime | None = None) -> int:
        """Replace the policy in one transaction and return its new revision."""
        stamp = (now or datetime.now(timezone.utc)).isoformat()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO policy (id, toml, revision, updated_at) VALUES (1, ?, 1, ?) "
                "ON CONFLICT (id) DO UPDATE SET toml = excluded.toml, revision = revision + 1, "
                "updated_at = excluded.updated_at",
                (toml, stamp),
            )
            return int(db.execute("SELECT revision FROM policy WHERE id = 1").fetchone()[0])

    # -- events --------------------------------------------------------------------------------------

    def add_events(self, events: Iterable[Event]) -> int:
        rows = [
            (e.at.isoformat(), e.profile, e.host, e.url, e.category, e.action, e.source, e.detail) for e in events
        ]
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO events (at, profile, host, url, category, action, source, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def events(self, *, since: datetime | None = None, profile: str | None = None, limit: int = 500) -> list[Event]:
        sql, params = "SELECT * FROM events WHERE 1 = 1", []
        if since is not None:
            sql += " AND at >= ?"
            params.append(since.isoformat())
        if profile is not None:
            sql += " AND profile = ?"
            params.append(profile)
        sql += " ORDER BY at DESC, id DESC LIMIT ?"
        params.append(limit)
        return [
            Event(
                at=datetime.fromisoformat(row["at"]),
                profile=row["profile"],
                host=row["host"],
                category=row["category"],
                action=row["action"],
                source=row["source"],
                detail=row["detail"],
                url=row["url"],
            )
            for row in self.query(sql, params)
        ]

    def prune_events(self, before: datetime) -> int:
        with self.transaction() as db:
            return db.execute("DELETE FROM events WHERE at < ?", (before.isoformat(),)).rowcount

    # -- usage ---------------------------------------------------------------------------------------

    def add_usage(self, profile: str, day: date, category: str, seconds: float) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO usage (profile, day, category, seconds) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (profile, day, category) DO UPDATE SET seconds = seconds + excluded.seconds",
                (profile, day.isoformat(), category, seconds),
            )

    def add_bonus(self, profile: str, day: date, category: str, minutes: int) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO usage (profile, day, category, bonus_minutes) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (profile, day, category) DO UPDATE "
                "SET bonus_minutes = bonus_minutes + excluded.bonus_minutes",
                (profile, day.isoformat(), category, minutes),
            )

    def usage_on(self, day: date, profile: str | None = None) -> dict[tuple[str, str], tuple[float, int]]:
        """(profile, category) -> (seconds used, bonus minutes) on a local day."""
        sql, params = "SELECT profile, category, seconds, bonus_minutes FROM usage WHERE day = ?", [day.isoformat()]
        if profile is not None:
            sql += " AND profile = ?"
            params.append(profile)
        return {(r["profile"], r["category"]): (r["seconds"], r["bonus_minutes"]) for r in self.query(sql, params)}

    # -- grants --------------------------------------------------------------------------------------

    def save_grant(self, profile: str, host: str, kind: str, until: datetime) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO grants (profile, host, kind, until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (profile, host, kind) DO UPDATE SET until = MAX(until, excluded.until)",
                (profile, host, kind, until.isoformat()),
            )

    def live_grants(self, now: datetime) -> list[tuple[str, str, str, datetime]]:
        rows = self.query("SELECT profile, host, kind, until FROM grants WHERE until > ?", (now.isoformat(),))
        return [(r["profile"], r["host"], r["kind"], datetime.fromisoformat(r["until"])) for r in rows]

    # -- alerts --------------------------------------------------------------------------------------

    def add_alert(self, kind: str, detail: str, *, profile: str | None = None, now: datetime | None = None) -> None:
        stamp = (now or datetime.now(timezone.utc)).isoformat()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO alerts (at, kind, profile, detail) VALUES (?, ?, ?, ?)", (stamp, kind, profile, detail)
            )

    def alerts(self, *, unseen_only: bool = False, limit: int = 200) -> list[sqlite3.Row]:
        sql = "SELECT * FROM alerts" + (" WHERE seen = 0" if unseen_only else "") + " ORDER BY id DESC LIMIT ?"
        return self.query(sql, (limit,))


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
