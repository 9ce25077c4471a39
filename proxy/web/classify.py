"""The extension's "think before you send": ``POST /api/ext/classify`` scores a chat message.

The message is judged in memory and answered; it is never stored, logged or counted. Only
loopback can reach it (the app's host guard and the parent guard's loopback rule).
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from kiteguard.classifiers.labels import SENSITIVITIES
from kiteguard.classifiers.model import ModelError
from kiteguard.classifiers.page import load_classifier

from . import keys

log = logging.getLogger(__name__)
MAX_BODY = 16 * 1024
MAX_TEXT = 2000  # a chat message; longer input is judged on its opening


async def classify_text(request: web.Request) -> web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY, actual_size=request.content_length)
    try:
        payload = await request.json()
    except ValueError as error:
        raise web.HTTPBadRequest(text="Kiteguard: expected a JSON object") from error
    text = payload.get("text") if isinstance(payload, dict) else None
    if not isinstance(text, str):
        raise web.HTTPBadRequest(text='Kiteguard: expected {"text": "..."}')
    runtime = request.app[keys.RUNTIME]
    sensitivity = payload.get("sensitivity") or runtime.profile(None).sensitivity
    if sensitivity not in SENSITIVITIES:
        raise web.HTTPBadRequest(text=f"Kiteguard: sensitivity must be one of {', '.join(SENSITIVITIES)}")
    try:
        model = await asyncio.to_thread(load_classifier)  # the first call reads the artefact from disk
    except ModelError:
        log.exception("the chat classifier could not load its model")
        raise web.HTTPServiceUnavailable(text="Kiteguard: the classifier is not available") from None
    verdict = model.classify(text[:MAX_TEXT], sensitivity)
    return web.json_response({**verdict.to_json(), "sensitivity": sensitivity})


def setup(app: web.Application) -> None:
    app.router.add_post("/api/ext/classify", classify_text)
