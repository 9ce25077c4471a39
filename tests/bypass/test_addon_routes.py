"""The add-on's side of the bypass routes, hook by hook, on mitmproxy's own test flows.

Hooks are called as mitmproxy calls them (inside ``taddons.context``); the runtime is the real
one over a temporary SQLite store, so recorded events are what a parent would see.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from mitmproxy import http

with warnings.catch_warnings():  # mitmproxy's add-ons import ldap3, which warns about pyasn1 names
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import taddons, tflow

from kiteguard.proxy.addon import KiteguardAddon
from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store

CHILD = Profile(name="child", block=("adult", "proxy_vpn"), safe_search=True, youtube_restrict="strict",
                deny=("example-bad.vn",))
PARENT = Profile(name="parent")


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    store = Store(tmp_path / "kiteguard.sqlite3")
    running = Runtime(Home(tmp_path), store)
    running.apply_policy(Household(default_profile="child", profiles=(CHILD, PARENT)))
    yield running
    store.close()


def request_flow(url: str, headers: dict[str, str] | None = None) -> http.HTTPFlow:
    flow = tflow.tflow()
    flow.request = http.Request.make("GET", url, b"", headers or {})
    return flow


def bypass_events(runtime: Runtime) -> list[str]:
    runtime.events.flush()
    return [event.detail for event in runtime.store.events() if event.source == "bypass"]


# -- safe-search rewrites on the real request --------------------------------------------------------


async def test_google_search_is_sent_upstream_with_safe_active(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://www.google.com.vn/search?q=x&safe=off")
    with taddons.context(addon):
        addon.requestheaders(flow)
    assert flow.response is None
    assert flow.request.pretty_url == "https://www.google.com.vn/search?q=x&safe=active"


async def test_bing_cookie_joins_the_childs_cookies(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://www.bing.com/search?q=x", {"Cookie": "MUID=abc; SRCHHPGUSR=SRCHLANG=vi&ADLT=OFF"})
    with taddons.context(addon):
        addon.requestheaders(flow)
    assert flow.request.headers["cookie"] == "MUID=abc; SRCHHPGUSR=SRCHLANG=vi&ADLT=STRICT"
    assert flow.request.query["adlt"] == "strict"


async def test_youtube_api_calls_carry_the_restrict_header(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://youtubei.googleapis.com/youtubei/v1/search", {"Sec-Fetch-Dest": "empty"})
    with taddons.context(addon):
        addon.requestheaders(flow)
    assert flow.request.headers["YouTube-Restrict"] == "Strict"


# -- response-side rules ---------------------------------------------------------------------------


async def test_alt_svc_is_stripped_from_every_response(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = tflow.tflow(resp=True)
    flow.response.headers["Alt-Svc"] = 'h3=":443"; ma=2592000'
    with taddons.context(addon):
        addon.responseheaders(flow)
    assert "alt-svc" not in flow.response.headers


@pytest.mark.parametrize(
    ("location", "blocked"),
    [
        ("https://example-bad.vn/landing", True),
        ("https://adult--site-example.translate.goog/", False),  # not in this profile's lists: allowed
        ("https://fine.example/", False),
        ("/same-site", False),
    ],
)
async def test_redirects_are_judged_at_every_hop(runtime: Runtime, location: str, blocked: bool) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://short.example/r/1")
    with taddons.context(addon):
        addon.requestheaders(flow)
        flow.response = http.Response.make(302, b"", {"Location": location})
        addon.responseheaders(flow)
        addon.response(flow)
    assert (flow.response.status_code == 403) == blocked
    if blocked:
        assert "example-bad.vn" in flow.response.text
        assert bypass_events(runtime) == ["a redirect from short.example to example-bad.vn"]


async def test_our_own_pages_are_not_judged_again(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://example-bad.vn/")
    with taddons.context(addon):
        addon.requestheaders(flow)
        assert flow.response is not None and flow.response.status_code == 403
        page = flow.response.text
        addon.responseheaders(flow)
        addon.response(flow)
    assert flow.response.text == page


# -- Cốc Cốc, which has no safe mode ----------------------------------------------------------------


async def test_coccoc_results_leading_to_blocked_sites_are_blurred(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://coccoc.com/search?query=x")
    page = ('<div><a href="https://example-bad.vn/x">bad</a></div>'
            '<div><a href="https://vi.wikipedia.org/wiki/M%C3%A8o">Mèo</a></div>')
    with taddons.context(addon):
        addon.requestheaders(flow)
        flow.response = http.Response.make(200, page, {"Content-Type": "text/html; charset=utf-8"})
        addon.responseheaders(flow)
        addon.response(flow)
    text = flow.response.text
    assert "https://example-bad.vn/x" not in text and 'data-kiteguard="hidden"' in text
    assert '<a href="https://vi.wikipedia.org/wiki/M%C3%A8o">Mèo</a>' in text


async def test_other_search_engines_results_are_left_to_their_safe_mode(runtime: Runtime) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow("https://www.google.com/search?q=x")
    page = '<a href="https://example-bad.vn/x">bad</a>'
    with taddons.context(addon):
        addon.requestheaders(flow)
        flow.response = http.Response.make(200, page, {"Content-Type": "text/html"})
        addon.response(flow)
    assert flow.response.text == page


# -- WebSockets ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "refused"), [("https://example-bad.vn/socket", True), ("https://chat.example/ws", False)]
)
async def test_websockets_to_blocked_hosts_are_refused(runtime: Runtime, url: str, refused: bool) -> None:
    addon = KiteguardAddon(runtime)
    flow = request_flow(url, {"Upgrade": "websocket", "Connection": "Upgrade", "Sec-Fetch-Dest": "websocket"})
    with taddons.context(addon):
        addon.requestheaders(flow)
    assert (flow.response is not None and flow.response.status_code == 403) == refused


# -- raw tunnels -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_bytes", "refused"),
    [
        (b"SSH-2.0-OpenSSH_9.2\r\n", True),
        (b"\x05\x01\x00", True),
        (b"\x00\x0e\x38\x12\x34", True),
    ],
)
async def test_raw_tunnels_are_refused_before_they_connect(runtime: Runtime, first_bytes: bytes, refused: bool) -> None:
    addon = KiteguardAddon(runtime)
    flow = tflow.ttcpflow(messages=False)
    flow.server_conn.error = None
    flow.metadata["kiteguard_first_bytes"] = first_bytes
    with taddons.context(addon):
        addon.tcp_start(flow)
    assert (flow.server_conn.error is not None) == refused
    assert len(bypass_events(runtime)) == 1


async def test_raw_tunnels_stay_open_when_the_default_profile_filters_nothing(runtime: Runtime) -> None:
    runtime.apply_policy(Household(default_profile="parent", profiles=(CHILD, PARENT)))
    addon = KiteguardAddon(runtime)
    flow = tflow.ttcpflow(messages=False)
    flow.server_conn.error = None
    flow.metadata["kiteguard_first_bytes"] = b"SSH-2.0-OpenSSH_9.2\r\n"
    with taddons.context(addon):
        addon.tcp_start(flow)
    assert flow.server_conn.error is None
