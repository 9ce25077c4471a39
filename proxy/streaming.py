"""Which responses pass straight through and which are held for a look at the body.

Only what a rule may read is buffered: HTML pages (the classifier and the search-result filter
read them) and redirects (judged in the response hook, and they have tiny bodies). Everything
else — images, video, downloads, scripts, JSON — is streamed to the browser as it arrives, so
a 200 MB download costs a socket buffer, not 200 MB. mitmproxy's own ``stream_large_bodies``
(set to ``STREAM_ABOVE``) catches HTML that turns out larger than the cap while it arrives, for
bodies that announce no length.
"""

from __future__ import annotations

import zlib

MAX_BUFFERED = 3 * 1024 * 1024  # an HTML page above this is passed on unjudged, never held up
STREAM_ABOVE = "3m"  # the same cap, in mitmproxy's option syntax
BUFFERED_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def should_stream(status: int, content_type: str | None, content_length: str | None) -> bool:
    """True when nothing will read this response's body, so it should not be buffered."""
    if 300 <= status < 400:
        return False
    if media_type(content_type) not in BUFFERED_TYPES:
        return True
    try:
        return int(content_length or "0") > MAX_BUFFERED
    except ValueError:  # a malformed length: let mitmproxy's own size check decide as the body arrives
        return False


def inflates_within(raw: bytes, content_encoding: str | None, limit: int) -> bool:
    """Whether a body decodes to at most ``limit`` bytes, found without decoding more than that.

    A rule that rewrites a page must decode it in full; this keeps a compression bomb from being
    decoded at all (1 GiB of spaces fits in 1 MB of gzip)."""
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return len(raw) <= limit
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(wbits=47 if encoding != "deflate" else 15)
        try:
            return len(inflater.decompress(raw, limit + 1)) <= limit
        except zlib.error:
            return False
    return False  # brotli and zstd: their decoders here cannot stop at a cap, so such pages are not rewritten
