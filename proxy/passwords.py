"""The parent's password: stored only as a scrypt hash, in a 0600 file under home.

Format: ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``, so the cost can rise later without
breaking stored hashes. The password itself is never written or logged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from .paths import Home

FILE_NAME = "parent_password"
COST = (2**15, 8, 1)
MAX_MEMORY = 64 * 1024 * 1024


def hash_password(password: str, salt: bytes | None = None) -> str:
    n, r, p = COST
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=MAX_MEMORY)
    return "$".join(("scrypt", str(n), str(r), str(p), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.strip().split("$")
        if scheme != "scrypt":
            return False
        again = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=MAX_MEMORY
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(again, base64.b64decode(digest))


def password_path(home: Home) -> Path:
    return home.root / FILE_NAME


def save_parent_password(home: Home, password: str) -> Path:
    """Replace the stored hash atomically; the file is 0600 from the moment it exists."""
    home.ensure()
    path = password_path(home)
    fd, temp = tempfile.mkstemp(dir=home.root, prefix=f".{FILE_NAME}.")
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(hash_password(password) + "\n")
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def has_parent_password(home: Home) -> bool:
    return password_path(home).is_file()


def check_parent_password(home: Home, password: str) -> bool:
    path = password_path(home)
    return path.is_file() and verify_password(password, path.read_text(encoding="ascii"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
