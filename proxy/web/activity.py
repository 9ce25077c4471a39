"""Activity: minutes per category per day, blocks per category, top blocked sites, time of day.

Charts are SVG drawn here; a table under each one carries the same numbers. What is shown
goes back no further than the policy's retention.
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from .. import timerules
from ..categories import CATEGORIES
from . import charts, keys, tallies
from .rendering import language_of, render, say

PERIODS = (7, 30)


async def activity_page(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    household = runtime.household
    days = int(request.query.get("days", "7")) if request.query.get("days") in ("7", "30") else 7
    days = min(days, household.retention_days)
    chosen = request.query.get("profile") or None
    if chosen not in household.profile_names():
        chosen = None
    today = timerules.local_day(runtime.now(), runtime.tz)
    usage = tallies.usage_by_day(runtime.store, chosen, today, days)
    used_categories = [c for c in CATEGORIES if any(dict(day.minutes).get(c) for day in usage)]
    since = tallies.local_midnight(today - timedelta(days=days - 1), runtime.tz)
    blocked = tallies.blocked_events(runtime.store, chosen, since)
    by_category = tallies.blocks_per_category(blocked)
    hosts = tallies.top_hosts(blocked)
    hours = tallies.per_hour(blocked, runtime.tz)
    language = language_of(request)

    def name(category: str | None) -> str:
        from ..i18n import category_name

        return category_name(category, language)

    day_label = "%d/%m"
    return render(request, "activity.html", {
        "household": household, "chosen": chosen, "days": days, "periods": PERIODS,
        "usage": usage, "used_categories": used_categories, "day_label": day_label,
        "usage_chart": charts.stacked_bars(
            say(request, "web.activity.minutes_chart", {"days": days}),
            [(day.day.strftime(day_label), day.minutes) for day in usage], say(request, "web.activity.minutes_unit")),
        "by_category": by_category,
        "category_chart": charts.horizontal_bars(
            say(request, "web.activity.blocks_chart"), [(name(c), n, c) for c, n in by_category]),
        "hosts": hosts,
        "hosts_chart": charts.horizontal_bars(
            say(request, "web.activity.hosts_chart"), [(host, n, None) for host, n in hosts]),
        "hours": hours,
        "hours_chart": charts.columns(
            say(request, "web.activity.hours_chart"), hours, [f"{hour:02d}" for hour in range(24)]),
        "colour": charts.colour,
        "dict": dict,
    })


def setup(app: web.Application) -> None:
    app.router.add_get("/activity", activity_page)
