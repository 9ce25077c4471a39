from __future__ import annotations

from pathlib import Path

import pytest

from kiteguard.proxy.passwords import (
    check_parent_password,
    has_parent_password,
    hash_password,
    save_parent_password,
    verify_password,
)
from kiteguard.proxy.paths import Home


def test_a_saved_password_checks_and_is_never_stored_in_clear(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    assert not has_parent_password(home)
    path = save_parent_password(home, "Mật khẩu của mẹ")
    assert path.stat().st_mode & 0o777 == 0o600
    assert "Mật" not in path.read_text()
    assert check_parent_password(home, "Mật khẩu của mẹ")
    assert not check_parent_password(home, "mật khẩu của mẹ")


def test_each_hash_has_its_own_salt() -> None:
    assert hash_password("same password") != hash_password("same password")


# Damaged or foreign stored values never verify.
@pytest.mark.parametrize(
    "stored", ["", "scrypt$1$2", "bcrypt$a$b$c$d$e", "scrypt$x$8$1$AAAA$AAAA", "scrypt$16$8$1$!!$!!"]
)
def test_damaged_hashes_never_verify(stored: str) -> None:
    assert not verify_password("anything", stored)
