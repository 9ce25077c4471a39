"""Children: one profile per child, age presets, and a block / warn / allow choice per category."""

from __future__ import annotations

from aiohttp import web

from ..categories import CATEGORIES
from ..household import SENSITIVITIES, YOUTUBE_MODES
from ..policyfile import PolicyError
from ..presets import PRESETS, preset
from . import keys
from .policyedit import Table, change_policy, change_profile, profile_table
from .rendering import apply_then, refused, render, say

ACTIONS = ("block", "warn", "allow")


async def children_page(request: web.Request) -> web.Response:
    household = request.app[keys.RUNTIME].household
    return render(request, "children.html", {
        "household": household, "presets": PRESETS, "actions": ACTIONS,
        "youtube_modes": YOUTUBE_MODES, "sensitivities": SENSITIVITIES,
    })


async def save_rules(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("profile", ""))

    def change(profile: Table) -> None:
        choices = {category: str(form.get(f"cat.{category}", "allow")) for category in CATEGORIES}
        for category, action in choices.items():
            if action not in ACTIONS:
                raise PolicyError(f"cat.{category}", f"{action!r} is not block, warn or allow")
        profile["block"] = [c for c, a in choices.items() if a == "block"]
        profile["warn"] = [c for c, a in choices.items() if a == "warn"]
        profile["safe_search"] = form.get("safe_search") == "on"
        profile["block_ip_urls"] = form.get("block_ip_urls") == "on"
        profile["youtube_restrict"] = str(form.get("youtube_restrict", "off"))
        profile["sensitivity"] = str(form.get("sensitivity", "balanced"))

    apply_then(request, "/children", lambda: change_profile(request.app[keys.RUNTIME], name, change))


async def apply_preset(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("profile", ""))
    try:
        chosen = preset(str(form.get("preset", "")))
    except KeyError as exc:
        raise refused(request, "/children", str(exc)) from None
    apply_then(request, "/children", lambda: change_profile(request.app[keys.RUNTIME], name, chosen.apply))


async def add_child(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = " ".join(str(form.get("name", "")).split())
    preset_id = str(form.get("preset", ""))

    def change(data: Table) -> None:
        table: Table = {"name": name}
        if preset_id:
            preset(preset_id).apply(table)
        data["profiles"].append(table)

    apply_then(request, "/children", lambda: change_policy(request.app[keys.RUNTIME], change))


async def remove_child(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("profile", ""))

    def change(data: Table) -> None:
        profile_table(data, name)  # names a missing child clearly
        if data.get("default_profile") == name:
            raise PolicyError("default_profile", say(request, "web.children.cannot_remove_default"))
        data["profiles"] = [table for table in data["profiles"] if table["name"] != name]

    apply_then(request, "/children", lambda: change_policy(request.app[keys.RUNTIME], change))


async def set_default(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    name = str(form.get("profile", ""))
    apply_then(request, "/children", lambda: change_policy(request.app[keys.RUNTIME],
                                                 lambda data: data.__setitem__("default_profile", name)))


def setup(app: web.Application) -> None:
    app.router.add_get("/children", children_page)
    app.router.add_post("/children/rules", save_rules)
    app.router.add_post("/children/preset", apply_preset)
    app.router.add_post("/children/add", add_child)
    app.router.add_post("/children/remove", remove_child)
    app.router.add_post("/children/default", set_default)
