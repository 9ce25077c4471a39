"""Cost of the bypass and safe-search rules inside the engine, per decision.

Judges a mix of ordinary pages, search pages, wrapped copies and DoH requests with the real
``policy.decide``, once for a child (every rule on) and once for a profile that filters nothing
(the rules are skipped), and reports microseconds per decision. mitmproxy itself costs about
2 ms of CPU per request, so the difference should be a small fraction of that.
Prints one JSON object.

Usage: python benchmarks/bench_bypass.py [--rounds 5] [--repeat 2000]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timezone

from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.policy import Context, RequestFacts, decide
from kiteguard.proxy.urls import parse_url

URLS = [
    "https://vnexpress.net/the-gioi",
    "https://www.google.com.vn/search?q=meo&safe=off",
    "https://www.bing.com/search?q=x",
    "https://www.youtube.com/watch?v=abc",
    "https://i.ytimg.com/vi/abc/hqdefault.jpg",
    "https://example--bad-vn.translate.goog/?_x_tr_sl=vi",
    "https://web.archive.org/web/2024/https://example-bad.vn/",
    "https://mozilla.cloudflare-dns.com/dns-query",
    "https://static.example.vn/app.js",
    "https://coccoc.com/search?query=x",
]
CHILD = Profile(name="child", block=("adult", "proxy_vpn"), safe_search=True, youtube_restrict="strict",
                deny=("example-bad.vn",))
PARENT = Profile(name="parent")


def microseconds_per_decision(profile: Profile, repeat: int) -> float:
    ctx = Context(household=Household(default_profile="child", profiles=(CHILD, PARENT)),
                  now=datetime(2026, 11, 30, 9, tzinfo=timezone.utc))
    facts = [RequestFacts(url=parse_url(url)) for url in URLS]
    started = time.perf_counter()
    for _ in range(repeat):
        for fact in facts:
            decide(fact, profile, ctx)
    return (time.perf_counter() - started) / (repeat * len(facts)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    child = min(microseconds_per_decision(CHILD, args.repeat) for _ in range(args.rounds))
    parent = min(microseconds_per_decision(PARENT, args.repeat) for _ in range(args.rounds))
    print(json.dumps({"benchmark": "bypass_rules", "urls": len(URLS), "decisions": args.repeat * len(URLS),
                      "us_per_decision_child": round(child, 2), "us_per_decision_unfiltered": round(parent, 2),
                      "rules_overhead_us": round(child - parent, 2)}))


if __name__ == "__main__":
    main()
