"""The aiohttp application: the parents' settings page and the extension API.

It binds to loopback by default. A Host-header allowlist guards against DNS rebinding: a
page on another site cannot reach this server by pointing its own name at 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from ..runtime import Runtime
from . import extapi, keys, pac, parent, status

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(port: int, extra: tuple[str, ...] = ()) -> frozenset[str]:
    names = LOOPBACK_NAMES + extra
    return frozenset({f"{name}:{port}" for name in names} | ({*names} if port == 80 else set()))


@web.middleware
async def host_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    allowed = request.app[keys.ALLOWED_HOSTS]
    if allowed and request.host.lower() not in allowed:
        raise web.HTTPMisdirectedRequest(text="Kiteguard: this address is not allowed (Host header)")
    return await handler(request)


def make_app(runtime: Runtime, *, hosts: frozenset[str] = frozenset()) -> web.Application:
    """Build the app. ``hosts`` is the Host allowlist; the service fills it once the port is known."""
    app = web.Application(middlewares=[host_guard])
    app[keys.RUNTIME] = runtime
    app[keys.ALLOWED_HOSTS] = hosts
    status.setup(app)
    extapi.setup(app)  # before parent: the Browsers page reuses its pairing book
    parent.setup(app)
    pac.setup(app)
    return app
