"""Settings: language, time zone, retention, password, LAN access, and policy import and export.

Import and export use the same TOML as ``kiteguard policy import/export``; an imported file
goes through the same validation, and a refused one changes nothing. Changing the password
and exporting ask for the current password again.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from aiohttp import web

from ..household import LANGUAGES
from ..lanaccess import LanAccess
from ..password import PasswordRefused
from ..policyfile import PolicyError, dump_policy, parse_policy
from . import keys
from .auth import check_password, start_session
from .policyedit import Table, change_policy
from .rendering import apply_then, done, refused, render, say

MAX_IMPORT_BYTES = 512 * 1024


async def settings_page(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    return render(request, "settings.html", {
        "household": runtime.household, "household_languages": LANGUAGES,
        "timezones": sorted(available_timezones()), "lan": LanAccess(runtime.home.root).enabled(),
        "strong": request.app[keys.PASSWORD].is_strong(),
    })


async def save_general(request: web.Request) -> web.StreamResponse:
    form = await request.post()

    def change(data: Table) -> None:
        data["language"] = str(form.get("language", ""))
        data["timezone"] = str(form.get("timezone", "")).strip()
        raw = str(form.get("retention_days", "")).strip()
        data["retention_days"] = int(raw) if raw.isdigit() else raw
        data["log_full_urls"] = form.get("log_full_urls") == "on"

    apply_then(request, "/settings", lambda: change_policy(request.app[keys.RUNTIME], change))


async def change_password(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    problem = check_password(request, str(form.get("password", "")))
    if problem is not None:
        raise refused(request, "/settings", say(request, *problem))
    new, again = str(form.get("new", "")), str(form.get("again", ""))
    if new != again:
        raise refused(request, "/settings", say(request, "web.password.mismatch"))
    try:
        request.app[keys.PASSWORD].set(new)
    except PasswordRefused as exc:
        raise refused(request, "/settings", say(request, exc.key)) from None
    if not request.app[keys.PASSWORD].is_strong() and LanAccess(request.app[keys.RUNTIME].home.root).enabled():
        LanAccess(request.app[keys.RUNTIME].home.root).set_enabled(False)
    sessions = request.app[keys.SESSIONS]
    sessions.close_all()  # every other device signs in again with the new password
    response = web.HTTPSeeOther("/settings")
    session = start_session(request, response)
    sessions.note(session.token, "ok", say(request, "web.password.changed"))
    raise response


async def export_policy(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    problem = check_password(request, str(form.get("password", "")))
    if problem is not None:
        raise refused(request, "/settings", say(request, *problem))
    return web.Response(
        text=dump_policy(request.app[keys.RUNTIME].household),
        headers={"Content-Type": "application/toml; charset=utf-8", "Cache-Control": "no-store",
                 "Content-Disposition": 'attachment; filename="kiteguard-policy.toml"'},
    )


async def import_policy(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    upload = form.get("file")
    text = str(form.get("text", ""))
    if upload is not None and hasattr(upload, "file"):
        data = upload.file.read(MAX_IMPORT_BYTES + 1)
        if data:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise refused(request, "/settings", say(request, "web.settings.not_utf8")) from None
    if not text.strip() or len(text) > MAX_IMPORT_BYTES:
        raise refused(request, "/settings", say(request, "web.settings.empty_import"))
    try:
        household = parse_policy(text)
    except PolicyError as exc:
        raise refused(request, "/settings", say(request, "web.refused", {"detail": str(exc)})) from None
    revision = request.app[keys.RUNTIME].apply_policy(household)
    raise done(request, "/settings", "web.settings.imported", revision=revision)


async def set_lan(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    runtime = request.app[keys.RUNTIME]
    wanted = form.get("enabled") == "on"
    if wanted:
        problem = check_password(request, str(form.get("password", "")))
        if problem is not None:
            raise refused(request, "/settings", say(request, *problem))
        if not request.app[keys.PASSWORD].is_strong():
            raise refused(request, "/settings", say(request, "web.settings.lan_needs_strong"))
    LanAccess(runtime.home.root).set_enabled(wanted)
    raise done(request, "/settings", "web.settings.lan_on" if wanted else "web.settings.lan_off")


def setup(app: web.Application) -> None:
    app.router.add_get("/settings", settings_page)
    app.router.add_post("/settings/general", save_general)
    app.router.add_post("/settings/password", change_password)
    app.router.add_post("/settings/export", export_policy)
    app.router.add_post("/settings/import", import_policy)
    app.router.add_post("/settings/lan", set_lan)
