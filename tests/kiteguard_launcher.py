"""Runs the real Kiteguard service for tests, with one extra add-on that routes made-up
host names (example-bad.vn, site.test, ...) to the local test upstream instead of the network.

Usage: python kiteguard_launcher.py HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA

Two environment variables, read only here (never by the product), let time-rule tests steer it:
- KITEGUARD_TEST_CLOCK_FILE: a file holding an offset in seconds added to the computer's clock,
  re-read when it changes, so a test can set the clock back or forward under a running proxy;
- KITEGUARD_TEST_CATEGORIES: "video.test=video,games.test=games" puts made-up hosts (and their
  subdomains) in categories.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from mitmproxy.proxy.server_hooks import ServerConnectionHookData

from kiteguard.proxy.paths import Home
from kiteguard.proxy.policy import ListHit
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


class MovableClock:
    """The computer's clock plus an offset a test writes to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp: int | None = None
        self.offset = 0.0

    def __call__(self) -> datetime:
        try:
            stamp = self.path.stat().st_mtime_ns
            if stamp != self.stamp:
                self.stamp, self.offset = stamp, float(self.path.read_text().strip() or 0)
        except (OSError, ValueError):
            pass
        return datetime.now(timezone.utc) + timedelta(seconds=self.offset)


class TestCategories:
    def __init__(self, spec: str) -> None:
        self.hosts = dict(item.split("=", 1) for item in spec.split(",") if "=" in item)

    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        for name, category in self.hosts.items():
            if host == name or host.endswith("." + name):
                return (ListHit(category, name, "test-categories"),)
        return ()


def main() -> int:
    home, http_port, https_port, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    config = ServiceConfig(proxy_port=0, ui_port=0, upstream_ca=Path(ca))
    routing = LocalRouting(http_port, https_port)
    options = {}
    if os.environ.get("KITEGUARD_TEST_CLOCK_FILE"):
        options["wall_clock"] = MovableClock(Path(os.environ["KITEGUARD_TEST_CLOCK_FILE"]))
    if os.environ.get("KITEGUARD_TEST_CATEGORIES"):
        options["lists"] = TestCategories(os.environ["KITEGUARD_TEST_CATEGORIES"])
    return asyncio.run(serve(Home(Path(home)), config, announce=lambda line: print(line, flush=True),
                             extra_addons=(routing,), **options))


if __name__ == "__main__":
    sys.exit(main())
