from __future__ import annotations

import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiteguard.blocklists.formats import (
    BLOCK,
    EXCEPTION,
    URL,
    NotAList,
    decode_content,
    detect_format,
    normalise_entry,
    parse_text,
)
from kiteguard.proxy.urls import normalise_host


def entries(text: str, fmt: str | None = None) -> list[tuple[int, str]]:
    parsed = parse_text(text, fmt)
    return list(zip(parsed.kinds, parsed.names, strict=True))


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        # hosts files: any sinkhole address, several names per line, local names ignored
        ("0.0.0.0 ads.example.com\n", "hosts", [(BLOCK, "ads.example.com")]),
        ("127.0.0.1  a.example.com b.example.org # two\n", "hosts",
         [(BLOCK, "a.example.com"), (BLOCK, "b.example.org")]),
        (":: bad.example.net\n127.0.0.1 localhost\n", "hosts", [(BLOCK, "bad.example.net")]),
        # plain domains with comments, upper case, leading and trailing dots
        ("# header\nExample.COM\n.afshin.ir\nbestgore.com   #Gore\ntrailing.example.\n", "plain",
         [(BLOCK, "example.com"), (BLOCK, "afshin.ir"), (BLOCK, "bestgore.com"), (BLOCK, "trailing.example")]),
        # Unicode names become punycode
        ("shopgcaothụ.vn\n", "plain", [(BLOCK, "xn--shopgcaoth-043e.vn")]),
        # adblock host rules, exceptions, and the harmless $important option
        ("! title\n||188Betcn2.com^\n@@||ok.example.com^\n||x.example.com^$important\n", "adblock",
         [(BLOCK, "188betcn2.com"), (EXCEPTION, "ok.example.com"), (BLOCK, "x.example.com")]),
        # dnsmasq, several domains in one directive, server=/d/# as an exception
        ("address=/a.example.com/0.0.0.0\nserver=/b.example.com/\naddress=/c.example.com/d.example.com/#\n"
         "server=/e.example.com/#\n", "dnsmasq",
         [(BLOCK, "a.example.com"), (BLOCK, "b.example.com"), (BLOCK, "c.example.com"), (BLOCK, "d.example.com"),
          (EXCEPTION, "e.example.com")]),
        # unbound zones
        ('server:\nlocal-zone: "bad.example." always_null\nlocal-zone: "ok.example." transparent\n', "unbound",
         [(BLOCK, "bad.example"), (EXCEPTION, "ok.example")]),
        # wildcards
        ("*.example.com\nplain.example.org\n", "wildcard", [(BLOCK, "example.com"), (BLOCK, "plain.example.org")]),
        # squidGuard urls: host + path prefix, or a host alone
        ("astrolabio.net/casino/\nwhole.example.com/\n", "urls",
         [(URL, "astrolabio.net"), (BLOCK, "whole.example.com")]),
    ],
)
def test_each_format_yields_normalised_entries(text: str, fmt: str, expected: list[tuple[int, str]]) -> None:
    assert entries(text, fmt) == expected
    assert entries(text) == expected  # and detection finds the same format


def test_url_entries_keep_a_lower_case_path_prefix() -> None:
    parsed = parse_text("example.com/Games/Casino/\n", "urls")
    assert parsed.paths == {0: "/games/casino/"}
    assert parsed.counts.urls == 1


@pytest.mark.parametrize(
    ("text", "fmt", "skipped", "ips", "junk"),
    [
        # cosmetic, $option and regex rules are skipped, never fatal
        ("||ok.example.com^\nexample.com##.ad\n||ads.example.com^$third-party\n/banner[0-9]+/\n", "adblock", 3, 0, 0),
        # dotless junk and bare IPs are counted apart
        ("||ok.example.com^\n||012wcom^\n||10.0.0.1^\n", "adblock", 0, 1, 1),
        ("ok.example.com\nsnapchat-com\n5.45.92.110\n=====\n", "plain", 0, 1, 2),
        ("0.0.0.0 ok.example.com\n0.0.0.0 bad..name\n", "hosts", 0, 0, 1),
        # forwarding a domain elsewhere does not block it
        ("server=/ok.example.com/\nserver=/fwd.example.com/1.1.1.1\n", "dnsmasq", 1, 0, 0),
    ],
)
def test_dirt_is_counted_per_file(text: str, fmt: str, skipped: int, ips: int, junk: int) -> None:
    counts = parse_text(text, fmt).counts
    assert (counts.skipped, counts.ips, counts.junk) == (skipped, ips, junk)
    assert counts.entries == 1


def test_line_numbers_point_at_the_source_line() -> None:
    parsed = parse_text("# comment\n\nfirst.example.com\n# x\nsecond.example.com\n")
    assert parsed.lines == [3, 5]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<!DOCTYPE html><html><head><title>404</title></head></html>", "HTML page"),
        (b"\n  <html><body>Login</body></html>", "HTML page"),
        (bytes(range(256)) * 20, "binary"),
        (b"%PDF-1.4 ...", "binary"),
        (b"\x1f\x8b\x08\x00broken", "damaged gzip"),
    ],
)
def test_pages_and_binaries_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(NotAList, match=message):
        decode_content(data)


def test_gzip_is_unpacked() -> None:
    assert decode_content(gzip.compress(b"example.com\n")) == "example.com\n"


def test_text_with_nothing_usable_is_not_a_list() -> None:
    with pytest.raises(NotAList, match="no list entries"):
        parse_text("Dear user,\nthis page moved.\nPlease log in again.\n")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("0.0.0.0 a.example\n0.0.0.0 b.example\n", "hosts"),
        ("||a.example^\n", "adblock"),
        ("address=/a.example/0.0.0.0\n", "dnsmasq"),
        ('local-zone: "a.example." always_null\n', "unbound"),
        ("*.a.example\n", "wildcard"),
        ("a.example\n", "plain"),
    ],
)
def test_detection(text: str, fmt: str) -> None:
    assert detect_format(text) == fmt


# Normalisation: whatever a list holds, an entry is either None or the canonical host name.

_label = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=20).filter(
    lambda label: not label.startswith("-") and not label.endswith("-")
)
_names = st.lists(_label, min_size=2, max_size=5).map(".".join).filter(lambda name: not name.split(".")[-1].isdigit())


@given(_names)
def test_normalising_is_idempotent_and_agrees_with_the_proxy(name: str) -> None:
    entry = normalise_entry(name)
    assert entry == name
    assert normalise_entry(entry) == entry
    assert normalise_host(entry) == entry


@given(_names, st.sampled_from(["", ".", ".."]), st.booleans())
def test_case_dots_and_spaces_do_not_change_the_entry(name: str, dots: str, upper: bool) -> None:
    variant = f"  {dots}{name.upper() if upper else name}{dots}  "
    assert normalise_entry(variant) == name


@given(st.text(max_size=60))
def test_any_text_normalises_to_a_valid_name_or_none(text: str) -> None:
    entry = normalise_entry(text)
    if entry is not None:
        assert entry.isascii() and entry == entry.lower() and "." in entry
        assert normalise_host(entry) == entry


@given(st.ip_addresses(v=4))
def test_ip_addresses_are_never_domain_entries(address: object) -> None:
    assert normalise_entry(str(address)) is None


@given(_names, st.sampled_from(["plain", "hosts", "adblock", "wildcard"]), st.booleans())
def test_the_fast_path_and_the_general_path_agree(name: str, fmt: str, upper: bool) -> None:
    written = name.upper() if upper else name  # upper case always takes the general path
    line = {"plain": written, "hosts": f"0.0.0.0 {written}", "adblock": f"||{written}^", "wildcard": f"*.{written}"}
    assert parse_text(line[fmt] + "\n", fmt).names == [normalise_entry(name)]
