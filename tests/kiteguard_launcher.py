"""Runs the real Kiteguard service for tests, with one extra add-on that routes made-up
host names (example-bad.vn, site.test, ...) to the local test upstream instead of the network.

Usage: python kiteguard_launcher.py HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from mitmproxy.proxy.server_hooks import ServerConnectionHookData

from kiteguard.proxy.paths import Home
from kiteguard.proxy.service import ServiceConfig, serve


class LocalRouting:
    """Every upstream connection goes to the local test site; nothing leaves the machine."""

    def __init__(self, http_port: int, https_port: int) -> None:
        self.http_port = http_port
        self.https_port = https_port

    def server_connect(self, data: ServerConnectionHookData) -> None:
        _, port = data.server.address
        tls = port in (443, self.https_port) or data.server.tls
        data.server.address = ("127.0.0.1", self.https_port if tls else self.http_port)


def main() -> int:
    home, http_port, https_port, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    config = ServiceConfig(proxy_port=0, ui_port=0, upstream_ca=Path(ca))
    routing = LocalRouting(http_port, https_port)
    return asyncio.run(serve(Home(Path(home)), config, announce=lambda line: print(line, flush=True),
                             extra_addons=(routing,)))


if __name__ == "__main__":
    sys.exit(main())
