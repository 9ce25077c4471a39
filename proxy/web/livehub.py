"""The live channel to paired browsers: who is connected, and what each child's browsers are told.

Messages (JSON) have a ``type``: ``block`` / ``warn`` (a decision on this child's traffic),
``quota_warning`` (10, 5 and 1 minutes left), ``time_left`` and ``answer`` (a parent answered a
request). Sending never blocks the caller: the proxy's hook publishes and moves on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping

from aiohttp import web

from ..policy import RequestFacts
from ..reasons import Decision

log = logging.getLogger(__name__)

QUOTA_WARNINGS = (10, 5, 1)
CLOSE_SECONDS = 1.0


class LiveHub:
    def __init__(self) -> None:
        self._sockets: dict[str, dict[web.WebSocketResponse, str]] = {}  # profile -> socket -> token id
        self._tasks: set[asyncio.Task[None]] = set()
        self._time_left: dict[str, dict[str, int]] = {}

    def add(self, profile: str, token_id: str, socket: web.WebSocketResponse) -> None:
        self._sockets.setdefault(profile, {})[socket] = token_id

    def remove(self, profile: str, socket: web.WebSocketResponse) -> None:
        self._sockets.get(profile, {}).pop(socket, None)

    def profiles(self) -> tuple[str, ...]:
        return tuple(profile for profile, sockets in self._sockets.items() if sockets)

    def live_token_ids(self) -> frozenset[str]:
        return frozenset(token for sockets in self._sockets.values() for token in sockets.values())

    def publish(self, profile: str, message: Mapping[str, object]) -> None:
        for socket in list(self._sockets.get(profile, {})):
            if not socket.closed:
                task = asyncio.get_running_loop().create_task(_send(socket, dict(message)))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    def on_decision(self, profile: str, decision: Decision, facts: RequestFacts, action: str) -> None:
        """A runtime decision listener. Blocked pages already show the block page; the browser
        overlays blocked sub-resources, and reminds the child on a page they continued to."""
        if action == "block":
            self.publish(profile, {"type": "block", "url": facts.url.text, "category": decision.category,
                                   "navigation": facts.navigation})
        elif action == "continue":
            self.publish(profile, {"type": "warn", "url": facts.url.text, "category": decision.category,
                                   "navigation": True})

    def update_time_left(self, profile: str, left: dict[str, int]) -> None:
        """Publish time left when it changed, and a quota warning when a threshold was crossed."""
        before = self._time_left.get(profile)
        if before == left:
            return
        self._time_left[profile] = dict(left)
        self.publish(profile, {"type": "time_left", "time_left": left})
        for category, minutes in left.items():
            previous = (before or {}).get(category)
            crossed = [t for t in QUOTA_WARNINGS if minutes <= t and (previous is None or previous > t)]
            if crossed and minutes > 0:
                self.publish(profile, {"type": "quota_warning", "category": category, "minutes_left": minutes})

    async def close_all(self) -> None:
        """Say goodbye to every browser, without waiting long for answers: shutdown must stay quick."""
        closing = [socket.close(code=1001, message=b"Kiteguard is stopping")
                   for sockets in self._sockets.values() for socket in list(sockets)]
        self._sockets.clear()
        if closing:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*closing, return_exceptions=True), CLOSE_SECONDS)


async def _send(socket: web.WebSocketResponse, message: dict[str, object]) -> None:
    try:
        await socket.send_json(message)
    except (ConnectionError, RuntimeError) as exc:  # the browser went away; its reconnect will catch up
        log.debug("live message not delivered: %s", exc)
