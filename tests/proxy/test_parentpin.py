"""The parent's PIN: stored only as a hash in a file only Kiteguard's user reads, and hard to guess."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.parentpin import PIN_FILE, PinError, PinLimiter, check_pin, has_pin, set_pin
from kiteguard.proxy.paths import Home


def test_a_pin_is_stored_hashed_in_a_0600_file(tmp_path: Path) -> None:
    home = Home(tmp_path / "home")
    assert not has_pin(home) and not check_pin(home, "2468")
    set_pin(home, "2468\n")
    path = home.root / PIN_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "2468" not in path.read_text()
    assert check_pin(home, "2468") and not check_pin(home, "2469") and not check_pin(home, "")
    set_pin(home, "13579")
    assert check_pin(home, "13579") and not check_pin(home, "2468")


@pytest.mark.parametrize("pin", ["123", "abcd", "12 34", "1234567890123", ""])
def test_a_bad_pin_is_refused(tmp_path: Path, pin: str) -> None:
    with pytest.raises(PinError, match="4 to 12 digits"):
        set_pin(Home(tmp_path), pin)


def test_a_damaged_pin_file_never_lets_anyone_in(tmp_path: Path) -> None:
    (tmp_path / PIN_FILE).write_text("{not json")
    assert not check_pin(Home(tmp_path), "1234")


def test_guessing_is_limited_to_five_tries_in_fifteen_minutes() -> None:
    limiter, now = PinLimiter(), datetime(2026, 11, 30, tzinfo=timezone.utc)
    for _ in range(5):
        assert limiter.allowed(now)
        limiter.failed(now)
    assert not limiter.allowed(now + timedelta(minutes=14))
    assert limiter.allowed(now + timedelta(minutes=15))
