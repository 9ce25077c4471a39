"""Whether the settings page may answer other devices on the home network (off by default).

Stored in a small 0600 file under the home, read by ``kiteguard run`` when it binds the page:
with LAN access off it listens on 127.0.0.1 only. Turning it on requires a strong parent
password, because anyone on the Wi-Fi could then try to sign in.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

from .atomicfile import write_atomic

FILE_NAME = "lan-access.json"


class LanAccess:
    def __init__(self, root: Path) -> None:
        self.path = root / FILE_NAME

    def enabled(self) -> bool:
        try:
            return bool(json.loads(self.path.read_text(encoding="utf-8")).get("enabled"))
        except (FileNotFoundError, ValueError, AttributeError):
            return False

    def set_enabled(self, enabled: bool) -> None:
        write_atomic(self.path, json.dumps({"enabled": enabled}).encode("utf-8"), 0o600)


def listen_host(root: Path, default: str = "127.0.0.1") -> str:
    """Where the settings page listens: every interface only when the parent turned LAN access on."""
    from .password import PasswordFile

    if LanAccess(root).enabled() and PasswordFile(root).is_strong():
        return "0.0.0.0"
    return default


def lan_names() -> tuple[str, ...]:
    """This computer's names and addresses, for the Host allowlist when LAN access is on."""
    host = socket.gethostname()
    names = {host.lower(), f"{host.lower()}.local"}
    try:
        for info in socket.getaddrinfo(host, None, family=socket.AF_INET):
            names.add(str(info[4][0]))
    except OSError:
        pass
    return tuple(sorted(names))
