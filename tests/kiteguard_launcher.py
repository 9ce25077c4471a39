"""Runs the real Kiteguard service for tests, with one extra add-on that routes made-up
host names (example-bad.vn, site.test, ...) to the local test upstream instead of the network.

Usage: python kiteguard_launcher.py HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA

Two environment variables, read only here (never by the product), let time-rule tests steer it:
- KITEGUARD_TEST_CLOCK_FILE: a file holding two offsets in seconds, "WALL ELAPSED", added to the
  computer's clock and to the clock nobody can set; re-read when it changes. Moving both makes
  time pass; moving only WALL is a child setting the clock back or forward;
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

from kiteguard.proxy.clockguard import elapsed_seconds
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


class MovableClocks:
    """The computer's clock and the elapsed clock, each plus an offset a test writes to a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.stamp: int | None = None
        self.offsets = (0.0, 0.0)

    def _read(self) -> tuple[float, float]:
        try:
            stamp = self.path.stat().st_mtime_ns
            if stamp != self.stamp:
                wall, elapsed = self.path.read_text().split()
                self.stamp, self.offsets = stamp, (float(wall), float(elapsed))
        except (OSError, ValueError):
            pass
        return self.offsets

    def wall(self) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=self._read()[0])

    def elapsed(self) -> float:
        return elapsed_seconds() + self._read()[1]


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
        clocks = MovableClocks(Path(os.environ["KITEGUARD_TEST_CLOCK_FILE"]))
        options.update(wall_clock=clocks.wall, elapsed_clock=clocks.elapsed)
    if os.environ.get("KITEGUARD_TEST_CATEGORIES"):
        options["lists"] = TestCategories(os.environ["KITEGUARD_TEST_CATEGORIES"])
    return asyncio.run(serve(Home(Path(home)), config, announce=lambda line: print(line, flush=True),
                             extra_addons=(routing,), **options))


if __name__ == "__main__":
    sys.exit(main())
