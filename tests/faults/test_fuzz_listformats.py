"""Hypothesis on the blocklist parsers: any file a list site serves is either parsed, with every
entry a normalised host name on a real line of the file, or refused with one NotAList.

The fast path for clean lines and the general path must agree: a name taken by the fast path is
exactly what normalisation would have made of it.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiteguard.blocklists.formats import FORMATS, NotAList, decode_content, normalise_entry, parse_text
from kiteguard.proxy.urls import normalise_host

FAST = settings(max_examples=150, deadline=None)
NAMES = st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z0-9-]{1,12}){0,3}\.[a-z]{2,6}", fullmatch=True)
DIRT = st.sampled_from(["", "#", "! comment", "0.0.0.0", "127.0.0.1 localhost", "||", "^", "$third-party",
                        "@@||", "server=/", "/", "*.", "local-data: \"", "address=/", "##.ad", "[Adblock Plus]",
                        "\t", "  ", "é", "xn--", "1.2.3.4", "::1", "http://", "%", "\x00"])
LINES = st.lists(st.one_of(NAMES, DIRT, st.builds("".join, st.lists(st.one_of(NAMES, DIRT), max_size=4)),
                           st.text(max_size=30)), max_size=25)


def _check(text: str, fmt: str | None) -> None:
    try:
        parsed = parse_text(text, fmt)
    except NotAList as error:
        assert str(error)
        return
    line_count = len(text.splitlines())
    assert len(parsed.names) == len(parsed.lines) == len(parsed.kinds)
    for name, line in zip(parsed.names, parsed.lines, strict=True):
        assert 1 <= line <= line_count
        assert normalise_entry(name) == name  # already in the one form the matcher is built from
        assert normalise_host(name) == name


@FAST
@given(LINES, st.sampled_from([None, *FORMATS]))
@example(["0.0.0.0 example.com", "0.0.0.0 localhost"], "hosts")
@example(["example.com.", "EXAMPLE.com"], "plain")  # a trailing dot and capitals take the general path
@example(["||ví-dụ.vn^"], "adblock")  # an international name in an adblock rule
@example(["*.-bad-.com"], "wildcard")
def test_any_list_parses_to_normalised_names_on_real_lines_or_is_refused(lines: list[str], fmt: str | None) -> None:
    _check("\n".join(lines), fmt)


@FAST
@given(st.binary(max_size=400))
@example(b"\x1f\x8b\x08\x00garbage")  # a damaged gzip header
@example(b"<!doctype html><title>Login</title>")
def test_any_bytes_are_decoded_or_refused_as_not_a_list(data: bytes) -> None:
    try:
        text = decode_content(data)
    except NotAList:
        return
    _check(text, None)
