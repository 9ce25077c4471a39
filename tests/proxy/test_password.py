"""The parent's password: scrypt hash, private file, strength rules, and `kiteguard password set`."""

from __future__ import annotations

import os
import stat

import pytest

from kiteguard.proxy.password import PasswordFile, PasswordRefused, is_strong

from kgtest import run_cli


@pytest.mark.parametrize(("password", "strong"), [
    ("short", None),            # refused: too short
    ("aaaaaaaaaaaa", None),     # refused: too few different characters
    ("mậtkhẩudàilắm", False),   # accepted, but letters only
    ("dieu-hoa-2026!", True),
])
def test_password_rules(tmp_path, password, strong) -> None:  # noqa: ANN001
    passwords = PasswordFile(tmp_path)
    if strong is None:
        with pytest.raises(PasswordRefused):
            passwords.set(password)
        assert not passwords.exists()
        return
    passwords.set(password)
    assert passwords.verify(password) and not passwords.verify(password + "x")
    assert passwords.is_strong() is strong is is_strong(password)
    assert stat.S_IMODE(os.stat(passwords.path).st_mode) == 0o600
    assert password not in passwords.path.read_text()


def test_cli_sets_the_password_from_stdin(tmp_path) -> None:  # noqa: ANN001
    home = tmp_path / "home"
    done = run_cli(home, "password", "set", stdin="dieu-hoa-2026!\n")
    assert done.returncode == 0, done.stderr
    assert "dieu-hoa-2026!" not in done.stdout + done.stderr
    assert PasswordFile(home).verify("dieu-hoa-2026!")
    refused = run_cli(home, "password", "set", stdin="short\n")
    assert refused.returncode == 1 and refused.stderr.startswith("kiteguard: password refused")
    assert PasswordFile(home).verify("dieu-hoa-2026!")
    empty = run_cli(home, "password", "set", stdin="")
    assert empty.returncode == 1
