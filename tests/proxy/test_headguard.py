"""The head-size guard wraps mitmproxy's HTTP/1 states once, and only when they exist."""

from __future__ import annotations

from mitmproxy.proxy.layers.http import _http1

from kiteguard.proxy import headguard


def test_install_guards_both_sides_once() -> None:
    assert headguard.install()
    browser_side, site_side = _http1.Http1Server.read_headers, _http1.Http1Client.read_headers
    assert headguard.install()  # a second master in the same process does not wrap twice
    assert (_http1.Http1Server.read_headers, _http1.Http1Client.read_headers) == (browser_side, site_side)
    assert browser_side.__name__ == site_side.__name__ == "read_headers_with_limit"
