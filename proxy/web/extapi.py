"""The extension API under /api/ext/: pairing, status, heartbeat, requests, reports, chat checks, live channel.

Every call but ``pair`` carries ``Authorization: Bearer <token>`` (the live channel sends the
token as its first message, since browsers cannot set headers on a WebSocket). A token reaches
only its own child's data, and nothing here can change the policy or answer a request: the
parent's actions live elsewhere, behind the parent's login.

POST bodies must be JSON: a web page cannot send that across origins without a preflight,
which this API never grants (no CORS headers), so pages cannot drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import WSMsgType, web

from .. import childreports, requests
from ..childreports import ReportError
from ..pairing import PairedBrowser, PairingError, Pairings
from ..requests import RequestError
from ..urls import parse_url
from . import keys
from .livehub import LiveHub

log = logging.getLogger(__name__)

HELLO_SECONDS = 10
WATCH_SECONDS = 1.0
TIME_LEFT_EVERY = 10  # watcher ticks between time-left refreshes
RECENT_REQUESTS = 10  # the popup shows the child's latest requests and their answers
MAX_BODY = 16 * 1024
TEXT_MAX = 2000


def _fail(status: type[web.HTTPException], code: str, message: str) -> web.HTTPException:
    return status(text=json.dumps({"error": code, "message": message}), content_type="application/json")


async def _json_body(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise _fail(web.HTTPUnsupportedMediaType, "json_required", "send a JSON body")
    if (request.content_length or 0) > MAX_BODY:
        raise _fail(web.HTTPRequestEntityTooLarge, "too_large", "the body is too large")
    try:
        body = json.loads(await request.text())
    except ValueError:
        raise _fail(web.HTTPBadRequest, "bad_json", "the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _fail(web.HTTPBadRequest, "bad_json", "the body must be a JSON object")
    return body


async def _browser(request: web.Request) -> PairedBrowser:
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    found = await asyncio.to_thread(request.app[keys.PAIRINGS].authenticate, token) if token else None
    if found is None:
        raise _fail(web.HTTPUnauthorized, "unpaired", "this browser is not paired, or was unpaired")
    return found


async def pair(request: web.Request) -> web.Response:
    body = await _json_body(request)
    runtime = request.app[keys.RUNTIME]
    try:
        paired = await asyncio.to_thread(
            request.app[keys.PAIRINGS].redeem, str(body.get("code", "")), str(body.get("browser_name", ""))
        )
    except PairingError as exc:
        status = web.HTTPTooManyRequests if exc.code == "rate_limited" else web.HTTPForbidden
        raise _fail(status, exc.code, str(exc)) from None
    runtime.browsers[paired.token_id] = paired.profile
    return web.json_response({"token": paired.token, "token_id": paired.token_id, "profile": paired.profile,
                              "child_name": paired.profile, "language": runtime.household.language})


def request_json(item: requests.TimeRequest) -> dict[str, object]:
    return {"id": item.id, "at": item.at.isoformat(), "kind": item.kind, "category": item.category,
            "minutes": item.minutes, "host": item.host, "message": item.message, "status": item.status,
            "granted_minutes": item.granted_minutes}


async def status(request: web.Request) -> web.Response:
    browser = await _browser(request)
    runtime = request.app[keys.RUNTIME]
    now = runtime.now()
    asked = await asyncio.to_thread(requests.list_requests, runtime.store, profile=browser.profile)
    return web.json_response({
        "profile": browser.profile,
        "child_name": browser.profile,
        "language": runtime.household.language,
        "time_left": childreports.time_left(runtime, browser.profile, now),
        "requests": [request_json(item) for item in asked[:RECENT_REQUESTS]],
    })


async def heartbeat(request: web.Request) -> web.Response:
    browser = await _browser(request)
    body = await _json_body(request)
    proxy_ok = body.get("proxy_ok")
    proxy_ok = proxy_ok if isinstance(proxy_ok, bool) else None
    runtime = request.app[keys.RUNTIME]
    await asyncio.to_thread(request.app[keys.PAIRINGS].touch, browser.token_id, proxy_ok)
    if proxy_ok is False and browser.proxy_ok is not False:  # alert on the change, not on every beat
        detail = f"the browser {browser.name!r} says its traffic does not go through Kiteguard"
        await asyncio.to_thread(runtime.store_alert_later, "bypass", detail, browser.profile)
    return web.json_response({"ok": True})


async def ask(request: web.Request) -> web.Response:
    """More time (for the category the child names, or the one limiting their page) or one site."""
    browser = await _browser(request)
    body = await _json_body(request)
    runtime = request.app[keys.RUNTIME]
    now = runtime.now()
    kind, category, minutes = body.get("kind"), body.get("category"), body.get("minutes")
    try:
        url = childreports.check_url(body["url"]) if body.get("url") else None
        if kind == "site" and url is None:
            raise RequestError("a request for a site needs its url")
        if kind == "time" and not category:
            category = await asyncio.to_thread(childreports.category_for_time, runtime, browser.profile, url, now)
            if category is None:
                raise RequestError("there is no time limit today to ask more time for")
        if kind == "time" and (not isinstance(minutes, int) or isinstance(minutes, bool)):
            raise RequestError(f"minutes {minutes!r} is not a whole number")
        request_id = await asyncio.to_thread(
            requests.create_request, runtime.store, profile=browser.profile, kind=str(kind),
            category=category if isinstance(category, str) else None, minutes=minutes if kind == "time" else None,
            host=parse_url(url).host if (url and kind == "site") else None, message=str(body.get("message", "")),
            now=now,
        )
    except (RequestError, ReportError) as exc:
        raise _fail(web.HTTPBadRequest, "bad_request", str(exc)) from None
    created = await asyncio.to_thread(requests.get_request, runtime.store, request_id)
    return web.json_response(request_json(created), status=201)


async def report(request: web.Request) -> web.Response:
    browser = await _browser(request)
    body = await _json_body(request)
    runtime = request.app[keys.RUNTIME]
    try:
        report_id = await asyncio.to_thread(
            childreports.add_report, runtime.store, browser.profile, body.get("url"), body.get("reason"),
            body.get("message", ""), runtime.now(),
        )
    except ReportError as exc:
        raise _fail(web.HTTPBadRequest, "bad_report", str(exc)) from None
    detail = f"a report ({body.get('reason')}) about {body.get('url')}"
    await asyncio.to_thread(runtime.store_alert_later, "report", detail, browser.profile)
    return web.json_response({"id": report_id}, status=201)


async def classify(request: web.Request) -> web.Response:
    """Score chat text for "think before you send". The text is never stored or logged: only a count."""
    browser = await _browser(request)
    body = await _json_body(request)
    scorer = request.app.get(keys.CHAT_SCORER)
    if scorer is None:
        raise _fail(web.HTTPServiceUnavailable, "no_classifier", "no chat classifier is installed")
    text = str(body.get("text", ""))[:TEXT_MAX]
    result = await asyncio.to_thread(scorer, text)  # type: ignore[arg-type]
    label, score = str(result.get("label", "")), float(result.get("score", 0.0))
    hurtful = label in ("bullying", "hate", "hate_bullying", "harassment", "threat") and score >= 0.6
    runtime = request.app[keys.RUNTIME]
    await asyncio.to_thread(childreports.count_chat_check, runtime.store, browser.profile, runtime.now(),
                            runtime.tz, hurtful)
    return web.json_response({"label": label, "score": round(score, 3), "hurtful": hurtful})


async def live(request: web.Request) -> web.WebSocketResponse:
    socket = web.WebSocketResponse(heartbeat=30, timeout=2.0)  # timeout: how long a close waits for the browser
    await socket.prepare(request)
    pairings, hub, runtime = request.app[keys.PAIRINGS], request.app[keys.LIVE_HUB], request.app[keys.RUNTIME]
    browser = None
    try:
        hello = await socket.receive_json(timeout=HELLO_SECONDS)
        token = hello.get("token") if isinstance(hello, dict) and hello.get("type") == "hello" else None
        browser = await asyncio.to_thread(pairings.authenticate, str(token)) if token else None
    except (asyncio.TimeoutError, TypeError, ValueError):
        browser = None
    if browser is None:
        await socket.close(code=4401, message=b"unpaired")
        return socket
    hub.add(browser.profile, browser.token_id, socket)
    await asyncio.to_thread(pairings.touch, browser.token_id)
    await socket.send_json({"type": "time_left",
                            "time_left": childreports.time_left(runtime, browser.profile, runtime.now())})
    try:
        async for message in socket:
            if message.type == WSMsgType.TEXT:  # pings from the extension: a sign of life
                await asyncio.to_thread(pairings.touch, browser.token_id)
    finally:
        hub.remove(browser.profile, socket)
    return socket


async def watch(app: web.Application) -> None:
    """Push time left to connected browsers, and alert the parent about silent ones."""
    runtime, pairings, hub = app[keys.RUNTIME], app[keys.PAIRINGS], app[keys.LIVE_HUB]
    tick = 0
    while True:
        await asyncio.sleep(WATCH_SECONDS)
        tick += 1
        try:
            if tick % TIME_LEFT_EVERY == 0:
                await sync_browsers(app)
                for profile in hub.profiles():
                    hub.update_time_left(profile, childreports.time_left(runtime, profile, runtime.now()))
            for browser in await asyncio.to_thread(pairings.newly_silent, hub.live_token_ids()):
                detail = (f"the browser {browser.name!r} has gone silent: the extension may have been removed "
                          "or disabled, or the browser no longer uses Kiteguard")
                await asyncio.to_thread(runtime.store_alert_later, "tamper", detail, browser.profile)
        except Exception:  # keep watching: one bad row must not stop the tamper alerts
            log.exception("extension watcher failed")


async def forward_notices(app: web.Application) -> None:
    """Everything published for a child (answers, time warnings, blocks) goes to that child's browsers."""
    hub = app[keys.LIVE_HUB]
    with app[keys.RUNTIME].notices.subscribe() as subscription:
        async for profile, payload in subscription:
            hub.publish(profile, payload)
            if payload.get("type") == "answer":  # time left has probably just changed
                hub.update_time_left(profile, childreports.time_left(app[keys.RUNTIME], profile,
                                                                     app[keys.RUNTIME].now()))


async def sync_browsers(app: web.Application) -> None:
    """Make the proxy's token-id map match the paired browsers in the store (revocations included)."""
    current = await asyncio.to_thread(app[keys.PAIRINGS].profile_map)
    browsers = app[keys.RUNTIME].browsers
    for token_id in set(browsers) - set(current):
        del browsers[token_id]
    browsers.update(current)


async def revoke_browser(app: web.Application, token_id: str) -> bool:
    """Unpair at once (the pairing book tells the proxy); the browser falls back to the default profile."""
    return await asyncio.to_thread(app[keys.PAIRINGS].revoke, token_id)


async def _lifecycle(app: web.Application) -> AsyncIterator[None]:
    runtime, hub = app[keys.RUNTIME], app[keys.LIVE_HUB]
    await sync_browsers(app)
    listener = hub.decision_listener(runtime.notices)
    runtime.decision_listeners.append(listener)
    tasks = [asyncio.create_task(watch(app), name="extension-watch"),
             asyncio.create_task(forward_notices(app), name="extension-notices")]
    yield
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
    runtime.decision_listeners.remove(listener)
    await hub.close_all()


def setup(app: web.Application) -> None:
    runtime = app[keys.RUNTIME]
    app[keys.PAIRINGS] = Pairings(runtime.store, runtime.now, lambda: runtime.household.profile_names(),
                                  on_revoke=lambda token_id: runtime.browsers.pop(token_id, None))
    app[keys.LIVE_HUB] = LiveHub()
    app.cleanup_ctx.append(_lifecycle)
    app.router.add_post("/api/ext/pair", pair)
    app.router.add_get("/api/ext/status", status)
    app.router.add_post("/api/ext/heartbeat", heartbeat)
    app.router.add_post("/api/ext/request", ask)
    app.router.add_post("/api/ext/report", report)
    app.router.add_post("/api/ext/classify", classify)
    app.router.add_get("/api/ext/live", live)
