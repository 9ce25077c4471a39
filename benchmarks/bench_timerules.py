"""Cost of time rules on the proxy's hook: counting usage per request, and deciding with quotas.

Feeds ``ActivityRecorder.note_traffic`` a stream of requests (most in a minute already counted,
as in real browsing) and times ``Runtime.decide`` for a profile with offline windows, category
windows and quotas, against one with none. The writer thread does the SQLite work; its rate is
reported too. mitmproxy itself costs about 2 ms of CPU per request. Prints one JSON object.

Usage: python benchmarks/bench_timerules.py [--requests 50000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from kiteguard.proxy.paths import Home
from kiteguard.proxy.policy import ListHit, RequestFacts
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.urls import parse_url

POLICY = """
timezone = "Europe/Berlin"
[[profiles]]
name = "ruled"
  [[profiles.offline]]
  days = ["sun", "mon", "tue", "wed", "thu"]
  from = "21:00"
  to = "06:30"
  [[profiles.offline]]
  days = ["fri"]
  from = "23:00"
  to = "08:00"
  [[profiles.windows]]
  category = "games"
  from = "16:00"
  to = "20:00"
  [profiles.quotas]
  video = 600
  weekend = {video = 900}
[[profiles]]
name = "free"
"""


class Lists:
    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        return (ListHit("video", host, "bench"),) if host.startswith("video") else ()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50_000)
    args = parser.parse_args()
    start = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    clock = {"now": start}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "k.sqlite3")
        runtime = Runtime(Home(Path(folder)), store, clock=lambda: clock["now"], lists=Lists())
        runtime.apply_policy(parse_policy(POLICY))
        runtime.activity.start()
        step = timedelta(seconds=600 / args.requests)  # the stream spans ten minutes of browsing
        began = time.perf_counter()
        for i in range(args.requests):
            clock["now"] = start + i * step
            runtime.activity.note_traffic("ruled", "video", page_activity=True)
        note_us = (time.perf_counter() - began) / args.requests * 1e6
        runtime.activity.stop()
        facts = [RequestFacts(url=parse_url(u)) for u in ("https://video.test/w", "https://news.test/", "https://games.test/")]
        timings = {}
        for profile in ("ruled", "free"):
            began = time.perf_counter()
            for i in range(args.requests):
                runtime.decide(facts[i % 3], profile, start)
            timings[profile] = (time.perf_counter() - began) / args.requests * 1e6
        print(json.dumps({
            "requests": args.requests,
            "note_traffic_us": round(note_us, 2),
            "minutes_written": runtime.activity.written,
            "decide_with_time_rules_us": round(timings["ruled"], 1),
            "decide_without_time_rules_us": round(timings["free"], 1),
        }))


if __name__ == "__main__":
    main()
