"""A hostile website for the fault tests, on 127.0.0.1 over plain HTTP, in its own process.

Written on raw asyncio streams rather than aiohttp so it can misbehave in ways a well-made
server never would: lie about lengths, reset connections, stall, and send compression bombs.
Prints its port on one line once listening.

Routes (the path decides, any Host is accepted):
  /page                       a normal Vietnamese page
  /gzip-bomb, /brotli-bomb    HTML whose body inflates to BOMB_BYTES of spaces
  /charset/NAME               a page with a bogus, conflicting or lying charset (see CHARSETS)
  /truncated                  Content-Length larger than what is sent, then the socket closes
  /reset                      the connection is reset (RST) after the request arrives
  /stall                      headers and half a body, then silence until the client gives up
  /silent                     the request is read and never answered
  /endless-head               a response head that never ends (64 MiB of one header, then silence)
  /download?mib=N             N MiB of application/octet-stream, sent in 1 MiB chunks
  /html-chunked?mib=N         N MiB of HTML with no length (chunked), to test the buffer cap
"""

from __future__ import annotations

import asyncio
import socket
import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import brotli

BOMB_BYTES = 1 << 30
CHUNK = 1 << 20
PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>Trang bình thường</title></head><body>"
        "<h1>Xin chào</h1><p>Hôm nay trời đẹp, các em đi học đúng giờ nhé.</p></body></html>").encode()
BOMB_HEAD = b"<!doctype html><html><head><title>bomb</title></head><body>"

# name -> (Content-Type header, body): each lies about or garbles its text encoding.
CHARSETS: dict[str, tuple[str, bytes]] = {
    "unknown": ("text/html; charset=x-made-up-42", PAGE),
    "empty": ("text/html; charset=", PAGE),
    "conflict": ("text/html; charset=utf-16", PAGE.replace(b"charset='utf-8'", b"charset='windows-1258'")),
    "invalid-utf8": ("text/html; charset=utf-8", PAGE + b"\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1"),
    "bom-conflict": ("text/html; charset=iso-8859-1", b"\xff\xfe" + "<p>Tiếng Việt</p>".encode("utf-16-le")),
    "twice": ("text/html; charset=utf-8; charset=koi8-r", PAGE),
    "huge-name": ("text/html; charset=" + "x" * 5000, PAGE),
    "utf7": ("text/html; charset=utf-7", b"+ADw-script+AD4-alert(1)+ADw-/script+AD4-" + PAGE),
}


def gzip_bomb(size: int = BOMB_BYTES) -> bytes:
    """A single-member gzip of BOMB_HEAD and spaces, built in milliseconds.

    After a full flush the compressor starts afresh, so every further 1 MiB of spaces compresses to
    the same bytes: compress one chunk, repeat its output, and append the trailer by hand.
    """
    filler = b" " * CHUNK
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = deflate.compress(BOMB_HEAD + filler[len(BOMB_HEAD):]) + deflate.flush(zlib.Z_FULL_FLUSH)
    repeated = deflate.compress(filler) + deflate.flush(zlib.Z_FULL_FLUSH)
    tail = deflate.flush(zlib.Z_FINISH)
    crc = zlib.crc32(BOMB_HEAD + filler[len(BOMB_HEAD):])
    for _ in range(size // CHUNK - 1):
        crc = zlib.crc32(filler, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + first + repeated * (size // CHUNK - 1) + tail + trailer


def brotli_bomb(size: int = BOMB_BYTES) -> bytes:
    compressor = brotli.Compressor(quality=1)  # quality 1 packs 1 GiB of spaces into ~200 KB in half a second
    filler = b" " * (16 * CHUNK)
    parts = [compressor.process(BOMB_HEAD)]
    parts += [compressor.process(filler) for _ in range(size // len(filler))]
    return b"".join(parts) + compressor.finish()


class FaultServer:
    def __init__(self) -> None:
        self._bombs: dict[str, bytes] = {}

    def bomb(self, kind: str) -> bytes:
        if kind not in self._bombs:
            self._bombs[kind] = gzip_bomb() if kind == "gzip" else brotli_bomb()
        return self._bombs[kind]

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                target = head.split(b" ", 2)[1].decode("latin-1")
                keep_going = await self.answer(urlsplit(target), writer)
                if not keep_going:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, asyncio.LimitOverrunError):
            pass
        finally:
            if not writer.is_closing():
                writer.close()

    async def answer(self, url, writer: asyncio.StreamWriter) -> bool:  # noqa: ANN001
        path, query = url.path, parse_qs(url.query)
        mib = int(query.get("mib", ["1"])[0])
        if path in ("/gzip-bomb", "/brotli-bomb"):
            encoding = "gzip" if path == "/gzip-bomb" else "br"
            body = self.bomb("gzip" if encoding == "gzip" else "brotli")
            await send(writer, 200, {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding,
                                     "Content-Length": str(len(body))}, body)
        elif path.startswith("/charset/"):
            content_type, body = CHARSETS[path.rsplit("/", 1)[1]]
            await send(writer, 200, {"Content-Type": content_type, "Content-Length": str(len(body))}, body)
        elif path == "/truncated":
            await send(writer, 200, {"Content-Type": "text/html", "Content-Length": "100000"}, PAGE)
            return False
        elif path == "/reset":
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
            return False
        elif path == "/stall":
            await send(writer, 200, {"Content-Type": "text/html", "Content-Length": str(len(PAGE) * 2)}, PAGE)
            await asyncio.sleep(3600)
        elif path == "/endless-head":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Endless: ")
            for _ in range(64):
                writer.write(b"h" * CHUNK)
                await writer.drain()
            await asyncio.sleep(3600)
        elif path == "/silent":
            await asyncio.sleep(3600)
        elif path == "/download":
            await stream(writer, "application/octet-stream", mib, b"\xa5" * CHUNK, length=True)
        elif path == "/html-chunked":
            await stream(writer, "text/html", mib, b"<p>" + b"x" * (CHUNK - 3), length=False)
        else:
            await send(writer, 200, {"Content-Type": "text/html; charset=utf-8",
                                     "Content-Length": str(len(PAGE))}, PAGE)
        return True


async def send(writer: asyncio.StreamWriter, status: int, headers: dict[str, str], body: bytes) -> None:
    lines = [f"HTTP/1.1 {status} X"] + [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    for start in range(0, len(body), CHUNK):
        writer.write(body[start:start + CHUNK])
        await writer.drain()
    await writer.drain()


async def stream(writer: asyncio.StreamWriter, content_type: str, mib: int, chunk: bytes, *, length: bool) -> None:
    """Send ``mib`` chunks as they are asked for: the server never holds more than one in memory."""
    framing = f"Content-Length: {mib * len(chunk)}" if length else "Transfer-Encoding: chunked"
    writer.write(f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n{framing}\r\n\r\n".encode())
    for _ in range(mib):
        writer.write(chunk if length else b"%x\r\n%s\r\n" % (len(chunk), chunk))
        await writer.drain()
    if not length:
        writer.write(b"0\r\n\r\n")
    await writer.drain()


async def main() -> None:
    faults = FaultServer()
    server = await asyncio.start_server(faults.handle, "127.0.0.1", 0, limit=1 << 16)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.to_thread(faults.bomb, "gzip")  # built while the first tests run
    await asyncio.to_thread(faults.bomb, "brotli")
    await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
