"""Default ports, and binding them with one clear error when they are taken."""

from __future__ import annotations

import errno
import socket

DEFAULT_PROXY_PORT = 8377
DEFAULT_UI_PORT = 8378


class PortBusy(RuntimeError):
    def __init__(self, host: str, port: int, flag: str) -> None:
        super().__init__(f"port {port} on {host} is already in use; choose another with {flag}")


def bind_listener(host: str, port: int, flag: str = "--ui-port") -> socket.socket:
    """A bound, listening TCP socket, or PortBusy naming the port and the flag that changes it."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            raise PortBusy(host, port, flag) from None
        raise
    sock.listen(128)
    sock.setblocking(False)
    return sock


def check_port_free(host: str, port: int, flag: str) -> None:
    if port != 0:
        bind_listener(host, port, flag).close()


