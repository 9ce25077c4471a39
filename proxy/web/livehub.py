"""The live channel to paired browsers: who is connected, and what each child's browsers are told.

Messages (JSON) have a ``type``: ``block`` / ``warn`` (a decision on this child's traffic),
``time_warning`` (10, 5 and 1 minutes left, from ``notices.TimeWarner``), ``time_left`` and
``answer`` (a parent answered a request, from ``requests``). Everything but ``time_left`` goes
through the runtime's notice board. Sending never blocks the caller.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping

from aiohttp import web

from ..notices import NoticeBoard
from ..policy import RequestFacts
from ..reasons import Decision

log = logging.getLogger(__name__)

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

    def decision_listener(self, notices: NoticeBoard) -> Callable[[str, Decision, RequestFacts, str], None]:
        """A runtime decision listener publishing to the notice board. Blocked pages already show the
        block page; the browser overlays blocked sub-resources, and reminds the child on a page they
        continued to past a warning."""

        def listen(profile: str, decision: Decision, facts: RequestFacts, action: str) -> None:
            if action == "block":
                notices.publish(profile, {"type": "block", "url": facts.url.text, "category": decision.category,
                                          "navigation": facts.navigation})
            elif action == "continue":
                notices.publish(profile, {"type": "warn", "url": facts.url.text, "category": decision.category,
                                          "navigation": True})

        return listen

    def update_time_left(self, profile: str, left: dict[str, int]) -> None:
        """Publish time left when it changed (the time warner sends the 10, 5 and 1 minute warnings)."""
        if self._time_left.get(profile) == left:
            return
        self._time_left[profile] = dict(left)
        self.publish(profile, {"type": "time_left", "time_left": left})

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
