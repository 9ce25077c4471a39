"""Hostile or broken clients on the family's network: the proxy keeps serving everyone else.

A program on the computer (or a buggy one) can open hundreds of connections and never finish
its request, or send bytes that are not HTTP at all. None of that may take the family offline.
"""

from __future__ import annotations

import socket
import time

import pytest
from faultprobe import (
    NORMAL_PAGE_TEXT,
    health,
    open_fds,
    peak_rss_mib,
    reset_peak,
    rss_mib,
    serves_normal_page,
)

from kgtest import Kiteguard

MAX_GROWTH_MIB = 150
SLOW_CLIENTS = 400


def _exchange(port: int, data: bytes, *, chunk: int = 1 << 16, wait: float = 0.5) -> bytes:
    """Send raw bytes to the proxy and return whatever it answers before closing or going quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        try:
            for start in range(0, len(data), chunk):
                sock.sendall(data[start:start + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the proxy hung up on us mid-request, which is a fine answer to garbage
        answer = b""
        try:
            while part := sock.recv(65536):
                answer += part
        except (TimeoutError, ConnectionResetError):
            pass
        return answer


# -- many connections that never finish a request -------------------------------------------------

def test_slowloris_clients_do_not_lock_out_the_family(hostile_proxy: Kiteguard) -> None:
    pid = hostile_proxy.process.pid
    fds_before = open_fds(pid)
    slow = []
    for index in range(SLOW_CLIENTS):
        sock = socket.create_connection(("127.0.0.1", hostile_proxy.proxy_port), timeout=10)
        sock.sendall(f"GET http://slow{index}.test/page HTTP/1.1\r\nHost: slow{index}.test\r\nX-A: ".encode())
        slow.append(sock)
    try:
        for round_ in range(3):  # the slow clients keep trickling bytes; a normal client still gets pages
            for sock in slow:
                sock.sendall(b"a")
            assert serves_normal_page(hostile_proxy.proxy_port), round_
        assert health(hostile_proxy.ui_port)["kiteguard"] is True
    finally:
        for sock in slow:
            sock.close()
    deadline = time.monotonic() + 20
    while open_fds(pid) > fds_before + 10 and time.monotonic() < deadline:
        time.sleep(0.2)  # closed connections are released, not leaked
    assert open_fds(pid) <= fds_before + 10
    assert serves_normal_page(hostile_proxy.proxy_port)


# -- bytes that are not a valid request -----------------------------------------------------------

@pytest.mark.parametrize("data", [
    # garbage
    bytes(range(256)) * 16,
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 500,  # a TLS hello sent to a plain port
    b"\r\n" * 10_000,
    # bad request lines
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET http://blocked.test/ HTTP/9.9\r\n\r\n",
    b"GET http://exa mple.test/ HTTP/1.1\r\nHost: exa mple.test\r\n\r\n",
    b"GET http://-bad-.test/ HTTP/1.1\r\nHost: -bad-.test\r\n\r\n",
    b"GET http://[::1/ HTTP/1.1\r\n\r\n",
    b"GET http://blocked.test:99999/ HTTP/1.1\r\nHost: blocked.test:99999\r\n\r\n",
    b"GET /relative-path HTTP/1.1\r\nHost: blocked.test\r\n\r\n",
    b"CONNECT blocked.test HTTP/1.1\r\n\r\n",
    b"CONNECT blocked.test:443 HTTP/1.1\r\n\r\n" + bytes(range(256)) * 4,  # a tunnel that carries garbage
    # bodies whose length lies or contradicts itself (request smuggling attempts)
    b"POST http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nContent-Length: -1\r\n\r\n",
    b"POST http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello",
    b"POST http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nContent-Length: 4\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    b"POST http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    # huge
    b"GET http://blocked.test/" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: blocked.test\r\n\r\n",
    b"GET http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nX-Big: " + b"b" * (4 << 20) + b"\r\n\r\n",
    b"GET http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\n" + b"X-Many: c\r\n" * 50_000 + b"\r\n",
], ids=lambda data: repr(data[:24]))
def test_a_malformed_request_is_refused_and_the_proxy_carries_on(hostile_proxy: Kiteguard, data: bytes) -> None:
    pid = hostile_proxy.process.pid
    before = rss_mib(pid)
    reset_peak(pid)
    answer = _exchange(hostile_proxy.proxy_port, data)
    assert NORMAL_PAGE_TEXT.encode() not in answer  # refused or judged: the blocked site is never reached
    assert peak_rss_mib(pid) - before <= MAX_GROWTH_MIB
    assert serves_normal_page(hostile_proxy.proxy_port)


def test_a_request_head_that_never_ends_is_cut_off(hostile_proxy: Kiteguard) -> None:
    """64 MB of header with no blank line: refused at 256 KB (proxy/headguard.py), never buffered."""
    pid = hostile_proxy.process.pid
    before = rss_mib(pid)
    reset_peak(pid)
    data = b"GET http://blocked.test/ HTTP/1.1\r\nHost: blocked.test\r\nX-Endless: " + b"z" * (64 << 20)
    answer = _exchange(hostile_proxy.proxy_port, data, chunk=1 << 20, wait=5)
    assert answer.startswith(b"HTTP/1.1 431")
    assert peak_rss_mib(pid) - before <= 20
    assert serves_normal_page(hostile_proxy.proxy_port)
