"""Which bodies are held for a look and which stream straight through; bombs are never inflated."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

from kiteguard.proxy.streaming import MAX_BUFFERED, inflates_within, should_stream


@pytest.mark.parametrize("status, content_type, length, streamed", [
    # nothing reads these: straight through
    (200, "image/png", "1048576", True),
    (200, "video/mp4", None, True),
    (200, "application/octet-stream", "209715200", True),
    (200, "application/json", "20", True),
    (200, "text/css", None, True),
    (200, None, None, True),
    (404, "image/png", None, True),
    # pages: the classifier and the result filter read them
    (200, "text/html; charset=utf-8", "20480", False),
    (200, "TEXT/HTML", None, False),
    (200, "application/xhtml+xml", None, False),
    (404, "text/html", "512", False),
    # a page too large to judge streams, unjudged
    (200, "text/html", str(MAX_BUFFERED + 1), True),
    (200, "text/html", "not-a-number", False),  # mitmproxy's own size check decides as it arrives
    # redirects: judged in the response hook, whatever they claim to carry
    (301, "application/octet-stream", None, False),
    (302, "image/png", "10", False),
    (308, None, None, False),
])
def test_only_bodies_a_rule_reads_are_held(status: int, content_type: str | None, length: str | None,
                                           streamed: bool) -> None:
    assert should_stream(status, content_type, length) is streamed


PAGE = b"<html><body>" + "Xin chào các em".encode() * 100 + b"</body></html>"
BOMB = b" " * (MAX_BUFFERED + 1)


@pytest.mark.parametrize("raw, encoding, fits", [
    (PAGE, None, True),
    (PAGE, "identity", True),
    (gzip.compress(PAGE), "gzip", True),
    (gzip.compress(PAGE), "X-GZIP", True),
    (zlib.compress(PAGE), "deflate", True),
    # larger than the cap once decoded
    (gzip.compress(BOMB), "gzip", False),
    (zlib.compress(BOMB), "deflate", False),
    (BOMB, None, False),
    # not decodable here within a cap, or broken: never rewritten
    (brotli.compress(PAGE), "br", False),
    (b"\x1f\x8bnot gzip", "gzip", False),
    (PAGE, "compress", False),
])
def test_a_body_is_checked_against_the_cap_without_decoding_past_it(raw: bytes, encoding: str | None,
                                                                    fits: bool) -> None:
    assert inflates_within(raw, encoding, MAX_BUFFERED) is fits
