from __future__ import annotations

import pytest

from kiteguard.proxy.urls import parse_url
from kiteguard.proxy.wrappers import decode_translate_host, unwrap, unwrap_all


@pytest.mark.parametrize(
    ("label", "host"),
    [
        ("example--bad-vn", "example-bad.vn"),
        ("www-example-com", "www.example.com"),
        ("bad-vn", "bad.vn"),
        ("a--b--c-com-vn", "a-b-c.com.vn"),
        ("xn----7sbbf-vn", "xn--7sbbf.vn"),  # IDN punycode keeps its double hyphen
    ],
)
def test_translate_labels_decode_to_the_real_host(label: str, host: str) -> None:
    assert decode_translate_host(label) == host


@pytest.mark.parametrize(
    ("wrapped", "route", "inner"),
    [
        # Google Translate's proxy, both forms
        ("https://example--bad-vn.translate.goog/page?a=1&_x_tr_sl=auto&_x_tr_tl=en&_x_tr_hl=vi",
         "translate", "https://example-bad.vn/page?a=1"),
        ("https://bad-vn.translate.goog/?_x_tr_sch=http&_x_tr_sl=vi", "translate", "http://bad.vn/"),
        ("https://translate.google.com/translate?sl=auto&tl=en&u=https://bad.vn/x", "translate", "https://bad.vn/x"),
        ("https://translate.google.com/website?sl=vi&u=http%3A%2F%2Fbad.vn%2F", "translate", "http://bad.vn/"),
        ("https://translate.google.com.vn/translate?hl=vi&u=https://bad.vn/", "translate", "https://bad.vn/"),
        ("https://translate.googleusercontent.com/translate_c?u=https://bad.vn/", "translate", "https://bad.vn/"),
        # archives
        ("https://web.archive.org/web/20240101000000/https://bad.vn/page?x=1", "archive", "https://bad.vn/page?x=1"),
        ("https://web.archive.org/web/2024id_/http:/bad.vn/", "archive", "http://bad.vn/"),
        ("https://web.archive.org/web/*/bad.vn*", "archive", "http://bad.vn/"),
        ("https://web.archive.org/save/https://bad.vn/", "archive", "https://bad.vn/"),
        ("https://arquivo.pt/wayback/20200101000000/https://bad.vn/", "archive", "https://bad.vn/"),
        ("https://archive.ph/newest/https://bad.vn/", "archive", "https://bad.vn/"),
        ("https://archive.today/2024.01.01-000000/https://bad.vn/a", "archive", "https://bad.vn/a"),
        ("https://archive.is/bad.vn", "archive", "http://bad.vn/"),
        ("https://archive.md/o/AbCd1/https://bad.vn/", "archive", "https://bad.vn/"),
        # caches
        ("https://webcache.googleusercontent.com/search?q=cache:https://bad.vn/", "cache", "https://bad.vn/"),
        ("https://webcache.googleusercontent.com/search?q=cache:AbCdEf12XyZ:bad.vn/page+words",
         "cache", "http://bad.vn/page"),
    ],
)
def test_wrapped_pages_are_judged_by_the_address_inside(wrapped: str, route: str, inner: str) -> None:
    layer = unwrap(parse_url(wrapped))
    assert layer is not None and layer.route == route
    assert layer.inner is not None and layer.inner.text == inner


@pytest.mark.parametrize(
    "url",
    [
        # ordinary pages and the services' own home pages are not wrappers
        "https://example.vn/translate.goog",
        "https://translate.google.com/",
        "https://web.archive.org/",
        "https://archive.ph/",
        "https://webcache.googleusercontent.com/search?q=weather",
        # an archive.today short link names no address: the snapshot's content is judged instead
        "https://archive.ph/AbCd1",
    ],
)
def test_unwrapped_urls(url: str) -> None:
    assert unwrap(parse_url(url)) is None


def test_an_unreadable_translate_host_is_still_a_translate_route() -> None:
    layer = unwrap(parse_url("https://bad---vn.translate.goog/"))
    assert layer is not None and layer.route == "translate" and layer.inner is None
    assert "cannot be read" in layer.describe(parse_url("https://bad---vn.translate.goog/"))


def test_nested_wrappers_are_unwrapped_layer_by_layer() -> None:
    outer = parse_url("https://web.archive.org/web/2024/https://bad-vn.translate.goog/x?_x_tr_sl=vi")
    layers = unwrap_all(outer)
    assert [layer.route for layer in layers] == ["archive", "translate"]
    assert layers[-1].inner is not None and layers[-1].inner.text == "https://bad.vn/x"
    described = layers[-1].describe(layers[0].inner)
    assert described == "bad.vn opened through Google Translate (bad-vn.translate.goog)"


def test_unwrapping_stops_after_a_bounded_number_of_layers() -> None:
    url = "https://bad.vn/"
    for _ in range(10):
        url = "https://web.archive.org/web/2024/" + url
    assert len(unwrap_all(parse_url(url))) == 4
