"""Hostile and broken websites: the family stays online, memory stays bounded, nothing is lost.

Every test ends by loading a normal page through the same proxy process.
"""

from __future__ import annotations

import hashlib
import http.client
import socket

import pytest
from faultprobe import (
    get,
    health,
    peak_rss_mib,
    reset_peak,
    rss_mib,
    serves_normal_page,
)

from kgtest import Kiteguard, Upstream

MAX_GROWTH_MIB = 150
MIB = 1 << 20


def _expected(fault_site: Upstream, path: str) -> tuple[int, str]:
    """Size and hash of what the hostile site sends, fetched directly (no proxy)."""
    connection = http.client.HTTPConnection("127.0.0.1", fault_site.http_port, timeout=60)
    connection.request("GET", path, headers={"Host": "direct.test"})
    body = connection.getresponse().read()
    connection.close()
    return len(body), hashlib.sha256(body).hexdigest()


# -- bodies far larger than memory ----------------------------------------------------------------

@pytest.mark.parametrize("path", ["/gzip-bomb", "/brotli-bomb"])
def test_a_compression_bomb_served_as_html_passes_through_as_sent(hostile_proxy: Kiteguard, fault_site: Upstream,
                                                                  path: str) -> None:
    pid = hostile_proxy.process.pid
    size, digest = _expected(fault_site, path)
    before = rss_mib(pid)
    reset_peak(pid)
    fetched = get(hostile_proxy.proxy_port, f"http://bomb.test{path}", headers={"Accept-Encoding": "gzip, br"})
    assert fetched.status == 200
    assert (fetched.size, fetched.sha256) == (size, digest)  # the compressed body, byte for byte
    assert peak_rss_mib(pid) - before <= MAX_GROWTH_MIB  # 1 GiB once inflated; never inflated in full
    assert serves_normal_page(hostile_proxy.proxy_port)


@pytest.mark.parametrize("path, content_type", [
    ("/download?mib=200", "application/octet-stream"),  # a download: streamed as it arrives
    ("/html-chunked?mib=40", "text/html"),  # a page with no length that outgrows the buffer cap
])
def test_a_huge_body_streams_through_with_bounded_memory(hostile_proxy: Kiteguard, path: str,
                                                         content_type: str) -> None:
    pid = hostile_proxy.process.pid
    mib = int(path.rsplit("=", 1)[1])
    before = rss_mib(pid)
    reset_peak(pid)
    fetched = get(hostile_proxy.proxy_port, f"http://files.test{path}", timeout=120)
    assert fetched.status == 200
    assert fetched.headers["content-type"].startswith(content_type)
    assert fetched.size >= mib * MIB  # every byte arrived
    assert peak_rss_mib(pid) - before <= MAX_GROWTH_MIB
    assert serves_normal_page(hostile_proxy.proxy_port)


# -- text that lies about its encoding ------------------------------------------------------------

@pytest.mark.parametrize("name", [
    "unknown",  # a charset no codec knows
    "empty",  # "charset=" with nothing after it
    "conflict",  # header says UTF-16, <meta> says windows-1258, bytes are UTF-8
    "invalid-utf8",  # declared UTF-8, with bytes that are not
    "bom-conflict",  # header says Latin-1, a UTF-16 byte-order mark says otherwise
    "twice",  # two different charsets in one header
    "huge-name",  # a 5,000-character charset name
    "utf7",  # UTF-7, which browsers refuse because it hides markup
])
def test_a_page_with_a_broken_charset_is_delivered_unchanged(hostile_proxy: Kiteguard, fault_site: Upstream,
                                                             name: str) -> None:
    size, digest = _expected(fault_site, f"/charset/{name}")
    fetched = get(hostile_proxy.proxy_port, f"http://charset.test/charset/{name}")
    assert fetched.status == 200
    assert (fetched.size, fetched.sha256) == (size, digest)
    assert serves_normal_page(hostile_proxy.proxy_port)


# -- upstreams that break off ---------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/truncated",  # Content-Length larger than what is sent, then the server closes
    "/reset",  # the server resets the connection
])
def test_a_broken_upstream_gives_the_child_an_error_not_a_hang(hostile_proxy: Kiteguard, path: str) -> None:
    try:
        fetched = get(hostile_proxy.proxy_port, f"http://broken.test{path}", timeout=30)
        assert fetched.status == 502  # mitmproxy's bad-gateway page
    except (http.client.IncompleteRead, ConnectionError):
        pass  # or the connection ends early, as the site's own did: the browser shows its error page
    assert serves_normal_page(hostile_proxy.proxy_port)
    assert health(hostile_proxy.ui_port)["kiteguard"] is True


def test_a_response_head_that_never_ends_is_cut_off(hostile_proxy: Kiteguard) -> None:
    """A site sends 64 MB of one header: the proxy hangs up on it at 256 KB and tells the browser."""
    pid = hostile_proxy.process.pid
    before = rss_mib(pid)
    reset_peak(pid)
    fetched = get(hostile_proxy.proxy_port, "http://endless.test/endless-head", timeout=30)
    assert fetched.status == 502
    assert peak_rss_mib(pid) - before <= 20
    assert serves_normal_page(hostile_proxy.proxy_port)


@pytest.mark.parametrize("path", [
    "/stall",  # headers and half a body, then silence
    "/silent",  # the request is read and never answered
])
def test_a_silent_upstream_holds_only_its_own_request(hostile_proxy: Kiteguard, path: str) -> None:
    pid = hostile_proxy.process.pid
    waiting = []
    for _ in range(20):  # twenty tabs stuck on a dead site
        sock = socket.create_connection(("127.0.0.1", hostile_proxy.proxy_port), timeout=10)
        sock.sendall(f"GET http://stuck.test{path} HTTP/1.1\r\nHost: stuck.test\r\n\r\n".encode())
        waiting.append(sock)
    try:
        for _ in range(5):
            assert serves_normal_page(hostile_proxy.proxy_port)  # other sites load meanwhile
    finally:
        for sock in waiting:
            sock.close()  # the child gives up: the proxy lets go of both sides
    assert serves_normal_page(hostile_proxy.proxy_port)
    assert rss_mib(pid) < 400
