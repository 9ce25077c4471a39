"""URL normalisation: every decision is made on one canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiteguard.proxy.urls import InvalidHost, host_suffixes, normalise_host, parse_url


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # case, trailing dot, port
        ("Example.COM", "example.com"),
        ("example.com.", "example.com"),
        ("example.com:8080", "example.com"),
        # IDN to punycode
        ("bücher.de", "xn--bcher-kva.de"),
        ("nhàcái.vn", "nhàcái.vn".encode("idna").decode()),
        # IP literals stay IP literals
        ("[::1]:443", "::1"),
        ("127.0.0.1", "127.0.0.1"),
    ],
)
def test_normalise_host(raw: str, expected: str) -> None:
    assert normalise_host(raw) == expected


@pytest.mark.parametrize("raw", ["", ".", "exa mple.com", "-bad.com", "a..b", "x" * 64 + ".com"])
def test_hosts_that_are_not_hosts_are_refused(raw: str) -> None:
    with pytest.raises(InvalidHost):
        normalise_host(raw)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("HTTP://Example.com:80/a?b=1", "http://example.com/a?b=1"),
        ("https://example.com:443", "https://example.com/"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        ("example.com/path", "http://example.com/path"),
        ("http://[::1]:8080/", "http://[::1]:8080/"),
    ],
)
def test_parse_url(raw: str, text: str) -> None:
    assert parse_url(raw).text == text


def test_only_web_urls() -> None:
    with pytest.raises(ValueError, match="not an http"):
        parse_url("ftp://example.com/")


def test_suffixes_walk_label_boundaries() -> None:
    assert host_suffixes("a.b.example.com") == ["a.b.example.com", "b.example.com", "example.com", "com"]


_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=20)


@given(st.lists(_label, min_size=2, max_size=5), st.booleans(), st.booleans())
def test_normalisation_is_idempotent_and_case_blind(labels: list[str], upper: bool, dot: bool) -> None:
    name = ".".join(labels)
    raw = (name.upper() if upper else name) + ("." if dot else "")
    once = normalise_host(raw)
    assert once == name
    assert normalise_host(once) == once
