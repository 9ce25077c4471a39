"""Time: a week grid of offline and category windows, and quotas per category and day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from aiohttp import web
from multidict import MultiDictProxy

from ..household import DAYS, Profile, TimeWindow
from ..policyfile import PolicyError
from . import keys
from .policyedit import Table, change_profile
from .rendering import apply_then, render

QUOTA_KEYS = ("daily", "weekday", "weekend", *DAYS)


def covers(window: TimeWindow, day: str, at: time) -> bool:
    """Whether the window holds at a wall-clock time on a day (a late window reaches into the next day)."""
    if not window.crosses_midnight:
        return day in window.days and window.start <= at < window.end
    previous = DAYS[(DAYS.index(day) - 1) % 7]
    return (day in window.days and at >= window.start) or (previous in window.days and at < window.end)


@dataclass(frozen=True)
class GridRow:
    day: str
    cells: tuple[bool, ...]  # one per hour, judged at half past


def week_grid(windows: tuple[TimeWindow, ...]) -> list[GridRow]:
    return [GridRow(day, tuple(any(covers(w, day, time(hour, 30)) for w in windows) for hour in range(24)))
            for day in DAYS]


def quota_table(profile: Profile) -> list[tuple[str, list[int | None]]]:
    """Per category with a quota: the minutes in force on each day of the week."""
    return [(category, [profile.quotas.minutes_for(category, day) for day in DAYS])
            for category in profile.quotas.categories()]


async def time_page(request: web.Request) -> web.Response:
    household = request.app[keys.RUNTIME].household
    children = []
    for profile in household.profiles:
        category_grids = {}
        for item in profile.windows:
            category_grids.setdefault(item.category, []).append(item.window)
        children.append({
            "profile": profile,
            "offline": week_grid(profile.offline),
            "category_grids": [(category, week_grid(tuple(ws))) for category, ws in category_grids.items()],
            "quotas": quota_table(profile),
        })
    return render(request, "time.html", {"children": children, "days": DAYS, "quota_keys": QUOTA_KEYS})


def _window_table(form: MultiDictProxy) -> Table:  # type: ignore[type-arg]
    days = [day for day in form.getall("days", []) if isinstance(day, str)]
    return {"days": days, "from": str(form.get("from", "")), "to": str(form.get("to", ""))}


async def add_window(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    kind = "windows" if form.get("category") else "offline"

    def change(profile: Table) -> None:
        table = _window_table(form)
        if kind == "windows":
            table = {"category": str(form["category"]), **table}
        profile.setdefault(kind, []).append(table)

    apply_then(request, "/time", lambda: change_profile(request.app[keys.RUNTIME], str(form.get("profile")), change))


async def remove_window(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    kind = "windows" if form.get("kind") == "windows" else "offline"
    index = int(str(form.get("index", "-1")) or -1)

    def change(profile: Table) -> None:
        items = profile.get(kind, [])
        if not 0 <= index < len(items):
            raise PolicyError(kind, f"there is no window number {index + 1}")
        del items[index]

    apply_then(request, "/time", lambda: change_profile(request.app[keys.RUNTIME], str(form.get("profile")), change))


async def set_quota(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    category, key = str(form.get("category", "")), str(form.get("day", "daily"))
    raw = str(form.get("minutes", "")).strip()

    def change(profile: Table) -> None:
        if key not in QUOTA_KEYS:
            raise PolicyError("day", f"{key!r} is not a day (mon..sun, weekday, weekend)")
        if raw and not raw.isdigit():
            raise PolicyError("minutes", f"{raw!r} is not a whole number of minutes")
        quotas = profile.setdefault("quotas", {})
        table = quotas if key == "daily" else quotas.setdefault(key, {})
        if raw:
            table[category] = int(raw)
        else:
            table.pop(category, None)
        if key != "daily" and not table:
            del quotas[key]

    apply_then(request, "/time", lambda: change_profile(request.app[keys.RUNTIME], str(form.get("profile")), change))


def setup(app: web.Application) -> None:
    app.router.add_get("/time", time_page)
    app.router.add_post("/time/window", add_window)
    app.router.add_post("/time/window/remove", remove_window)
    app.router.add_post("/time/quota", set_quota)

