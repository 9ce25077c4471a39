"""A size limit on HTTP/1 message heads, which mitmproxy 11 buffers without one.

mitmproxy's HTTP/1 layer keeps appending to its receive buffer until it sees the blank line that
ends a head (its source says ``FIXME: protect against header size DoS``). A program on the
computer sending an endless request head, or a hostile site sending an endless response head,
would grow the proxy's memory until the family's only way online falls over. This wraps the two
``read_headers`` states: past ``MAX_HEAD_BYTES`` without a complete head, a browser connection
gets ``431`` and is closed, and an upstream connection is closed with a ``502`` for the browser.

The limit is 256 KB, Chromium's own limit on response heads; real request heads are a few KB.
This is the one place Kiteguard reaches into mitmproxy's internals, so ``install`` checks that
the states it wraps exist and leaves mitmproxy untouched (with a warning) if they do not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from typing import Any

from mitmproxy.proxy import commands, events
from mitmproxy.proxy.layers.http import _http1
from mitmproxy.proxy.layers.http._base import ReceiveHttp
from mitmproxy.proxy.layers.http._events import ResponseProtocolError

log = logging.getLogger(__name__)

MAX_HEAD_BYTES = 256 * 1024
_MARK = "_kiteguard_head_limit"

State = Callable[[Any, events.Event], Generator[Any, Any, None]]


def _too_long(connection: Any, event: events.Event) -> bool:
    """More than the limit buffered and still no end of head (checked only once past the limit)."""
    if not isinstance(event, events.DataReceived) or len(connection.buf) <= MAX_HEAD_BYTES:
        return False
    buffered = bytes(connection.buf)
    return b"\r\n\r\n" not in buffered and b"\n\n" not in buffered


def _guard_browser_side(read_headers: State) -> State:
    def read_headers_with_limit(self: Any, event: events.Event) -> Generator[Any, Any, None]:
        if _too_long(self, event):
            log.warning("refused a request head longer than %d bytes from %s", MAX_HEAD_BYTES, self.conn.peername)
            yield commands.SendData(self.conn, _http1.make_error_response(431, "Request head too large"))
            yield commands.CloseConnection(self.conn)
            self.buf = _http1.ReceiveBuffer()  # free the bytes now, not when the socket is collected
            self.state = self.done
            return
        yield from read_headers(self, event)

    return read_headers_with_limit


def _guard_site_side(read_headers: State) -> State:
    def read_headers_with_limit(self: Any, event: events.Event) -> Generator[Any, Any, None]:
        if self.stream_id is not None and _too_long(self, event):
            log.warning("closed a site sending a response head longer than %d bytes", MAX_HEAD_BYTES)
            yield commands.CloseConnection(self.conn)
            yield ReceiveHttp(ResponseProtocolError(self.stream_id, "the site's response head is too large"))
            self.buf = _http1.ReceiveBuffer()
            self.state = self.done
            return
        yield from read_headers(self, event)

    return read_headers_with_limit


def install() -> bool:
    """Put the limit in place (once per process). False if this mitmproxy is not the expected shape."""
    server, client = _http1.Http1Server, _http1.Http1Client
    if getattr(server, _MARK, False):
        return True
    if not all(hasattr(cls, name) for cls in (server, client) for name in ("read_headers", "done")):
        log.warning("this mitmproxy has no read_headers state to guard; request heads stay unlimited")
        return False
    server.read_headers = _guard_browser_side(server.read_headers)  # type: ignore[method-assign]
    client.read_headers = _guard_site_side(client.read_headers)  # type: ignore[method-assign]
    setattr(server, _MARK, True)
    return True
