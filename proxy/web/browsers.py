"""Browsers: the paired browsers, when each was last seen, pairing a new one, and revoking.

Pairing belongs to the extension feature (``kiteguard.proxy.pairing``); this page only shows
its records and calls it. The code is shown once, to the signed-in parent.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from aiohttp import web

from . import keys
from .rendering import done, refused, render, say


def _pairing() -> ModuleType | None:
    try:
        module = importlib.import_module("kiteguard.proxy.pairing")
    except ImportError:
        return None
    return module if hasattr(module, "Pairings") else None


def pairings(app: web.Application) -> object | None:
    """The extension API's pairing book (one per app, so its rate limits hold), if this build has one."""
    return app.get(keys.PAIRINGS)


async def browsers_page(request: web.Request, code: object = None) -> web.Response:
    book = pairings(request.app)
    runtime = request.app[keys.RUNTIME]
    rows = []
    if book is not None:
        for browser in book.browsers():  # type: ignore[attr-defined]
            seen = browser.last_seen.astimezone(runtime.tz).strftime("%Y-%m-%d %H:%M") if browser.last_seen else None
            rows.append({"browser": browser, "seen": seen})
    return render(request, "browsers.html", {
        "available": book is not None, "rows": rows, "household": runtime.household, "code": code,
        "expires": code.expires_at.astimezone(runtime.tz).strftime("%H:%M") if code is not None else None,
    })


async def pair(request: web.Request) -> web.StreamResponse:
    book = pairings(request.app)
    if book is None:
        raise web.HTTPNotFound(text="pairing is not part of this build")
    form = await request.post()
    try:
        code = book.create_pairing_code(str(form.get("profile", "")))  # type: ignore[attr-defined]
    except Exception as exc:  # PairingError: an unknown child, or too many codes in a row
        raise refused(request, "/browsers", say(request, "web.refused", {"detail": str(exc)})) from None
    return await browsers_page(request, code)


async def revoke(request: web.Request) -> web.StreamResponse:
    book = pairings(request.app)
    if book is None:
        raise web.HTTPNotFound(text="pairing is not part of this build")
    form = await request.post()
    book.revoke(str(form.get("token_id", "")))  # type: ignore[attr-defined]
    raise done(request, "/browsers", "web.browsers.revoked")


def setup(app: web.Application) -> None:
    module = _pairing()
    if module is not None and keys.PAIRINGS not in app:  # the extension API usually made it already
        runtime = app[keys.RUNTIME]
        app[keys.PAIRINGS] = module.Pairings(runtime.store, runtime.now, lambda: runtime.household.profile_names())
    app.router.add_get("/browsers", browsers_page)
    app.router.add_post("/browsers/pair", pair)
    app.router.add_post("/browsers/revoke", revoke)
