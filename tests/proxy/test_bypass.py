from __future__ import annotations

import pytest
from mitmproxy.http import Headers

from kiteguard.proxy.bypass import (
    bare_ip_reason,
    doh_reason,
    filters_anything,
    is_lan_address,
    is_websocket_upgrade,
    redirect_target,
    strip_quic_adverts,
    tunnel_kind,
    tunnel_reason,
)
from kiteguard.proxy.household import Profile
from kiteguard.proxy.urls import parse_url


@pytest.mark.parametrize(
    "url",
    [
        # Google
        "https://dns.google/dns-query?dns=AAABAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB",
        "https://dns.google/resolve?name=example.com",
        "https://8.8.8.8/dns-query",
        # Cloudflare, including the names Firefox and Chrome use
        "https://cloudflare-dns.com/dns-query",
        "https://mozilla.cloudflare-dns.com/dns-query",
        "https://chrome.cloudflare-dns.com/dns-query",
        "https://1.1.1.1/dns-query",
        "https://one.one.one.one/dns-query",
        "https://[2606:4700:4700::1111]/dns-query",
        # Quad9, OpenDNS, AdGuard, NextDNS
        "https://dns.quad9.net/dns-query",
        "https://dns11.quad9.net/dns-query",
        "https://doh.opendns.com/dns-query",
        "https://doh.familyshield.opendns.com/dns-query",
        "https://dns.adguard-dns.com/dns-query",
        "https://dns.adguard.com/dns-query",
        "https://dns.nextdns.io/abc123",
        # an unknown resolver is still recognised by its path
        "https://doh.example-resolver.vn/dns-query",
        "https://resolver.example/tenant/dns-query",
    ],
)
def test_dns_over_https_is_recognised(url: str) -> None:
    reason = doh_reason(parse_url(url))
    assert reason is not None and reason.source == "bypass"
    assert "DNS over HTTPS" in reason.detail


@pytest.mark.parametrize(
    ("content_type", "accept"),
    [
        ("application/dns-message", None),  # RFC 8484 POST
        (None, "application/dns-message"),  # RFC 8484 GET
        (None, "application/dns-json"),  # JSON API
    ],
)
def test_dns_media_types_are_recognised_on_any_host(content_type: str | None, accept: str | None) -> None:
    assert doh_reason(parse_url("https://api.example.vn/q"), content_type, accept) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=dns-query",
        "https://developers.cloudflare.com/1.1.1.1/",
        "https://www.quad9.net/",
        "https://example.vn/dns-query-explained",
    ],
)
def test_pages_about_dns_are_not_dns(url: str) -> None:
    assert doh_reason(parse_url(url), "text/html", "text/html,application/xhtml+xml") is None


@pytest.mark.parametrize(
    ("url", "bypass"),
    [
        ("http://203.0.113.7/", True),
        ("https://93.184.216.34/page", True),
        ("http://[2001:db8::1]/", True),
        ("http://127.0.0.1:8080/", True),
        # one IPv4 address spelled as a single number or in hex
        ("http://3405803785/", True),
        ("http://0xcb007109/", True),
        ("http://3232235777/", False),  # 192.168.1.1
        # the router and printer on the home network are not a bypass route
        ("http://192.168.1.1/", False),
        ("http://10.0.0.138/", False),
        ("http://172.20.0.5/", False),
        ("http://[fe80::1]/", False),
        ("https://example.vn/", False),
    ],
)
def test_bare_ip_urls(url: str, bypass: bool) -> None:
    reason = bare_ip_reason(parse_url(url))
    assert (reason is not None) == bypass
    if reason:
        assert "bare IP" in reason.detail


def test_lan_addresses() -> None:
    assert is_lan_address("192.168.0.10")
    assert not is_lan_address("8.8.8.8") and not is_lan_address("example.vn")


@pytest.mark.parametrize(
    ("first_bytes", "kind", "refused"),
    [
        (bytes([0x16, 0x03, 0x01, 0x02, 0x00]), "tls", False),
        (b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "http", False),
        (b"POST /x HTTP/1.1\r\n", "http", False),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "http", False),
        (b"SSH-2.0-OpenSSH_9.2\r\n", "ssh", True),
        (b"\x05\x01\x00", "socks", True),
        (b"\x00\x0e\x38\x00\x00\x00\x00", "other", True),  # OpenVPN over TCP
        (b"", "other", True),
    ],
)
def test_tunnels_that_are_not_web_traffic_are_refused(first_bytes: bytes, kind: str, refused: bool) -> None:
    assert tunnel_kind(first_bytes) == kind
    reason = tunnel_reason(first_bytes, "vpn.example")
    assert (reason is not None) == refused
    if reason:
        assert reason.source == "bypass" and "vpn.example" in reason.detail


@pytest.mark.parametrize(
    ("upgrade", "websocket"),
    [("websocket", True), ("WebSocket", True), ("h2c", False), (None, False)],
)
def test_websocket_upgrades(upgrade: str | None, websocket: bool) -> None:
    assert is_websocket_upgrade(upgrade) == websocket


def test_alt_svc_is_stripped_so_browsers_stay_on_the_proxy() -> None:
    headers = Headers(content_type="text/html", alt_svc='h3=":443"; ma=86400')
    headers.add("Alt-Svc", 'h3-29=":443"')
    assert strip_quic_adverts(headers) == ["alt-svc"]
    assert "alt-svc" not in headers and headers["content-type"] == "text/html"
    assert strip_quic_adverts(headers) == []


@pytest.mark.parametrize(
    ("status", "location", "target"),
    [
        (302, "https://bad.vn/x", "https://bad.vn/x"),
        (301, "/elsewhere?a=1", "https://short.example/elsewhere?a=1"),
        (307, "//bad.vn/", "https://bad.vn/"),
        (308, "HTTPS://BAD.VN", "https://bad.vn/"),
        # not redirects, or targets the browser will not fetch through us
        (200, "https://bad.vn/", None),
        (304, "https://bad.vn/", None),
        (302, None, None),
        (302, "mailto:someone@bad.vn", None),
    ],
)
def test_redirect_targets_are_judged_as_new_requests(
    status: int, location: str | None, target: str | None
) -> None:
    found = redirect_target(parse_url("https://short.example/r/abc"), status, location)
    assert (found.text if found else None) == target


@pytest.mark.parametrize(
    ("profile", "filtered"),
    [
        (Profile(name="parent"), False),
        (Profile(name="child", block=("adult",)), True),
        (Profile(name="teen", safe_search=True), True),
        (Profile(name="teen", youtube_restrict="moderate"), True),
        (Profile(name="guest", deny=("bad.vn",)), True),
    ],
)
def test_bypass_rules_apply_to_profiles_that_filter_something(profile: Profile, filtered: bool) -> None:
    assert filters_anything(profile) == filtered
