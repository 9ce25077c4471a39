"""What the fault tests share: the hostile policy, starting a proxy, and what they measure.

Fetches go through the proxy with http.client and never decode or keep the body, so a bomb or a
200 MB download costs the test nothing; the body is counted and hashed as it streams past.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kiteguard.proxy.paths import Home
from kiteguard.proxy.policyfile import dump_policy, parse_policy
from kiteguard.proxy.store import Store

from kgtest import Kiteguard, Upstream, _wait_until_running

NORMAL_PAGE_TEXT = "Xin chào"
# The child may not reach blocked.test: a malformed request must never slip through to it.
HOSTILE_POLICY = """
language = "vi"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "child"

[[profiles]]
name = "child"
block = ["adult"]
deny = ["blocked.test"]
"""
FAULT_LAUNCHER = Path(__file__).with_name("fault_launcher.py")


def put_policy(home: Path, toml: str) -> int:
    """Validate and store a policy the way ``kiteguard policy import`` does; returns its revision."""
    store = Store(Home(home).db_path)
    try:
        return store.save_policy(dump_policy(parse_policy(toml)))
    finally:
        store.close()


def proc_status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def rss_mib(pid: int) -> float:
    return proc_status_kib(pid, "VmRSS") / 1024


def peak_rss_mib(pid: int) -> float:
    """The most resident memory since the last reset_peak: catches a spike that was freed again."""
    return proc_status_kib(pid, "VmHWM") / 1024


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@dataclass(frozen=True)
class Fetched:
    status: int
    headers: dict[str, str]
    size: int
    sha256: str
    text: str  # the first 4 KB, decoded leniently, for assertions on pages


def get(proxy_port: int, url: str, *, headers: dict[str, str] | None = None, timeout: float = 30.0) -> Fetched:
    """GET an http:// URL through the proxy, streaming the body past without keeping it."""
    connection = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=timeout)
    try:
        connection.putrequest("GET", url, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", url.split("/")[2])
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        reply = connection.getresponse()
        digest, size, head = hashlib.sha256(), 0, b""
        while chunk := reply.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
        return Fetched(reply.status, {k.lower(): v for k, v in reply.getheaders()}, size, digest.hexdigest(),
                       head.decode("utf-8", "replace"))
    finally:
        connection.close()


def health(ui_port: int) -> dict[str, object]:
    with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/healthz", timeout=10) as reply:
        return json.loads(reply.read())


def serves_normal_page(proxy_port: int) -> bool:
    fetched = get(proxy_port, "http://after-fault.test/page")
    return fetched.status == 200 and NORMAL_PAGE_TEXT in fetched.text


def start_small_queue_kiteguard(home: Path, site: Upstream, event_queue: int) -> Kiteguard:
    """The real service routed to ``site``, holding at most ``event_queue`` unwritten events."""
    put_policy(home, HOSTILE_POLICY)
    command = [sys.executable, str(FAULT_LAUNCHER), str(event_queue), str(home), str(site.http_port),
               str(site.https_port), str(site.ca_pem)]
    return _wait_until_running(home, command)


def stored_events(home: Path) -> int:
    store = Store(Home(home).db_path)
    try:
        return int(store.query("SELECT COUNT(*) FROM events")[0][0])
    finally:
        store.close()
