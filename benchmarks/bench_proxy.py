"""Kiteguard against plain mitmdump, side by side in one run, alternating rounds.

A loopback aiohttp upstream serves a 20 KB HTML page and a 1 MB image. For each round, each
proxy gets the same load: CONCURRENCY clients sending REQUESTS requests through it. We report
p50/p99 latency, requests per second and the proxy's RSS, and the Kiteguard/mitmdump ratios.
Everything runs on 127.0.0.1. Prints one JSON object.

Usage: python benchmarks/bench_proxy.py [--rounds 3] [--requests 2000] [--concurrency 20]
                                        [--list FILE] [--image]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

HERE = Path(__file__).resolve().parent
PAGE_BYTES = 20 * 1024
IMAGE_BYTES = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


UPSTREAM = f"""
import asyncio, sys
from aiohttp import web
page = ("<!doctype html><html><head><title>Bài học hôm nay</title></head><body>"
        + "<p>Hôm nay chúng ta học về quang hợp ở thực vật và vai trò của ánh sáng mặt trời.</p>" * 220
        + "</body></html>")[:{PAGE_BYTES}]
image = b"\\x89PNG" + b"\\0" * ({IMAGE_BYTES} - 4)
async def main():
    app = web.Application()
    app.router.add_get("/page", lambda r: web.Response(text=page, content_type="text/html"))
    app.router.add_get("/image.png", lambda r: web.Response(body=image, content_type="image/png"))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(sys.argv[1])).start()
    await asyncio.Event().wait()
asyncio.run(main())
"""


def start_upstream(port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", UPSTREAM, str(port)])
    wait_for_port(port)
    return process


def start_mitmdump(port: int, confdir: Path) -> subprocess.Popen:
    code = "import sys; from mitmproxy.tools.main import mitmdump; sys.exit(mitmdump())"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "-q", "--listen-host", "127.0.0.1", "--listen-port", str(port),
         "--set", f"confdir={confdir}", "--set", "connection_strategy=lazy"],
        stdout=subprocess.DEVNULL,
    )
    wait_for_port(port)
    return process


def start_kiteguard(port: int, home: Path, lists: list[Path]) -> subprocess.Popen:
    kiteguard = [sys.executable, "-m", "kiteguard", "--home", str(home)]
    for path in lists:
        subprocess.run([*kiteguard, "lists", "import", str(path), "--category", "adult"], check=True,
                       stdout=subprocess.DEVNULL)
    process = subprocess.Popen([*kiteguard, "run", "--proxy-port", str(port), "--ui-port", str(free_port())],
                               stdout=subprocess.DEVNULL)
    wait_for_port(port)
    return process


async def load(proxy_port: int, url: str, requests: int, concurrency: int, *, unique: bool = False,
               offset: int = 0) -> dict[str, float]:
    """``unique`` gives every request its own query string, so no per-URL cache (the classifier's
    verdicts) can answer it: the cost of reading every page is measured, not of a reload."""
    latencies: list[float] = []
    errors = 0
    queue = iter(range(offset, offset + requests))
    proxy = f"http://127.0.0.1:{proxy_port}"
    timeout = aiohttp.ClientTimeout(total=60)

    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency), timeout=timeout) as session:

        async def client() -> None:
            nonlocal errors
            for number in queue:
                started = time.perf_counter()
                try:
                    async with session.get(f"{url}?n={number}" if unique else url, proxy=proxy) as reply:
                        await reply.read()
                        if reply.status != 200:
                            errors += 1
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    errors += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "rps": requests / elapsed,
        "errors": errors,
    }


def summarise(rounds: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--list", type=Path, action="append", default=[], help="a blocklist to import first")
    parser.add_argument("--image", action="store_true", help="also measure the 1 MB image")
    parser.add_argument("--repeat-urls", action="store_true",
                        help="fetch the same page URL every time (per-URL caches then answer most requests)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scratch_path = Path(scratch)
        upstream_port, plain_port, kiteguard_port = free_port(), free_port(), free_port()
        processes = {
            "upstream": start_upstream(upstream_port),
            "mitmdump": start_mitmdump(plain_port, scratch_path / "mitmdump"),
            "kiteguard": start_kiteguard(kiteguard_port, scratch_path / "home", args.list),
        }
        ports = {"mitmdump": plain_port, "kiteguard": kiteguard_port}
        paths = {"page": "/page"} | ({"image": "/image.png"} if args.image else {})
        try:
            results: dict[str, dict[str, list[dict[str, float]]]] = {
                name: {kind: [] for kind in paths} for name in ports
            }
            for kind, path in paths.items():
                url = f"http://127.0.0.1:{upstream_port}{path}"
                requests = args.requests if kind == "page" else max(args.requests // 10, 100)
                unique = kind == "page" and not args.repeat_urls
                for name in ports:  # warm-up: certificates, caches, connection pools
                    asyncio.run(load(ports[name], url, 100, args.concurrency, unique=unique, offset=10**9))
                for round_ in range(args.rounds):
                    for name in ports:  # both proxies get the same URLs, in alternating rounds
                        results[name][kind].append(asyncio.run(load(ports[name], url, requests, args.concurrency,
                                                                    unique=unique, offset=round_ * requests)))
            report: dict[str, object] = {"machine": {"cpus": os.cpu_count(), "load_average": os.getloadavg()},
                                         "unique_page_urls": not args.repeat_urls, "concurrency": args.concurrency,
                                         "rounds": args.rounds, "requests_per_round": args.requests}
            for name in ports:
                report[name] = {kind: summarise(rounds) for kind, rounds in results[name].items()}
                report[name]["rss_mib"] = rss_kib(processes[name].pid) / 1024  # type: ignore[index]
            kg, plain = report["kiteguard"], report["mitmdump"]
            report["ratios"] = {
                kind: {
                    "p50_latency": kg[kind]["p50_ms"] / plain[kind]["p50_ms"],  # type: ignore[index]
                    "throughput": kg[kind]["rps"] / plain[kind]["rps"],  # type: ignore[index]
                }
                for kind in paths
            }
        finally:
            for process in processes.values():
                process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
