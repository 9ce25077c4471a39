"""Requests: a child asked for more time or for a site; the parent approves (for how long) or denies."""

from __future__ import annotations

from aiohttp import web

from .. import requests
from . import keys
from .rendering import done, refused, render, say

DURATIONS = (15, 30, 60, 120, 24 * 60)


async def requests_page(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    pending = requests.list_requests(runtime.store, status="pending")
    answered = [r for r in requests.list_requests(runtime.store) if r.status != "pending"][:30]
    return render(request, "requests.html", {"pending": pending, "answered": answered, "durations": DURATIONS})


async def answer(request: web.Request) -> web.StreamResponse:
    runtime = request.app[keys.RUNTIME]
    form = await request.post()
    request_id = int(request.match_info["request_id"])
    try:
        if request.match_info["verdict"] == "approve":
            raw = str(form.get("minutes", "")).strip()
            minutes = int(raw) if raw.isdigit() else None
            requests.approve_request(runtime, request_id, minutes=minutes)
            raise done(request, "/requests", "web.requests.approved")
        requests.deny_request(runtime, request_id)
    except (LookupError, ValueError) as exc:
        raise refused(request, "/requests", say(request, "web.refused", {"detail": str(exc)})) from None
    raise done(request, "/requests", "web.requests.denied")


def setup(app: web.Application) -> None:
    app.router.add_get("/requests", requests_page)
    app.router.add_post(r"/requests/{request_id:\d+}/{verdict:approve|deny}", answer)
