"""Runs the real Kiteguard service for the browser tests: made-up hosts routed to the local
upstream (as in ``tests/kiteguard_launcher.py``) and a fixed host -> category table in place of
the compiled lists, so the test knows which child sees what without downloading any list.

Usage: python categorised_launcher.py HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA HOST=CATEGORY...
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiteguard_launcher import LocalRouting  # noqa: E402

from kiteguard.proxy.paths import Home  # noqa: E402
from kiteguard.proxy.policy import ListHit  # noqa: E402
from kiteguard.proxy.service import ServiceConfig, serve  # noqa: E402


class FixedCategories:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        category = self.table.get(host)
        return [ListHit(category, host, "e2e-table")] if category else []


class InstallCategories:
    """Puts the table into the running service's runtime once mitmproxy is up."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def running(self) -> None:
        from mitmproxy import ctx

        ctx.master.addons.get("kiteguardaddon").runtime.lists = FixedCategories(self.table)


def main() -> int:
    home, http_port, https_port, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    table = dict(pair.split("=", 1) for pair in sys.argv[5:])
    config = ServiceConfig(proxy_port=0, ui_port=0, upstream_ca=Path(ca))
    addons = (LocalRouting(http_port, https_port), InstallCategories(table))
    return asyncio.run(serve(Home(Path(home)), config, announce=lambda line: print(line, flush=True),
                             extra_addons=addons))


if __name__ == "__main__":
    sys.exit(main())
