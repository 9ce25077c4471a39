"""The parent's PIN: typed on a block page, it approves a child's request at once.

Stored only as an scrypt hash in a 0600 file in the home, written atomically; never logged.
Guessing is rate-limited: after ``MAX_FAILURES`` wrong PINs within ``WINDOW``, the PIN is
refused until the window has passed since the last failure.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from datetime import datetime, timedelta

from .atomicfile import write_atomic
from .paths import Home

PIN_FILE = "parent-pin.json"
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class PinError(ValueError):
    """A PIN that cannot be set (too short, not digits)."""


def pin_path(home: Home) -> os.PathLike[str]:
    return home.root / PIN_FILE


def set_pin(home: Home, pin: str) -> None:
    pin = pin.strip()
    if not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise PinError("the PIN must be 4 to 12 digits")
    salt = secrets.token_bytes(16)
    record = {"scrypt": SCRYPT, "salt": _b64(salt), "hash": _b64(_hash(pin, salt, SCRYPT))}
    home.ensure()
    write_atomic(home.root / PIN_FILE, json.dumps(record).encode("utf-8"), 0o600)


def has_pin(home: Home) -> bool:
    return (home.root / PIN_FILE).exists()


def check_pin(home: Home, pin: str) -> bool:
    """Whether pin is the parent's PIN (False when no PIN is set). Costs about 50 ms on purpose."""
    try:
        record = json.loads((home.root / PIN_FILE).read_text(encoding="utf-8"))
        salt, expected, params = base64.b64decode(record["salt"]), base64.b64decode(record["hash"]), record["scrypt"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return hmac.compare_digest(_hash(pin.strip(), salt, params), expected)


class PinLimiter:
    def __init__(self) -> None:
        self._failures: list[datetime] = []

    def allowed(self, now: datetime) -> bool:
        self._failures = [at for at in self._failures if now - at < WINDOW]
        return len(self._failures) < MAX_FAILURES

    def failed(self, now: datetime) -> None:
        self._failures.append(now)

    def succeeded(self) -> None:
        self._failures.clear()


def _hash(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=params["n"], r=params["r"], p=params["p"], dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
