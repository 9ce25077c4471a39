"""``/proxy.pac``: the proxy auto-config file that setup points every browser at.

The script itself is ``installer.routing.pac_file`` (pure, unit-tested); this route only
fills in the proxy's real port, which ``kiteguard run`` records in ``run.json`` once it listens.
"""

from __future__ import annotations

import json

from aiohttp import web

from ...installer.routing import pac_file
from . import keys

PAC_TYPE = "application/x-ns-proxy-autoconfig"


async def proxy_pac(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    try:
        info = json.loads(runtime.home.run_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise web.HTTPServiceUnavailable(text="Kiteguard is still starting") from None
    ui_port = request.url.port or 80
    host = str(info.get("proxy_host") or "127.0.0.1")
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # a wildcard listener is reached on loopback
    body = pac_file(host, int(info["proxy_port"]), ui_port)
    return web.Response(text=body, content_type=PAC_TYPE, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app.router.add_get("/proxy.pac", proxy_pac)
