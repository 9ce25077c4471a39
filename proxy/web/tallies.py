"""Counting what happened, for the Today and Activity pages: usage minutes and blocked attempts.

Usage comes from the usage table (minutes per child, category and local day); blocked
attempts from the event log, which keeps hosts only (full URLs only if the parent opted in)
and is pruned to the retention the policy sets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..store import Event, Store

MAX_EVENTS = 50_000


@dataclass(frozen=True)
class DayUsage:
    day: date
    minutes: tuple[tuple[str, float], ...]  # category -> minutes, categories in first-seen order

    @property
    def total(self) -> float:
        return sum(minutes for _, minutes in self.minutes)


def usage_by_day(store: Store, profile: str | None, last_day: date, days: int) -> list[DayUsage]:
    """Minutes per category for each of ``days`` local days ending with ``last_day`` (oldest first)."""
    result = []
    for offset in range(days - 1, -1, -1):
        day = last_day - timedelta(days=offset)
        per_category: Counter[str] = Counter()
        for (_, category), (seconds, _) in store.usage_on(day, profile).items():
            per_category[category] += seconds / 60.0
        result.append(DayUsage(day, tuple(sorted(per_category.items()))))
    return result


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=tz)


def blocked_events(store: Store, profile: str | None, since: datetime) -> list[Event]:
    events = store.events(since=since.astimezone(ZoneInfo("UTC")), profile=profile, limit=MAX_EVENTS)
    return [event for event in events if event.action == "block"]


def blocks_per_category(events: list[Event]) -> list[tuple[str | None, int]]:
    return Counter(event.category for event in events).most_common()


def top_hosts(events: list[Event], count: int = 10) -> list[tuple[str, int]]:
    return Counter(event.host for event in events).most_common(count)


def per_hour(events: list[Event], tz: ZoneInfo) -> list[int]:
    hours = [0] * 24
    for event in events:
        hours[event.at.astimezone(tz).hour] += 1
    return hours
