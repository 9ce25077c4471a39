"""Blocklist matcher benchmark: compiled mmap matcher beside a naive Python set, at 0.1 M, 1.36 M and 3 M names.

Prints one JSON object. The 1.36 M set is the union of every list under ../shared/data/blocklists;
0.1 M is a sample of it and 3 M adds generated names. Lookups walk every label suffix of the host in
both matchers (that is what label-boundary matching costs).

Run: ``python benchmarks/bench_blocklists.py`` (everything), or
``python benchmarks/bench_blocklists.py --sizes 1.36M --lookups-only`` (the 1.36 M lookups and the set only).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from kiteguard.blocklists.content import read_path
from kiteguard.blocklists.formats import BLOCK, NotAList
from kiteguard.blocklists.live import LiveLists
from kiteguard.blocklists.matcher import CompiledLists, compiled_path, name_key
from kiteguard.blocklists.registry import SourceRegistry

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)
SAMPLES = 20_000
TLDS = ("com", "net", "org", "vn", "com.vn", "info", "xyz", "io", "de", "ru")


def find_shared() -> Path:
    if os.environ.get("KITEGUARD_SHARED"):
        return Path(os.environ["KITEGUARD_SHARED"]) / "data" / "blocklists"
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "blocklists").is_dir():
            return parent / "shared" / "data" / "blocklists"
    sys.exit("../shared/data/blocklists is absent: nothing to measure")


def rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def union_of_shared_lists(root: Path) -> list[str]:
    names: set[str] = set()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        try:
            content = read_path(path, "adult", None)
        except (NotAList, ValueError):
            continue
        for part in content.parts:
            names.update(n for n, k in zip(part.parsed.names, part.parsed.kinds, strict=True) if k == BLOCK)
    return sorted(names)


def generated(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters = string.ascii_lowercase + string.digits
    return [
        "".join(rng.choices(letters, k=rng.randint(5, 14))) + "." + rng.choice(TLDS) for _ in range(count)
    ]


def timings(lookup, hosts: list[str]) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Wall-clock p50/p99 per call, and the mean CPU time per call (less disturbed by a busy machine)."""
    clock = time.perf_counter_ns
    overhead = min(-(clock() - clock()) for _ in range(1000))
    samples = []
    for host in hosts:
        start = clock()
        lookup(host)
        samples.append(clock() - start - overhead)
    samples.sort()
    started = time.thread_time_ns()
    for host in hosts:
        lookup(host)
    cpu = (time.thread_time_ns() - started) / len(hosts)
    return {
        "p50_ns": samples[len(samples) // 2],
        "p99_ns": samples[len(samples) * 99 // 100],
        "cpu_mean_ns": round(cpu),
    }


def browsing(names: list[str], rng: random.Random) -> list[str]:
    """Requests as a browser makes them: a few hundred sites, each asked for many times (Zipf-like)."""
    sites = rng.sample(names, 500)
    weights = [1 / (rank + 1) for rank in range(len(sites))]
    return ["www." + site for site in rng.choices(sites, weights=weights, k=SAMPLES)]


def naive_lookup(table: set[str]):  # type: ignore[no-untyped-def]
    def lookup(host: str) -> list[str]:
        found = []
        start = 0
        while True:
            suffix = host[start:]
            if suffix in table:
                found.append(suffix)
            start = host.find(".", start) + 1
            if not start:
                return found

    return lookup


def measure(names: list[str], work: Path) -> dict[str, object]:
    rng = random.Random(1)
    count = len(names)
    source = work / f"list-{count}.txt"
    source.write_text("\n".join(names) + "\n", encoding="ascii")
    lists_dir = work / f"lists-{count}"
    started = time.perf_counter()
    registry = SourceRegistry(lists_dir)
    registry.import_file(source, "adult", "plain", NOW)
    registry.compile()
    import_s = time.perf_counter() - started
    compiled_file = compiled_path(lists_dir)
    assert compiled_file is not None
    gc.collect()
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        matcher = CompiledLists(compiled_file)
        loads.append(time.perf_counter() - started)
    hits = rng.sample(names, SAMPLES)
    subdomains = ["www.cdn." + name for name in rng.sample(names, SAMPLES)]
    table_names = set(names)
    misses = [name for name in generated(SAMPLES + 1000, seed=99) if name not in table_names][:SAMPLES]
    del table_names
    gc.collect()
    before = rss_bytes()
    fresh = "\n".join(names).split("\n")  # new string objects, owned by the set alone below
    naive = set(fresh)
    del fresh
    gc.collect()
    naive_bytes = rss_bytes() - before
    compiled_lookup, set_lookup = matcher.lookup, naive_lookup(naive)
    visits = browsing(names, rng)
    assert all(compiled_lookup(host) for host in hits[:1000]) and all(set_lookup(h) for h in hits[:1000])
    result = {
        "domains": count,
        "compiled": {
            "file_bytes": compiled_file.stat().st_size,
            "bytes_per_domain": round(compiled_file.stat().st_size / count, 1),
            "load_s": round(min(loads), 5),
            "hit": timings(compiled_lookup, hits),
            "subdomain_hit": timings(compiled_lookup, subdomains),
            "miss": timings(compiled_lookup, misses),
            "browsing_hits": timings(compiled_lookup, visits),
            "import_and_compile_s": round(import_s, 2),
            "key_collisions": count - len(np.unique(np.fromiter((name_key(n) for n in names), np.uint64, count))),
        },
        "naive_set": {
            "bytes_per_domain": round(naive_bytes / count, 1),
            "hit": timings(set_lookup, hits),
            "subdomain_hit": timings(set_lookup, subdomains),
            "miss": timings(set_lookup, misses),
            "browsing_hits": timings(set_lookup, visits),
        },
    }
    del naive, set_lookup
    gc.collect()
    return result


def swap_rss(names: list[str], work: Path) -> dict[str, int]:
    """RSS of a proxy-like holder of the lists before, during and after a swap to a new compiled file."""
    lists_dir = work / "swap"
    registry = SourceRegistry(lists_dir)
    registry.import_file(_write(work / "swap-a.txt", names), "adult", "plain", NOW)
    registry.compile()
    live = LiveLists(lists_dir, clock=time.monotonic, interval=0)
    base = rss_bytes()
    for name in names[::7]:
        live.lookup(name)
    warm = rss_bytes()
    registry.import_file(_write(work / "swap-b.txt", names[: len(names) // 10]), "games", "plain", NOW)
    registry.compile()
    live.refresh()
    after_swap = rss_bytes()
    for name in names[::7]:
        live.lookup(name)
    rewarmed = rss_bytes()
    mib = 1 << 20
    return {"before_mib": base // mib, "warm_mib": warm // mib, "just_after_swap_mib": after_swap // mib,
            "rewarmed_mib": rewarmed // mib}


def _write(path: Path, names: list[str]) -> Path:
    path.write_text("\n".join(names) + "\n", encoding="ascii")
    return path


def cold_lookup_s(lists_dir: Path) -> float:
    """A new Python process that maps the compiled lists and answers one lookup (like ``kiteguard check``)."""
    code = (
        "import sys; from kiteguard.blocklists.matcher import CompiledLists;"
        "print(CompiledLists(__import__('pathlib').Path(sys.argv[1])).lookup('www.example-miss.com'))"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(compiled_path(lists_dir))], check=True, capture_output=True)
    return round(time.perf_counter() - started, 3)


def cli_import(names: list[str], work: Path) -> dict[str, float]:
    """``kiteguard lists import`` of a 1 M-name file, in its own process: wall time and peak RSS."""
    path = _write(work / "import-1m.txt", names)
    code = (
        "import argparse, sys, types; from pathlib import Path; from kiteguard.blocklists import cli\n"
        "p = argparse.ArgumentParser(); cli.register(p.add_subparsers())\n"
        "a = p.parse_args(['lists', 'import', sys.argv[1], '--category', 'adult'])\n"
        "a.handler(a, types.SimpleNamespace(lists_dir=Path(sys.argv[2])))\n"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(path), str(work / "cli-home")], check=True,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec from this (large) parent.
    return {"domains": len(names), "wall_s": round(wall, 2), "peak_rss_mib": int(done.stdout.split()[-1]) // 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=("0.1M", "1.36M", "3M"), default=["0.1M", "1.36M", "3M"])
    parser.add_argument("--lookups-only", action="store_true",
                        help="skip the cold process, the 1 M CLI import and the swap RSS measurements")
    args = parser.parse_args()
    root = find_shared()
    started = time.perf_counter()
    union = union_of_shared_lists(root)
    union_s = time.perf_counter() - started
    rng = random.Random(5)
    sizes = {"0.1M": sorted(rng.sample(union, 100_000)), "1.36M": union}
    if "3M" in args.sizes:
        union_set = set(union)
        candidates = dict.fromkeys(generated(3_000_000 - len(union) + 50_000, seed=3))
        extra = [name for name in candidates if name not in union_set]
        del union_set
        sizes["3M"] = union + extra[: 3_000_000 - len(union)]
    report: dict[str, object] = {
        "benchmark": "blocklists",
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "parse_all_shared_lists_s": round(union_s, 1),
        "load_average_at_start": [round(value, 1) for value in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        report["sizes"] = {label: measure(sizes[label], work) for label in args.sizes}
        if not args.lookups_only:
            if "1.36M" not in args.sizes:
                measure(union, work)  # the cold-process measurement maps this compiled file
            report["cold_process_lookup_s_1.36M"] = cold_lookup_s(work / f"lists-{len(union)}")
            report["lists_import_1M"] = cli_import(union[:1_000_000], work)
            report["swap_rss_1.36M"] = swap_rss(union, work)
    report["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    report["load_average_at_end"] = [round(value, 1) for value in os.getloadavg()]  # a busy machine inflates times
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
