"""Runs the real Kiteguard service for the browser tests: made-up hosts routed to the local
upstream (as in ``tests/kiteguard_launcher.py``), a fixed host -> category table in place of
the compiled lists, and a word-list chat scorer in place of the chat classifier, so the test
knows which child sees what, and which message is hurtful, without any model or list.

Usage: python categorised_launcher.py HOME UPSTREAM_HTTP_PORT UPSTREAM_HTTPS_PORT UPSTREAM_CA HOST=CATEGORY...
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiteguard_launcher import LocalRouting  # noqa: E402

from kiteguard.proxy import service  # noqa: E402
from kiteguard.proxy.paths import Home  # noqa: E402
from kiteguard.proxy.policy import ListHit  # noqa: E402
from kiteguard.proxy.web import keys  # noqa: E402

HURTFUL_WORDS = ("ngu", "đồ ngốc", "stupid", "idiot")


class FixedCategories:
    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        category = self.table.get(host)
        return [ListHit(category, host, "e2e-table")] if category else []


def score_chat(text: str) -> dict[str, object]:
    hurtful = any(word in text.lower() for word in HURTFUL_WORDS)
    return {"label": "bullying" if hurtful else "neutral", "score": 0.9 if hurtful else 0.1}


def make_app_with_scorer(runtime, **kwargs):  # noqa: ANN001, ANN003, ANN201 - the real factory's signature
    app = real_make_app(runtime, **kwargs)
    app[keys.CHAT_SCORER] = score_chat
    return app


real_make_app = service.make_app


def main() -> int:
    home, http_port, https_port, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    table = dict(pair.split("=", 1) for pair in sys.argv[5:])
    service.make_app = make_app_with_scorer
    config = service.ServiceConfig(proxy_port=0, ui_port=0, upstream_ca=Path(ca))
    return asyncio.run(service.serve(Home(Path(home)), config, announce=lambda line: print(line, flush=True),
                                     extra_addons=(LocalRouting(http_port, https_port),),
                                     lists=FixedCategories(table)))


if __name__ == "__main__":
    sys.exit(main())
