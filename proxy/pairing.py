"""Pairing browsers to children: one-time codes, per-browser tokens, last seen, revocation.

A parent creates a 6-digit code for a child on the settings page; the extension trades it for
a token. Codes are single-use, expire after ``CODE_MINUTES`` and are rate-limited: after
``MAX_FAILURES`` wrong codes in ``FAILURE_WINDOW`` every attempt is refused, even a right
one, so a million codes cannot be tried. Only hashes of codes and tokens are stored.

The token id (not the token) is what the extension puts in the ``X-Kiteguard-Browser``
header; ``profile_map`` feeds ``Runtime.browsers``, so a revoked id is simply absent and gets
the default profile, never a looser one.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .store import Store

CODE_MINUTES = 10
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=1)
MAX_CODES_PER_WINDOW = 10
CODES_WINDOW = timedelta(minutes=10)
SILENT_AFTER = timedelta(seconds=90)  # heartbeats come every 30 s: three missed ones
BROWSER_NAME_MAX = 80


class PairingError(Exception):
    """A refused pairing. ``code`` is stable: "bad_code", "rate_limited" or "unknown_profile"."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PairingCode:
    code: str
    profile: str
    expires_at: datetime


@dataclass(frozen=True)
class NewPairing:
    token: str  # shown to the extension once, never stored
    token_id: str
    profile: str


@dataclass(frozen=True)
class PairedBrowser:
    token_id: str
    profile: str
    name: str
    paired_at: datetime
    last_seen: datetime | None
    proxy_ok: bool | None
    revoked: bool


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Pairings:
    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        profiles: Callable[[], Iterable[str]] | None = None,
        on_revoke: Callable[[str], None] | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._profiles = profiles
        self._on_revoke = on_revoke  # the running service forgets the token id at once
        self._failures: deque[datetime] = deque()
        self._created: deque[datetime] = deque()

    # -- the parent's side -----------------------------------------------------------------------

    def create_pairing_code(self, profile: str) -> PairingCode:
        """A new one-time code for a child; it replaces any unused code for the same child."""
        if self._profiles is not None and profile not in set(self._profiles()):
            raise PairingError("unknown_profile", f"there is no child profile named {profile!r}")
        now = self._clock()
        _forget_before(self._created, now - CODES_WINDOW)
        if len(self._created) >= MAX_CODES_PER_WINDOW:
            raise PairingError("rate_limited", "too many pairing codes in ten minutes; wait a little")
        self._created.append(now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        expires = now + timedelta(minutes=CODE_MINUTES)
        with self._store.transaction() as db:
            db.execute("DELETE FROM pairing_codes WHERE profile = ? OR expires_at <= ?", (profile, now.isoformat()))
            db.execute(
                "INSERT OR REPLACE INTO pairing_codes (code_hash, profile, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (digest(code), profile, now.isoformat(), expires.isoformat()),
            )
        return PairingCode(code, profile, expires)

    def revoke(self, token_id: str) -> bool:
        with self._store.transaction() as db:
            cursor = db.execute(
                "UPDATE browsers SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL",
                (self._clock().isoformat(), token_id),
            )
            revoked = cursor.rowcount == 1
        if revoked and self._on_revoke is not None:
            self._on_revoke(token_id)
        return revoked

    def browsers(self, *, include_revoked: bool = False) -> list[PairedBrowser]:
        sql = "SELECT * FROM browsers" + ("" if include_revoked else " WHERE revoked_at IS NULL")
        return [_browser(row) for row in self._store.query(sql + " ORDER BY paired_at")]

    def profile_map(self) -> dict[str, str]:
        """Token id -> profile for every browser still paired: what the proxy trusts."""
        rows = self._store.query("SELECT token_id, profile FROM browsers WHERE revoked_at IS NULL")
        return {row["token_id"]: row["profile"] for row in rows}

    # -- the extension's side --------------------------------------------------------------------

    def redeem(self, code: str, browser_name: str) -> NewPairing:
        now = self._clock()
        _forget_before(self._failures, now - FAILURE_WINDOW)
        if len(self._failures) >= MAX_FAILURES:
            raise PairingError("rate_limited", "too many wrong codes; wait a minute")
        token, token_id = secrets.token_urlsafe(32), "kb_" + secrets.token_urlsafe(12)
        name = " ".join(str(browser_name).split())[:BROWSER_NAME_MAX] or "browser"
        with self._store.transaction() as db:
            row = db.execute(
                "SELECT profile FROM pairing_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?",
                (digest(str(code)), now.isoformat()),
            ).fetchone()
            if row is None:
                self._failures.append(now)
                raise PairingError("bad_code", "this code is wrong, used or expired")
            db.execute("UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?", (now.isoformat(), digest(str(code))))
            db.execute(
                "INSERT INTO browsers (token_id, token_hash, profile, name, paired_at, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (token_id, digest(token), row[0], name, now.isoformat(), now.isoformat()),
            )
        return NewPairing(token, token_id, row[0])

    def authenticate(self, token: str) -> PairedBrowser | None:
        rows = self._store.query(
            "SELECT * FROM browsers WHERE token_hash = ? AND revoked_at IS NULL", (digest(token),)
        )
        return _browser(rows[0]) if rows else None

    def touch(self, token_id: str, proxy_ok: bool | None = None) -> None:
        """Record a sign of life; a browser heard from again may raise a new alert later."""
        with self._store.transaction() as db:
            db.execute(
                "UPDATE browsers SET last_seen = ?, proxy_ok = COALESCE(?, proxy_ok), alerted = 0 WHERE token_id = ?",
                (self._clock().isoformat(), proxy_ok, token_id),
            )

    # -- tamper signals --------------------------------------------------------------------------

    def newly_silent(self, live: frozenset[str] = frozenset()) -> list[PairedBrowser]:
        """Paired browsers silent for longer than ``SILENT_AFTER`` (and not on the live channel),
        each returned once until it is heard from again."""
        cutoff = (self._clock() - SILENT_AFTER).isoformat()
        with self._store.transaction() as db:
            cursor = db.execute(
                "SELECT * FROM browsers WHERE revoked_at IS NULL AND alerted = 0 AND last_seen < ?", (cutoff,)
            )
            cursor.row_factory = sqlite3.Row
            rows = cursor.fetchall()
            silent = [row for row in rows if row["token_id"] not in live]
            db.executemany("UPDATE browsers SET alerted = 1 WHERE token_id = ?", [(r["token_id"],) for r in silent])
        return [_browser(row) for row in silent]


def _forget_before(stamps: deque[datetime], cutoff: datetime) -> None:
    while stamps and stamps[0] <= cutoff:
        stamps.popleft()


def _browser(row) -> PairedBrowser:  # noqa: ANN001 - sqlite3.Row
    def stamp(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    return PairedBrowser(
        token_id=row["token_id"],
        profile=row["profile"],
        name=row["name"],
        paired_at=datetime.fromisoformat(row["paired_at"]),
        last_seen=stamp(row["last_seen"]),
        proxy_ok=None if row["proxy_ok"] is None else bool(row["proxy_ok"]),
        revoked=row["revoked_at"] is not None,
    )
