"""Time rules: offline windows, category windows and daily quotas, evaluated at an instant.

Design note. Windows are half-open ``[from, to)`` in the household's IANA time zone. A window
that crosses midnight belongs to the day on which it starts, so a Friday 21:00-06:30 window
covers Saturday 03:00 too, and a Saturday-only window does not cover Saturday 03:00. To stay
correct across DST, each candidate window is turned into two aware datetimes and compared on
UTC instants, never on wall-clock fields. The "local day" for quotas starts at local midnight.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from .household import DAYS, Profile, TimeWindow

_SEARCH_DAYS = 8  # a window's next opening is always within a week and a day


@dataclass(frozen=True)
class Interval:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC

    def contains(self, instant: datetime) -> bool:
        return self.start <= instant < self.end


def local_day(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def day_name(day: date) -> str:
    return DAYS[day.weekday()]


def next_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    tomorrow = local_day(now, tz) + timedelta(days=1)
    return _at(tomorrow, time(0, 0), tz)


def occurrences(window: TimeWindow, first_day: date, last_day: date, tz: ZoneInfo) -> Iterator[Interval]:
    """Each interval of the window that starts on a day from first_day to last_day inclusive."""
    day = first_day
    while day <= last_day:
        if day_name(day) in window.days:
            end_day = day + timedelta(days=1) if window.crosses_midnight else day
            yield Interval(_at(day, window.start, tz), _at(end_day, window.end, tz))
        day += timedelta(days=1)


@lru_cache(maxsize=1024)
def _intervals(windows: tuple[TimeWindow, ...], today: date, tz: ZoneInfo) -> tuple[Interval, ...]:
    """Every interval starting from yesterday to the search horizon, by start. Cached per local day:
    working them out is most of a decision's cost, and they only change when the day or the rules do."""
    first, last = today - timedelta(days=1), today + timedelta(days=_SEARCH_DAYS)
    return tuple(sorted((i for w in windows for i in occurrences(w, first, last, tz)), key=lambda i: i.start))


def active_interval(windows: Iterable[TimeWindow], now: datetime, tz: ZoneInfo) -> Interval | None:
    """The window interval containing now, merged with any that follow on without a gap."""
    intervals = _intervals(tuple(windows), local_day(now, tz), tz)
    current = next((i for i in intervals if i.contains(now)), None)
    if current is None:
        return None
    end = current.end
    for interval in intervals:  # chained windows: the block lasts until the last one ends
        if interval.start <= end < interval.end:
            end = interval.end
    return Interval(current.start, end)


def next_opening(windows: Iterable[TimeWindow], now: datetime, tz: ZoneInfo) -> datetime | None:
    """When the next window starts after now, or None if there is none within a week."""
    return next((i.start for i in _intervals(tuple(windows), local_day(now, tz), tz) if i.start > now), None)


def offline_until(profile: Profile, now: datetime, tz: ZoneInfo) -> datetime | None:
    """If an offline window holds now, when browsing opens again; else None."""
    return offline_until_windows(profile.offline, now, tz)


def offline_until_windows(windows: Iterable[TimeWindow], now: datetime, tz: ZoneInfo) -> datetime | None:
    interval = active_interval(windows, now, tz)
    return interval.end if interval else None


def category_closed_until(profile: Profile, category: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """If the category has windows and now is outside all of them, when the next one opens.

    Returns ``None`` when the category is open (no windows, or inside one). A category whose
    windows never open again within a week reports the far end of the search horizon.
    """
    windows = [cw.window for cw in profile.windows if cw.category == category]
    if not windows or active_interval(windows, now, tz) is not None:
        return None
    return next_opening(windows, now, tz) or now + timedelta(days=_SEARCH_DAYS)


def quota_minutes(profile: Profile, category: str, now: datetime, tz: ZoneInfo) -> int | None:
    return profile.quotas.minutes_for(category, day_name(local_day(now, tz)))


def _at(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a local day.

    A time skipped by a DST change is read with the offset before the change (PEP 495, fold=0),
    so Berlin's 02:30 on the spring-forward day is 03:30 CEST; a repeated time is its first
    occurrence.
    """
    return datetime.combine(day, clock, tzinfo=tz).astimezone(timezone.utc)
