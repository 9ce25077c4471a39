from __future__ import annotations

import gzip
import tracemalloc
import unicodedata
import zlib

import brotli
import pytest

from kiteguard.classifiers.extract import CAP_BYTES, detect_charset, extract, inflate
from kiteguard.classifiers.normalise import normalise

PAGE = (
    "<!doctype html><html><head><title>Nhà cái uy tín</title>"
    "<meta name='description' content='Tài xỉu &amp; nổ hũ'>"
    "<script>document.write('never run')</script><style>body{color:red}</style></head>"
    "<body><!-- a comment --><h1>Khuyến mãi</h1><p>Nạp đầu <b>200%</b></p><a href='/x'>Đăng ký</a></body></html>"
)


def test_page_parts_are_separated() -> None:
    page = extract(PAGE.encode())
    assert page.title == "nhà cái uy tín"
    assert page.description == "tài xỉu & nổ hũ"
    assert page.headings == ("khuyến mãi",)
    assert page.links == ("đăng ký",)
    assert "nạp đầu 200%" in page.body
    assert page.text().startswith("nhà cái uy tín . tài xỉu & nổ hũ . khuyến mãi")


def test_scripts_styles_and_comments_are_never_text() -> None:
    text = extract(PAGE.encode()).text()
    assert "never run" not in text and "color" not in text and "comment" not in text


@pytest.mark.parametrize(
    "markup",
    [
        b"<html><body><p>unclosed <b>bold <i>italic",
        b"<script>never closed" * 1000,
        b"<!-- never closed " + b"x" * 10_000,
        b"<" * 50_000,
        b"<a href='" + b"a" * 100_000,
        b"\x00\xff\xfe garbage \x80\x81",
        b"",
        b"<h1>" * 5_000 + b"text",
    ],
)
def test_broken_markup_never_raises(markup: bytes) -> None:
    page = extract(markup, "text/html")
    assert isinstance(page.text(), str)


# Charset: the byte-order mark, then the header, then <meta>, then a fallback
@pytest.mark.parametrize(
    ("body", "content_type", "charset"),
    [
        (b"\xef\xbb\xbf<p>x</p>", "text/html; charset=iso-8859-1", "utf-8"),
        (b"\xff\xfe<\x00p\x00>\x00", None, "utf-16-le"),
        (b"<p>x</p>", "text/html; charset=windows-1258", "cp1258"),
        (b"<meta charset='windows-1258'><p>x</p>", "text/html", "cp1258"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', None, "iso8859-1"),
        (b"<meta charset='no-such-charset'>caf\xc3\xa9", None, "utf-8"),
        (b"caf\xe9 cr\xe8me", None, "windows-1252"),
        (b"<meta charset='utf-16'><p>x</p>", None, "utf-8"),  # ASCII bytes cannot be UTF-16
    ],
)
def test_charset_detection(body: bytes, content_type: str | None, charset: str) -> None:
    assert detect_charset(body, content_type) == charset


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<title>Tài xỉu</title>".encode("utf-8"), "text/html; charset=utf-8"),
        # windows-1258 writes tones as combining marks after the letter
        (unicodedata.normalize("NFD", "<title>Tài xỉu</title>").encode("cp1258"), "text/html; charset=windows-1258"),
        (b"\xff\xfe" + "<title>Tài xỉu</title>".encode("utf-16-le"), "text/html"),
    ],
)
def test_vietnamese_reads_the_same_in_any_declared_charset(body: bytes, content_type: str) -> None:
    assert normalise(extract(body, content_type).title) == "tài xỉu"


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress),
        ("identity", lambda data: data),
    ],
)
def test_compressed_bodies_are_inflated(encoding: str, compress) -> None:  # type: ignore[no-untyped-def]
    assert inflate(compress(PAGE.encode()), encoding) == PAGE.encode()


def test_broken_compression_gives_nothing_rather_than_an_error() -> None:
    assert inflate(b"not gzip at all", "gzip") == b""


def gzip_bomb(mebibytes: int) -> bytes:
    """A valid gzip stream of `mebibytes` MiB of zeros after an HTML opening, built in milliseconds.

    After a full flush, deflate output for identical input is identical, so one compressed
    MiB is repeated instead of compressing a gigabyte.
    """
    chunk = bytes(1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    opening = b"<html><head><title>Tai xiu online</title></head><body>"
    first = compressor.compress(opening + chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = compressor.flush(zlib.Z_FINISH)[:-8]  # the last block, without zlib's (wrong) trailer
    crc = zlib.crc32(opening + chunk)
    for _ in range(mebibytes - 1):
        crc = zlib.crc32(chunk, crc)
    size = (len(opening) + mebibytes * len(chunk)) % 2**32
    trailer = crc.to_bytes(4, "little") + size.to_bytes(4, "little")
    return first + repeated * (mebibytes - 1) + final + trailer


def test_the_bomb_builder_makes_a_valid_gzip_stream() -> None:
    assert len(gzip.decompress(gzip_bomb(3))) == 3 * 2**20 + 54


def test_a_gibibyte_gzip_bomb_is_judged_on_its_first_bytes_with_bounded_memory() -> None:
    bomb = gzip_bomb(1024)
    assert len(bomb) < 2 * 2**20
    tracemalloc.start()
    try:
        page = extract(inflate(bomb, "gzip"), "text/html")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert page.title == "tai xiu online"
    assert page.truncated is False  # inflate already stopped at the cap
    assert peak < 8 * CAP_BYTES
