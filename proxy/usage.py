"""Today's usage per profile and category, mirrored in memory and written through to SQLite.

The engine reads the in-memory copy (no disk on the hot path); every recorded slice of usage
is also written to the store at once in a worker thread, so a crash loses at most the slice
being written.
"""

from __future__ import annotations

from datetime import date

from .store import Store


class UsageLedger:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._seconds: dict[tuple[str, str, date], float] = {}
        self._bonus: dict[tuple[str, str, date], int] = {}
        self._loaded: set[date] = set()

    def _ensure(self, day: date) -> None:
        if day in self._loaded:
            return
        for (profile, category), (seconds, bonus) in self._store.usage_on(day).items():
            self._seconds[(profile, category, day)] = seconds
            self._bonus[(profile, category, day)] = bonus
        self._loaded.add(day)

    def preload(self, day: date) -> None:
        """Read a day's stored usage now, so the first request of the day does not wait for the disk."""
        self._ensure(day)

    def used_minutes(self, profile: str, category: str, day: date) -> float:
        self._ensure(day)
        return self._seconds.get((profile, category, day), 0.0) / 60.0

    def bonus_minutes(self, profile: str, category: str, day: date) -> int:
        self._ensure(day)
        return self._bonus.get((profile, category, day), 0)

    def add_seconds(self, profile: str, category: str, day: date, seconds: float) -> None:
        """Count usage: memory first, then the store (call from a worker thread on the loop)."""
        self.remember_seconds(profile, category, day, seconds)
        self._store.add_usage(profile, day, category, seconds)

    def remember_seconds(self, profile: str, category: str, day: date, seconds: float) -> None:
        """Count usage in memory only; the caller writes it to the store (``activity`` does, off the loop)."""
        self._ensure(day)
        key = (profile, category, day)
        self._seconds[key] = self._seconds.get(key, 0.0) + seconds

    def reload_bonus(self, day: date) -> None:
        """Take the stored bonus minutes of a day, which another process (the CLI) may have added."""
        if day not in self._loaded:
            self._ensure(day)
            return
        stored = self._store.usage_on(day)
        for (profile, category), (_, bonus) in stored.items():
            self._bonus[(profile, category, day)] = bonus

    def add_bonus(self, profile: str, category: str, day: date, minutes: int) -> None:
        self._ensure(day)
        key = (profile, category, day)
        self._bonus[key] = self._bonus.get(key, 0) + minutes
        self._store.add_bonus(profile, day, category, minutes)

    def forget_before(self, day: date) -> None:
        self._seconds = {k: v for k, v in self._seconds.items() if k[2] >= day}
        self._bonus = {k: v for k, v in self._bonus.items() if k[2] >= day}
        self._loaded = {d for d in self._loaded if d >= day}
