"""Live notices for a child's browsers, and the warnings 10, 5 and 1 minutes before time runs out.

``NoticeBoard`` is an in-process publish/subscribe hub on the event loop: the extension API's
WebSocket subscribes, the proxy and the time warner publish. Publishing never waits: a
subscriber that falls behind loses its oldest notices, never the proxy's time.

``TimeWarner`` works out, per profile, when browsing will end: the next offline window, a quota
running out (counted minutes only move while the child is active, so it is checked as minutes
are counted), or a category window closing. It warns once per threshold per ending, and keeps
the latest warning for the add-on's notice page, shown on the next page opened when no
extension is there to show it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import timerules
from .household import Household, Profile
from .usage import UsageLedger

WARN_MINUTES: tuple[int, ...] = (10, 5, 1)
QUEUE_SIZE = 256


class Subscription:
    """One subscriber's stream of (profile, payload); use ``async for`` or ``get``, then ``close``."""

    def __init__(self, board: NoticeBoard) -> None:
        self._board = board
        self.queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(QUEUE_SIZE)

    async def get(self) -> tuple[str, dict[str, Any]]:
        return await self.queue.get()

    def __aiter__(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        while True:
            yield await self.queue.get()

    def close(self) -> None:
        self._board._subscribers.discard(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class NoticeBoard:
    """Call ``publish`` and ``subscribe`` on the event loop's thread."""

    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()
        self.published = 0

    def subscribe(self) -> Subscription:
        subscription = Subscription(self)
        self._subscribers.add(subscription)
        return subscription

    def publish(self, profile: str, payload: dict[str, Any]) -> None:
        self.published += 1
        for subscription in list(self._subscribers):
            if subscription.queue.full():
                subscription.queue.get_nowait()  # drop the oldest rather than block the proxy
            subscription.queue.put_nowait((profile, payload))


@dataclass(frozen=True)
class Ending:
    """Browsing of a kind ("offline", "quota", "window") ends at ``ends_at`` for a category or all."""

    kind: str
    category: str | None
    ends_at: datetime
    minutes_left: float
    period_end: datetime  # the ending is warned about once per period: the window, or the day for quotas


class TimeWarner:
    def __init__(self, board: NoticeBoard, household: Callable[[], Household], usage: UsageLedger) -> None:
        self._board = board
        self._household = household
        self._usage = usage
        self._warned: dict[tuple[str, str, str | None, str], int] = {}  # ending -> smallest threshold sent
        self._pending: dict[str, dict[str, Any]] = {}  # profile -> latest warning for the notice page

    def check_offline(self, now: datetime) -> None:
        """Warn every profile whose next offline window starts within 10 minutes (call periodically)."""
        household = self._household()
        tz = ZoneInfo(household.timezone)
        for profile in household.profiles:
            if timerules.offline_until(profile, now, tz) is not None:
                continue
            start = timerules.next_opening(profile.offline, now, tz)
            if start is not None:
                left = (start - now).total_seconds() / 60
                self._maybe_warn(profile.name, Ending("offline", None, start, left, start), now)

    def check_category(self, profile_name: str, category: str, now: datetime) -> None:
        """Warn if the category's quota or window is about to end (call as a minute is counted)."""
        household = self._household()
        profile = household.profile(profile_name)
        tz = ZoneInfo(household.timezone)
        for ending in category_endings(profile, category, now, tz, self._usage):
            self._maybe_warn(profile.name, ending, now)

    def take_page_notice(self, profile: str, now: datetime) -> dict[str, Any] | None:
        """The warning still to show on a page, once; None if there is none or it is past."""
        notice = self._pending.pop(profile, None)
        if notice is None or datetime.fromisoformat(notice["ends_at"]) <= now:
            return None
        return notice

    def _maybe_warn(self, profile: str, ending: Ending, now: datetime) -> None:
        if not 0 < ending.minutes_left <= WARN_MINUTES[0]:
            return
        threshold = min(m for m in WARN_MINUTES if ending.minutes_left <= m)
        key = (profile, ending.kind, ending.category, ending.period_end.isoformat())
        if self._warned.get(key, WARN_MINUTES[0] + 1) <= threshold:
            return
        self._warned[key] = threshold
        self._warned = {k: v for k, v in self._warned.items() if datetime.fromisoformat(k[3]) > now}
        payload = {
            "type": "time_warning",
            "kind": ending.kind,
            "category": ending.category,
            "minutes": threshold,
            "minutes_left": round(ending.minutes_left, 1),
            "ends_at": ending.ends_at.isoformat(),
        }
        self._pending[profile] = payload
        self._board.publish(profile, payload)


def category_endings(
    profile: Profile, category: str, now: datetime, tz: ZoneInfo, usage: UsageLedger
) -> list[Ending]:
    endings = []
    quota = timerules.quota_minutes(profile, category, now, tz)
    if quota is not None:
        day = timerules.local_day(now, tz)
        allowed = quota + usage.bonus_minutes(profile.name, category, day)
        left = allowed - usage.used_minutes(profile.name, category, day)
        if left > 0:
            midnight = timerules.next_midnight(now, tz)
            endings.append(Ending("quota", category, min(now + timedelta(minutes=left), midnight), left, midnight))
    windows = [cw.window for cw in profile.windows if cw.category == category]
    interval = timerules.active_interval(windows, now, tz) if windows else None
    if interval is not None:
        left = (interval.end - now).total_seconds() / 60
        endings.append(Ending("window", category, interval.end, left, interval.end))
    return endings
