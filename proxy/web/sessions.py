"""Parent sessions and the guard against password guessing, kept in memory.

A session is a random token in an HttpOnly ``SameSite=Strict`` cookie, with its own CSRF token,
that ends after ``IDLE_MINUTES`` without a request. A restart signs everyone out, by design.

Password guessing: the first few wrong passwords cost nothing (people mistype), then each
further one makes the next try wait twice as long, and the twelfth in a row locks the page
for ``LOCKOUT_MINUTES``. A right password resets the count. The clock is injected.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

IDLE_MINUTES = 30
FREE_FAILURES = 3
MAX_DELAY_SECONDS = 300
LOCKOUT_FAILURES = 12
LOCKOUT_MINUTES = 30


@dataclass(frozen=True)
class Session:
    token: str
    csrf: str
    last_seen: datetime


class SessionBook:
    def __init__(self, clock: Callable[[], datetime], idle: timedelta = timedelta(minutes=IDLE_MINUTES)) -> None:
        self._clock = clock
        self._idle = idle
        self._sessions: dict[str, Session] = {}
        self._notes: dict[str, tuple[str, str]] = {}

    def open(self) -> Session:
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), self._clock())
        self._sessions[session.token] = session
        return session

    def touch(self, token: str | None) -> Session | None:
        """The live session for a cookie value, refreshed; None if unknown or idle too long."""
        if not token:
            return None
        session = self._sessions.get(token)
        now = self._clock()
        if session is None:
            return None
        if now - session.last_seen >= self._idle:
            del self._sessions[token]
            return None
        fresh = Session(session.token, session.csrf, now)
        self._sessions[token] = fresh
        return fresh

    def close(self, token: str | None) -> None:
        if token:
            self._sessions.pop(token, None)
            self._notes.pop(token, None)

    def note(self, token: str, kind: str, text: str) -> None:
        """A one-time message for the next page this session sees ("saved", or what was refused)."""
        self._notes[token] = (kind, text)

    def pop_note(self, token: str) -> tuple[str, str] | None:
        return self._notes.pop(token, None)

    def close_all(self) -> None:
        """After a password change every other device must sign in again."""
        self._sessions.clear()
        self._notes.clear()


def csrf_matches(session: Session, offered: str | None) -> bool:
    return bool(offered) and hmac.compare_digest(session.csrf.encode(), str(offered).encode())


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait_seconds: int = 0
    locked: bool = False


class LoginThrottle:
    """Counts wrong passwords in a row (for every client: there is one parent password)."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self.failures = 0
        self._next_try: datetime | None = None

    def check(self) -> Verdict:
        """May a password be tried now?"""
        if self._next_try is None:
            return Verdict(True)
        remaining = (self._next_try - self._clock()).total_seconds()
        if remaining <= 0:
            if self.failures >= LOCKOUT_FAILURES:
                self.failures = LOCKOUT_FAILURES - 1  # after a lockout, one more mistake locks again
            return Verdict(True)
        return Verdict(False, wait_seconds=int(remaining) + 1, locked=self.failures >= LOCKOUT_FAILURES)

    def failed(self) -> Verdict:
        self.failures += 1
        if self.failures >= LOCKOUT_FAILURES:
            self._next_try = self._clock() + timedelta(minutes=LOCKOUT_MINUTES)
            return Verdict(False, wait_seconds=LOCKOUT_MINUTES * 60, locked=True)
        if self.failures < FREE_FAILURES:
            self._next_try = None
            return Verdict(True)
        delay = min(MAX_DELAY_SECONDS, 2 ** (self.failures - FREE_FAILURES + 1))
        self._next_try = self._clock() + timedelta(seconds=delay)
        return Verdict(False, wait_seconds=delay)

    def succeeded(self) -> None:
        self.failures = 0
        self._next_try = None
