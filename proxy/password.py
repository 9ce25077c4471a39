"""The parent's password: a scrypt hash in a 0600 file under the home, never the password itself.

The file holds one line, ``scrypt$n$r$p$salt$hash$strong``; ``strong`` records whether the
password was strong enough for LAN access when it was set, since the hash cannot tell later.
The password is never logged or echoed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from .atomicfile import write_atomic

MIN_LENGTH = 8
STRONG_LENGTH = 12
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
FILE_NAME = "parent-password"


class PasswordRefused(ValueError):
    """A new password was refused; ``key`` is the i18n key that explains why."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class PasswordHash:
    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes
    strong: bool

    def encode(self) -> str:
        parts = ["scrypt", str(self.n), str(self.r), str(self.p), _b64(self.salt), _b64(self.digest),
                 "strong" if self.strong else "weak"]
        return "$".join(parts)

    @classmethod
    def decode(cls, text: str) -> PasswordHash:
        parts = text.strip().split("$")
        if len(parts) != 7 or parts[0] != "scrypt":
            raise ValueError("the password file is not a Kiteguard scrypt hash")
        return cls(int(parts[1]), int(parts[2]), int(parts[3]), _unb64(parts[4]), _unb64(parts[5]),
                   parts[6] == "strong")

    def matches(self, password: str) -> bool:
        candidate = _scrypt(password, self.salt, self.n, self.r, self.p)
        return hmac.compare_digest(candidate, self.digest)


def check_new_password(password: str) -> None:
    """Refuse passwords a child could guess in a few tries."""
    if len(password) < MIN_LENGTH:
        raise PasswordRefused("web.password.too_short", f"the password must have at least {MIN_LENGTH} characters")
    if len(set(password)) < 4:
        raise PasswordRefused("web.password.too_simple", "the password repeats too few different characters")


def is_strong(password: str) -> bool:
    """Strong enough for LAN access: long, and mixing letters with digits or symbols."""
    has_letter = any(ch.isalpha() for ch in password)
    has_other = any(not ch.isalpha() for ch in password)
    return len(password) >= STRONG_LENGTH and has_letter and has_other and len(set(password)) >= 6


def hash_password(password: str, *, salt: bytes | None = None) -> PasswordHash:
    salt = salt or secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return PasswordHash(SCRYPT_N, SCRYPT_R, SCRYPT_P, salt, digest, is_strong(password))


class PasswordFile:
    """The stored hash. Reads the file each time, so `kiteguard password set` reaches a running service."""

    def __init__(self, root: Path) -> None:
        self.path = root / FILE_NAME

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> PasswordHash | None:
        try:
            return PasswordHash.decode(self.path.read_text(encoding="ascii"))
        except FileNotFoundError:
            return None

    def verify(self, password: str) -> bool:
        stored = self.load()
        return stored is not None and stored.matches(password)

    def is_strong(self) -> bool:
        stored = self.load()
        return stored is not None and stored.strong

    def set(self, password: str) -> PasswordHash:
        check_new_password(password)
        hashed = hash_password(password)
        write_atomic(self.path, (hashed.encode() + "\n").encode("ascii"), 0o600)  # never readable by others
        return hashed


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))
