"""Bypass routes and safe search through the real `kiteguard run` process.

Every upstream connection the proxy opens is routed to the local test site (tests/kiteguard_launcher.py),
so nothing here can reach the network even if a route were left open: the assertions show it is closed.
One service runs for the whole module, because starting one costs more than all of its requests.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from bypass_policy import import_bypass_policy

from kiteguard.proxy.store import Store

from kgtest import Kiteguard, Upstream, start_routed_kiteguard


@pytest.fixture(scope="module")
def kg(tmp_path_factory: pytest.TempPathFactory, upstream: Upstream) -> Iterator[Kiteguard]:
    home = import_bypass_policy(tmp_path_factory.mktemp("bypass"))
    running = start_routed_kiteguard(home, upstream)
    yield running
    running.stop()


def bypass_event(home: Path, host: str) -> str:
    """The detail of the parent-visible bypass event for a host (events are written in batches)."""
    deadline = time.monotonic() + 15
    while True:
        store = Store(home / "kiteguard.sqlite3")
        try:
            found = [e.detail for e in store.events() if e.source == "bypass" and e.host == host]
        finally:
            store.close()
        if found or time.monotonic() > deadline:
            assert found, f"no bypass event for {host}"
            return found[-1]
        time.sleep(0.2)


# -- safe search reaches the search engine ----------------------------------------------------------


@pytest.mark.parametrize("host", ["www.google.com", "www.google.com.vn", "www.google.co.uk"])
def test_google_gets_safe_active_instead_of_safe_off(kg: Kiteguard, host: str) -> None:
    reply = kg.fetch(f"https://{host}/search?q=meo&safe=off")
    assert reply.status == 200
    assert "<p id='query'>q=meo&safe=active</p>" in reply.text


def test_bing_gets_adlt_strict_and_its_cookie(kg: Kiteguard) -> None:
    # The test site prints the query string when it has a "safe" parameter.
    page = kg.fetch("https://www.bing.com/search?q=x&safe=1&adlt=off").text
    assert "q=x&safe=1&adlt=strict" in page
    echoed = json.loads(kg.fetch("https://www.bing.com/echo", headers={"Cookie": "MUID=abc"}).body)
    assert echoed["headers"]["Cookie"] == "MUID=abc; SRCHHPGUSR=ADLT=STRICT"


def test_duckduckgo_gets_kp_1(kg: Kiteguard) -> None:
    echoed = json.loads(kg.fetch("https://duckduckgo.com/echo?q=x&kp=-2").body)
    assert echoed["query"] == "q=x&kp=1"


@pytest.mark.parametrize("host", ["www.youtube.com", "m.youtube.com", "youtubei.googleapis.com"])
def test_youtube_gets_the_restrict_header(kg: Kiteguard, host: str) -> None:
    echoed = json.loads(kg.fetch(f"https://{host}/echo").body)
    assert echoed["headers"]["YouTube-Restrict"] == "Strict"


# -- DNS over HTTPS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://dns.google/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
        "https://cloudflare-dns.com/dns-query",
        "https://mozilla.cloudflare-dns.com/dns-query",
        "https://1.1.1.1/dns-query",
        "https://dns.quad9.net/dns-query",
        "https://doh.opendns.com/dns-query",
    ],
)
def test_doh_endpoints_are_blocked(kg: Kiteguard, url: str) -> None:
    reply = kg.fetch(url, headers={"Accept": "application/dns-message"})
    assert reply.status == 403


def test_doh_posts_to_an_unknown_resolver_are_blocked(kg: Kiteguard) -> None:
    reply = kg.fetch("https://resolver.test/q", data=b"\x00\x01", method="POST",
                     headers={"Content-Type": "application/dns-message"})
    assert reply.status == 403
    assert "DNS over HTTPS" in bypass_event(kg.home, "resolver.test")


# -- wrapped copies ---------------------------------------------------------------------------------


def test_a_translate_proxy_host_of_a_denied_site_is_blocked(kg: Kiteguard) -> None:
    reply = kg.fetch("https://example--bad-vn.translate.goog/?_x_tr_sl=vi&_x_tr_tl=en")
    assert reply.status == 403 and "example--bad-vn.translate.goog" in reply.text
    detail = bypass_event(kg.home, "example--bad-vn.translate.goog")
    assert detail == "example-bad.vn opened through Google Translate (example--bad-vn.translate.goog)"


def test_a_translate_proxy_host_of_an_allowed_site_still_works(kg: Kiteguard) -> None:
    assert kg.fetch("https://vi-wikipedia-org.translate.goog/wiki/Hanoi").status == 200


@pytest.mark.parametrize(
    "url",
    [
        "https://web.archive.org/web/2024/https://example-bad.vn/",
        "https://archive.ph/newest/https://example-bad.vn/",
        "https://webcache.googleusercontent.com/search?q=cache:" + quote("https://example-bad.vn/"),
    ],
)
def test_archive_and_cache_copies_are_judged_by_the_page_inside(kg: Kiteguard, url: str) -> None:
    assert kg.fetch(url).status == 403


# -- bare IPs, redirects, QUIC adverts, WebSockets and raw tunnels -----------------------------------


def test_bare_ip_urls_are_blocked_when_the_profile_says_so(kg: Kiteguard) -> None:
    reply = kg.fetch("http://203.0.113.9/")
    assert reply.status == 403
    assert "bare IP" in bypass_event(kg.home, "203.0.113.9")


def test_a_redirect_to_a_denied_site_is_stopped_at_the_hop(kg: Kiteguard) -> None:
    reply = kg.fetch("https://short.test/respond?status=302&Location=" + quote("https://example-bad.vn/x"))
    assert reply.status == 403 and "location" not in reply.headers
    assert bypass_event(kg.home, "example-bad.vn") == "a redirect from short.test to example-bad.vn"


def test_alt_svc_never_reaches_the_browser(kg: Kiteguard) -> None:
    reply = kg.fetch("https://site.test/respond?Alt-Svc=" + quote('h3=":443"; ma=86400'))
    assert reply.status == 200 and "alt-svc" not in reply.headers


def test_a_websocket_to_a_denied_site_is_refused(kg: Kiteguard) -> None:
    reply = kg.fetch("https://example-bad.vn/socket", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert reply.status == 403


def test_a_connect_tunnel_carrying_ssh_is_refused(kg: Kiteguard) -> None:
    with socket.create_connection(("127.0.0.1", kg.proxy_port), timeout=10) as sock:
        sock.sendall(b"CONNECT vpn.test:22 HTTP/1.1\r\nHost: vpn.test:22\r\n\r\n")
        assert sock.recv(1024).startswith(b"HTTP/1.1 200")
        sock.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        # Refused before any connection: the proxy closes the tunnel without an answer from anyone.
        assert sock.recv(1024) == b""
    assert "SSH connection to vpn.test" in bypass_event(kg.home, "vpn.test")
