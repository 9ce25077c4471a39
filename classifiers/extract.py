"""HTML to text, bounded, for a proxy that must judge a page in about a millisecond.

Design: no DOM. A page is cut to its first ``cap`` bytes and, still as bytes (tags are
ASCII, and byte regexes run several times faster than on Vietnamese text), a handful of
linear scans pull out the title, meta description and keywords, headings, link text and
the remaining visible text. Script, style, template and comment blocks are skipped with
``str.find`` (never a backtracking regex), so broken or hostile markup costs linear time
and never raises. Nothing is ever executed. Compressed bodies are inflated only up to the
cap, so a 1 GiB gzip bomb costs the same as a small page.
"""

from __future__ import annotations

import codecs
import html
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

CAP_BYTES = 64 * 1024
BODY_CHARS = 800  # visible text kept: the classifier reads only the opening of a page
MAX_PARTS = 30  # headings and links kept: the first ones say what the page is
FALLBACK_CHARSET = "windows-1252"
INPUT_STEP = 16 * 1024

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]{0,500}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_SKIPPED = re.compile(rb"<(?:!--|(script|style|template|noscript|svg|iframe|object)\b)")
_TITLE = re.compile(rb"<title\b[^>]{0,200}>(.{0,1000}?)</title\s*>", re.S)
_META = re.compile(rb"<meta\b([^>]{0,2000})>")
_ATTR = re.compile(rb"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_HEADING = re.compile(rb"<h([1-6])\b[^>]{0,500}>(.{0,1000}?)</h\1\s*>", re.S)
_LINK = re.compile(rb"<a\b[^>]{0,2000}>(.{0,500}?)</a\s*>", re.S)
_HEAD_END = re.compile(rb"</head\s*>")
_TAG = re.compile(rb"<[^>]{0,2000}>")
_DESCRIPTIVE_META = frozenset({b"description", b"og:description", b"og:title", b"twitter:description", b"keywords"})


@dataclass(frozen=True)
class PageText:
    """The parts of a page, lower-cased (the classifier ignores case)."""

    title: str
    description: str
    headings: tuple[str, ...]
    links: tuple[str, ...]
    body: str
    charset: str
    truncated: bool

    def text(self, max_chars: int = BODY_CHARS) -> str:
        """What the model reads: the parts that say what the page is about, most telling first."""
        parts = [self.title, self.description, " . ".join(self.headings), self.body]
        joined = " . ".join(part for part in parts if part)
        return joined[:max_chars]


def inflate(raw: bytes, content_encoding: str | None, cap: int = CAP_BYTES) -> bytes:
    """Decompress at most ``cap`` bytes of a body; unknown or broken encodings give what was decoded."""
    encoding = (content_encoding or "").strip().lower()
    if encoding in ("", "identity"):
        return raw[:cap]
    try:
        if encoding in ("gzip", "x-gzip"):
            return _inflate_zlib(raw, 47, cap)
        if encoding == "deflate":
            try:
                return _inflate_zlib(raw, 15, cap)
            except zlib.error:  # many servers send raw deflate without the zlib header
                return _inflate_zlib(raw, -15, cap)
        if encoding == "br":
            return _inflate_brotli(raw, cap)
        if encoding == "zstd":
            return _inflate_zstd(raw, cap)
    except Exception:  # noqa: BLE001 - any decoder's failure means "no text", never a crash in the proxy
        return b""
    return b""


def _inflate_zlib(raw: bytes, wbits: int, cap: int) -> bytes:
    # Feeding the input in small steps keeps even zlib's copy of unread input small.
    decoder = zlib.decompressobj(wbits=wbits)
    out = bytearray()
    view = memoryview(raw)
    for start in range(0, len(raw), INPUT_STEP):
        out += decoder.decompress(view[start:start + INPUT_STEP], cap - len(out))
        if len(out) >= cap or decoder.eof:
            break
    return bytes(out)


def _inflate_brotli(raw: bytes, cap: int) -> bytes:
    import brotli  # mitmproxy's dependency; imported late so the module stays cheap to import

    decoder = brotli.Decompressor()
    out = bytearray()
    # This brotli binding cannot cap its output, so tiny input steps bound what one call makes.
    for start in range(0, len(raw), 256):
        out += decoder.process(raw[start:start + 256])
        if len(out) >= cap:
            break
    return bytes(out[:cap])


def _inflate_zstd(raw: bytes, cap: int) -> bytes:
    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(raw)
    return reader.read(cap)


def detect_charset(head: bytes, content_type: str | None) -> str:
    """The page's encoding: byte-order mark, then the HTTP header, then <meta>, then a fallback."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    candidates = []
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        if match:
            candidates.append(match.group(1))
    meta = _META_CHARSET.search(head[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "ignore"))
    for name in candidates:
        known = _known_codec(name)
        if known:
            return known
    try:
        head[:CAP_BYTES].decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        # A multi-byte letter cut by the cap is still UTF-8.
        return "utf-8" if error.start >= len(head) - 3 else FALLBACK_CHARSET


def _known_codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A page that parsed as ASCII cannot be UTF-16 whatever its <meta> claims (WHATWG rule).
    return "utf-8" if codec.startswith("utf-16") else codec


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    charset = detect_charset(body, content_type)
    text = body.decode(charset, errors="replace")
    return text.lstrip("\ufeff"), charset


def extract(body: bytes | str, content_type: str | None = None, cap: int = CAP_BYTES) -> PageText:
    """Pull the telling text out of (the first ``cap`` bytes of) an HTML document."""
    if isinstance(body, str):
        body = body.encode("utf-8", errors="replace")
        content_type = "text/html; charset=utf-8"
    truncated = len(body) > cap
    markup = body[:cap]
    charset = detect_charset(markup, content_type)
    if charset.startswith("utf-16") or not _ascii_compatible(charset):
        markup, charset = markup.decode(charset, errors="replace").lstrip("\ufeff").encode("utf-8"), "utf-8"
    elif markup.startswith(codecs.BOM_UTF8):
        markup = markup[len(codecs.BOM_UTF8):]
    # Tags are matched in lower case; text is lower-cased later anyway by the normaliser.
    markup = _drop_hidden_blocks(markup.lower())

    def clean(fragment: bytes) -> str:
        if b"<" in fragment:
            fragment = _TAG.sub(b" ", fragment)
        text = fragment.decode(charset, errors="replace")
        return " ".join((html.unescape(text) if "&" in text else text).lower().split())

    title = clean(_first(_TITLE, markup))
    description = " . ".join(clean(text)[:500] for text in _meta_descriptions(markup))
    headings = _clean_each([m.group(2) for m in islice(_HEADING.finditer(markup), MAX_PARTS)], clean)
    links = _clean_each([m.group(1) for m in islice(_LINK.finditer(markup), MAX_PARTS)], clean)
    head_end = _HEAD_END.search(markup)
    body_markup = markup[head_end.end():] if head_end else _TITLE.sub(b" ", markup)
    return PageText(title, description, headings, links, _visible_text(body_markup, clean), charset, truncated)


def _clean_each(fragments: list[bytes], clean: Callable[[bytes], str]) -> tuple[str, ...]:
    """Clean many fragments in one call (one decode, one unescape): per-fragment calls cost more
    than the cleaning itself. NUL, which clean() keeps and pages do not use, marks the seams."""
    if not fragments:
        return ()
    joined = clean(b"\0".join(fragment.replace(b"\0", b" ") for fragment in fragments))
    return tuple(part for part in (piece.strip() for piece in joined.split("\0")) if part)


def _visible_text(markup: bytes, clean: Callable[[bytes], str], want: int = BODY_CHARS) -> str:
    """The first ``want`` characters of text, cleaning the markup a slice at a time."""
    parts: list[str] = []
    got, position = 0, 0
    while position < len(markup) and got < want:
        end = markup.find(b">", position + 4096)  # cut just after a tag, never inside one
        end = len(markup) if end < 0 else end + 1
        text = clean(markup[position:end])
        parts.append(text)
        got += len(text) + 1
        position = end
    return " ".join(part for part in parts if part)


def _ascii_compatible(charset: str) -> bool:
    return b"<a>".decode(charset, errors="replace") == "<a>"


def _drop_hidden_blocks(markup: bytes) -> bytes:
    """Remove comments and the contents of script-like elements in one left-to-right pass.

    Expects lower-case markup.
    """
    kept: list[bytes] = []
    position = 0
    while True:
        match = _SKIPPED.search(markup, position)
        if match is None:
            kept.append(markup[position:])
            break
        kept.append(markup[position:match.start()])
        if match.group(1) is None:
            end = markup.find(b"-->", match.end())
            position = len(markup) if end < 0 else end + 3
        else:
            end = markup.find(b"</" + match.group(1), match.end())
            if end < 0:
                break
            close = markup.find(b">", end)
            position = len(markup) if close < 0 else close + 1
        kept.append(b" ")
    return b"".join(kept)


def _meta_descriptions(markup: bytes) -> list[bytes]:
    found = []
    for match in _META.finditer(markup):
        attrs = {m.group(1): m.group(2) or m.group(3) or m.group(4) or b"" for m in _ATTR.finditer(match.group(1))}
        name = attrs.get(b"name") or attrs.get(b"property") or b""
        if name in _DESCRIPTIVE_META and attrs.get(b"content"):
            found.append(attrs[b"content"])
    return found[:5]


def _first(pattern: re.Pattern[bytes], text: bytes) -> bytes:
    match = pattern.search(text)
    return match.group(1) if match else b""
