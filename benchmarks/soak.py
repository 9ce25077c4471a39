"""Load and soak: many concurrent clients through the real `kiteguard run`, counting every error.

A loopback upstream serves a page, an image and a blocked host's page; clients mix them (mostly
pages). An error is "caused by the proxy" when the proxy refuses, resets or garbles a request the
upstream would have answered: anything but the expected status and the full body. Block pages
for the blocked host are expected and checked too.

Default: REQUESTS requests at CONCURRENCY at once, then one JSON object. With --minutes the load
runs that long instead, sampling the proxy's RSS and open file descriptors every --sample
seconds, and reports growth (the 30-minute soak is run by hand, never in CI):

    python benchmarks/soak.py                       # 10,000 requests at 100 concurrent
    python benchmarks/soak.py --minutes 30          # the long soak
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_proxy import free_port, rss_kib, start_upstream, wait_for_port  # noqa: E402

POLICY = """
language = "vi"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "child"

[[profiles]]
name = "child"
block = ["adult"]
deny = ["blocked.test"]
"""


def start_kiteguard(home: Path, port: int) -> subprocess.Popen:
    kiteguard = [sys.executable, "-m", "kiteguard", "--home", str(home)]
    policy = home.parent / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    subprocess.run([*kiteguard, "policy", "import", str(policy)], check=True, stdout=subprocess.DEVNULL)
    process = subprocess.Popen([*kiteguard, "run", "--proxy-port", str(port), "--ui-port", str(free_port())],
                               stdout=subprocess.DEVNULL)
    wait_for_port(port)
    return process


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


class Tally:
    def __init__(self) -> None:
        self.done = 0
        self.errors: dict[str, int] = {}
        self.latencies: list[float] = []

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def body_sizes(upstream_port: int) -> dict[str, int]:
    """What the upstream sends for each path, fetched directly: the yardstick for a complete body."""
    sizes = {}
    async with aiohttp.ClientSession() as session:
        for path in ("/page", "/image.png"):
            async with session.get(f"http://127.0.0.1:{upstream_port}{path}") as reply:
                sizes[path] = len(await reply.read())
    return sizes


async def one_request(session: aiohttp.ClientSession, proxy: str, upstream_port: int, rng: random.Random,
                      tally: Tally, sizes: dict[str, int]) -> None:
    roll = rng.random()
    if roll < 0.9:
        path = "/page" if roll < 0.8 else "/image.png"
        url, status, size = f"http://127.0.0.1:{upstream_port}{path}", 200, sizes[path]
    else:
        url, status, size = "http://blocked.test/anything", 403, None
    started = time.perf_counter()
    try:
        async with session.get(url, proxy=proxy, headers={"Accept": "text/html"}) as reply:
            body = await reply.read()
            if reply.status != status:
                tally.error(f"status {reply.status} for {url}")
            elif size is not None and len(body) != size:
                tally.error(f"short body for {url}")
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        tally.error(type(exc).__name__)
    tally.latencies.append(time.perf_counter() - started)
    tally.done += 1


async def drive(proxy_port: int, upstream_port: int, concurrency: int, *, requests: int | None,
                seconds: float | None, pid: int, sample_every: float, samples: list[dict[str, float]]) -> Tally:
    tally = Tally()
    proxy = f"http://127.0.0.1:{proxy_port}"
    rng = random.Random(42)
    deadline = time.monotonic() + seconds if seconds else None
    remaining = iter(range(requests)) if requests else None
    timeout = aiohttp.ClientTimeout(total=60)

    def more() -> bool:
        if remaining is not None:
            return next(remaining, None) is not None
        return time.monotonic() < deadline  # type: ignore[operator]

    async def sampler() -> None:
        started = time.monotonic()
        while True:
            samples.append({"t": round(time.monotonic() - started, 1), "rss_mib": rss_kib(pid) / 1024,
                            "fds": open_fds(pid), "done": tally.done})
            await asyncio.sleep(sample_every)

    sizes = await body_sizes(upstream_port)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency), timeout=timeout) as session:

        async def client() -> None:
            while more():
                await one_request(session, proxy, upstream_port, rng, tally, sizes)

        watcher = asyncio.create_task(sampler())
        await asyncio.gather(*(client() for _ in range(concurrency)))
        watcher.cancel()
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=None, help="run for this long instead of --requests")
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between RSS/fd samples")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        upstream_port, proxy_port = free_port(), free_port()
        upstream = start_upstream(upstream_port)
        kiteguard = start_kiteguard(Path(scratch) / "home", proxy_port)
        samples: list[dict[str, float]] = []
        try:
            fds_idle_before = open_fds(kiteguard.pid)
            started = time.perf_counter()
            tally = asyncio.run(drive(
                proxy_port, upstream_port, args.concurrency,
                requests=None if args.minutes else args.requests,
                seconds=args.minutes * 60 if args.minutes else None,
                pid=kiteguard.pid, sample_every=args.sample, samples=samples,
            ))
            elapsed = time.perf_counter() - started
            alive = kiteguard.poll() is None
            time.sleep(3)  # let closed connections be released before counting descriptors again
            fds_idle_after = open_fds(kiteguard.pid) if alive else None
        finally:
            for process in (kiteguard, upstream):
                process.terminate()
            for process in (kiteguard, upstream):
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    latencies = sorted(tally.latencies)
    # Growth is judged after warm-up: from the sample a fifth of the way in to the last one.
    warm = samples[len(samples) // 5] if samples else {}
    last = samples[-1] if samples else {}
    report = {
        "requests": tally.done,
        "concurrency": args.concurrency,
        "seconds": round(elapsed, 1),
        "rps": round(tally.done / elapsed, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1) if latencies else None,
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "proxy_alive_at_end": alive,
        "rss_mib_warm": warm.get("rss_mib"),
        "rss_mib_end": last.get("rss_mib"),
        "rss_growth_pct": round((last["rss_mib"] / warm["rss_mib"] - 1) * 100, 1) if warm else None,
        "fds_idle_before": fds_idle_before,
        "fds_idle_after": fds_idle_after,
        "samples": samples if args.minutes else len(samples),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
