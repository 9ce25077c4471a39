"""A household with 1 M listed names: import time, a cold ``check``, and ``run``'s memory.

On a fresh temporary home, with exactly 1,000,000 names (the first million of the union of the
lists under ../shared/data/blocklists, in sorted order; seeded generated names fill up if the
union is short), each step runs as the user would run it, in its own process:

- ``kiteguard --home H lists import FILE --category adult`` (wall time);
- ``kiteguard --home H check https://x.example --json``, cold: process start included;
- ``kiteguard --home H run`` on free loopback ports: RSS once it listens, and after proxied
  requests to a loopback upstream (the proxy process and its children, if any).

Nothing leaves 127.0.0.1. Prints one JSON object. Run: python benchmarks/bench_household.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench_blocklists import find_shared, generated, union_of_shared_lists
from bench_proxy import free_port, rss_kib, start_upstream, wait_for_port

NAMES = 1_000_000


def kiteguard_command() -> list[str]:
    """The installed ``kiteguard`` script beside this Python, as a user would type it."""
    script = Path(sys.executable).parent / "kiteguard"
    found = script if script.exists() else shutil.which("kiteguard")
    return [str(found)] if found else [sys.executable, "-m", "kiteguard"]


def million_names(root: Path) -> tuple[list[str], str]:
    union = union_of_shared_lists(root)
    if len(union) >= NAMES:
        return union[:NAMES], "union of ../shared/data/blocklists"
    known = set(union)
    extra = [name for name in dict.fromkeys(generated(2 * NAMES, seed=7)) if name not in known]
    return sorted(union + extra[: NAMES - len(union)]), "union plus seeded generated names"


def timed(command: list[str]) -> tuple[float, str]:
    """Wall seconds and standard output of one command."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()}")
    return wall, done.stdout


def tree_rss_mib(pid: int) -> float:
    """RSS of a process and its children (a classifier worker, if ``run`` starts one)."""
    total = rss_kib(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += rss_kib(int(child))
    return round(total / 1024, 1)


def browse(proxy_port: int, upstream_port: int, requests: int) -> int:
    """Plain-HTTP page requests through the proxy to the loopback upstream; how many got a 200."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": f"http://127.0.0.1:{proxy_port}"}))
    ok = 0
    for number in range(requests):
        with opener.open(f"http://127.0.0.1:{upstream_port}/page?n={number}", timeout=30) as reply:
            reply.read()
            ok += reply.status == 200
    return ok


def measure_run(home: Path, requests: int) -> dict[str, object]:
    upstream_port, proxy_port, ui_port = free_port(), free_port(), free_port()
    upstream = start_upstream(upstream_port)
    started = time.perf_counter()
    proxy = subprocess.Popen([*kiteguard_command(), "--home", str(home), "run", "--proxy-port", str(proxy_port),
                              "--ui-port", str(ui_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(proxy_port, timeout=120)
        wait_for_port(ui_port, timeout=120)
        ready = time.perf_counter() - started
        time.sleep(2)  # let start-up work (the lists' first refresh, the worker) settle
        at_start = tree_rss_mib(proxy.pid)
        ok = browse(proxy_port, upstream_port, requests)
        after = tree_rss_mib(proxy.pid)
        return {"listening_after_s": round(ready, 2), "rss_after_start_mib": at_start,
                "proxied_requests": requests, "proxied_ok": ok, "rss_after_requests_mib": after}
    finally:
        for process in (proxy, upstream):
            process.send_signal(signal.SIGTERM)
        for process in (proxy, upstream):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="proxied loopback requests before the last RSS")
    args = parser.parse_args()
    names, origin = million_names(find_shared())
    kiteguard = kiteguard_command()
    report: dict[str, object] = {"benchmark": "household", "cpus": os.cpu_count(), "names": len(names),
                                 "names_from": origin, "kiteguard": " ".join(Path(part).name for part in kiteguard),
                                 "load_average_at_start": [round(value, 1) for value in os.getloadavg()]}
    with tempfile.TemporaryDirectory() as scratch:
        home, listing = Path(scratch) / "home", Path(scratch) / "one-million.txt"
        listing.write_text("\n".join(names) + "\n", encoding="ascii")
        del names
        wall, out = timed([*kiteguard, "--home", str(home), "lists", "import", str(listing), "--category", "adult"])
        report["lists_import_s"] = round(wall, 2)
        report["lists_import_says"] = out.strip().splitlines()[-1:] if out.strip() else []
        colds = []
        for _ in range(3):  # the first also pays for compiling Python bytecode into the page cache
            wall, out = timed([*kiteguard, "--home", str(home), "check", "https://x.example", "--json"])
            colds.append(round(wall, 2))
        report["cold_check_s"] = colds
        report["cold_check_answer"] = json.loads(out)["action"]
        report["run"] = measure_run(home, args.requests)
    report["load_average_at_end"] = [round(value, 1) for value in os.getloadavg()]
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
