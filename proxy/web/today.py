"""Today: how the day went for each child, what waits for an answer, and alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aiohttp import web

from .. import requests, timerules
from ..household import Profile
from ..i18n import catalogue
from ..runtime import Runtime
from . import keys, tallies
from .rendering import done, language_of, render
from .reports import read_reports


@dataclass(frozen=True)
class QuotaLine:
    category: str
    used: int
    allowed: int | None  # None: no quota today

    @property
    def percent(self) -> int:
        if not self.allowed:
            return 100 if self.allowed == 0 else 0
        return min(100, round(100 * self.used / self.allowed))

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.used >= self.allowed


@dataclass(frozen=True)
class ChildDay:
    name: str
    lines: tuple[QuotaLine, ...]
    blocked: int
    blocked_by_category: tuple[tuple[str | None, int], ...]
    pending: int


def child_day(runtime: Runtime, profile: Profile, now: datetime) -> ChildDay:
    tz = runtime.tz
    day = timerules.local_day(now, tz)
    used = runtime.store.usage_on(day, profile.name)
    categories = dict.fromkeys([*profile.quotas.categories(), *(category for _, category in sorted(used))])
    lines = []
    for category in categories:
        seconds, bonus = used.get((profile.name, category), (0.0, 0))
        quota = timerules.quota_minutes(profile, category, now, tz)
        lines.append(QuotaLine(category, round(seconds / 60), None if quota is None else quota + bonus))
    blocked = tallies.blocked_events(runtime.store, profile.name, tallies.local_midnight(day, tz))
    return ChildDay(
        name=profile.name,
        lines=tuple(lines),
        blocked=len(blocked),
        blocked_by_category=tuple(tallies.blocks_per_category(blocked)[:3]),
        pending=len(requests.list_requests(runtime.store, status="pending", profile=profile.name)),
    )


def alert_kind(kind: str, language: str) -> str:
    key = f"web.alert.{kind}"
    return catalogue(language).get(key) or kind


async def today_page(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    now = runtime.now()
    days = [child_day(runtime, profile, now) for profile in runtime.household.profiles]
    alerts = [
        {"id": row["id"], "at": _local(row["at"], runtime.tz), "kind": alert_kind(row["kind"], language_of(request)),
         "profile": row["profile"], "detail": row["detail"]}
        for row in runtime.store.alerts(unseen_only=True, limit=50)
    ]
    return render(request, "today.html", {
        "days": days, "alerts": alerts, "date": now.astimezone(runtime.tz).date(),
        "new_reports": len(read_reports(runtime.store, unseen_only=True)),
    })


async def mark_alert_seen(request: web.Request) -> web.StreamResponse:
    runtime = request.app[keys.RUNTIME]
    alert_id = int(request.match_info["alert_id"])
    with runtime.store.transaction() as db:
        db.execute("UPDATE alerts SET seen = 1 WHERE id = ?", (alert_id,))
    raise done(request, "/")


def _local(stamp: str, tz: ZoneInfo) -> str:
    return datetime.fromisoformat(stamp).astimezone(tz).strftime("%Y-%m-%d %H:%M")


def setup(app: web.Application) -> None:
    app.router.add_get("/", today_page)
    app.router.add_post(r"/alerts/{alert_id:\d+}/seen", mark_alert_seen)
