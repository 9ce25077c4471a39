"""Hypothesis on HTML extraction and capped inflation: any body a site sends (broken markup,
lying charsets, damaged or hostile compression) gives bounded text and never raises."""

from __future__ import annotations

import gzip
import zlib

import brotli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiteguard.classifiers.extract import BODY_CHARS, CAP_BYTES, extract, inflate

FAST = settings(max_examples=150, deadline=None)
TAGS = st.sampled_from(["<html>", "<head>", "<title>", "</title>", "<script>", "</script>", "<!--", "-->",
                        "<style>", "<h1>", "</h1>", "<a href='x'>", "</a>", "<meta charset='utf-7'>",
                        "<meta name='description' content='", "<", ">", "&amp;", "&#x1F600;", "&#99999999;",
                        "<template>", "<svg>", "<p>", "Xin chào", "nhà cái", "\x00", "\ufeff"])
MARKUP = st.lists(st.one_of(TAGS, st.text(max_size=20)), max_size=40).map("".join)
CHARSETS = st.sampled_from([None, "text/html", "text/html; charset=utf-8", "text/html; charset=x-bogus",
                            "text/html; charset=utf-16", "text/html; charset=", "text/html; charset=windows-1258"])


@FAST
@given(MARKUP, CHARSETS, st.sampled_from(["utf-8", "utf-16", "latin-1", "windows-1258"]))
@example("<script>" * 1000, None, "utf-8")  # unclosed skipped blocks, nested
@example("<title>" + "a" * 5000, "text/html", "utf-8")  # a title that never closes
def test_any_markup_gives_bounded_text(markup: str, content_type: str | None, encoding: str) -> None:
    body = markup.encode(encoding, errors="replace")
    page = extract(body, content_type)
    assert len(page.text()) <= BODY_CHARS


@FAST
@given(st.binary(max_size=300), st.sampled_from(["gzip", "deflate", "br", "zstd", "identity", "", "x-unknown"]))
@example(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", "gzip")  # a gzip header and nothing else
def test_damaged_compression_gives_what_was_decoded_and_never_raises(raw: bytes, encoding: str) -> None:
    assert len(inflate(raw, encoding, CAP_BYTES)) <= CAP_BYTES


@settings(max_examples=5, deadline=None)
@given(st.sampled_from(["gzip", "deflate", "br"]))
def test_a_bomb_inflates_to_the_cap_only(encoding: str) -> None:
    spaces = b" " * (16 << 20)
    raw = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}[encoding](spaces)
    assert len(inflate(raw, encoding, CAP_BYTES)) <= CAP_BYTES
