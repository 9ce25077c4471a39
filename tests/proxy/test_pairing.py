"""Pairing codes and browser tokens: one-time, short-lived, rate-limited, stored hashed, revocable."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.pairing import CODE_MINUTES, MAX_FAILURES, SILENT_AFTER, PairingError, Pairings
from kiteguard.proxy.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def pairings(tmp_path: Path, clock: Clock) -> Pairings:
    return Pairings(Store(tmp_path / "k.sqlite3"), clock, lambda: ("lan", "minh"))


def refused(pairings: Pairings, code: str) -> str:
    with pytest.raises(PairingError) as caught:
        pairings.redeem(code, "Chromium")
    return caught.value.code


def test_a_code_pairs_one_browser_to_the_child_it_was_made_for(pairings: Pairings) -> None:
    code = pairings.create_pairing_code("lan")
    assert len(code.code) == 6 and code.code.isdigit()
    paired = pairings.redeem(code.code, "Chromium (Linux)")
    assert paired.profile == "lan"
    assert pairings.profile_map() == {paired.token_id: "lan"}
    assert pairings.authenticate(paired.token).name == "Chromium (Linux)"
    assert refused(pairings, code.code) == "bad_code"  # one-time


def test_codes_expire_and_a_new_code_replaces_the_old_one(pairings: Pairings, clock: Clock) -> None:
    old = pairings.create_pairing_code("lan")
    new = pairings.create_pairing_code("lan")
    if old.code != new.code:
        assert refused(pairings, old.code) == "bad_code"
    clock.now += timedelta(minutes=CODE_MINUTES, seconds=1)
    assert refused(pairings, new.code) == "bad_code"


def test_guessing_is_cut_off_even_for_the_right_code(pairings: Pairings, clock: Clock) -> None:
    code = pairings.create_pairing_code("minh").code
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(MAX_FAILURES):
        assert refused(pairings, wrong) == "bad_code"
    assert refused(pairings, code) == "rate_limited"
    clock.now += timedelta(minutes=1, seconds=1)
    assert pairings.redeem(code, "Firefox").profile == "minh"


def test_a_code_for_a_child_who_does_not_exist_is_refused(pairings: Pairings) -> None:
    with pytest.raises(PairingError, match="no child profile"):
        pairings.create_pairing_code("nobody")


def test_only_hashes_are_stored(pairings: Pairings, tmp_path: Path) -> None:
    code = pairings.create_pairing_code("lan").code
    paired = pairings.redeem(code, "Chromium")
    raw = (tmp_path / "k.sqlite3").read_bytes() + (tmp_path / "k.sqlite3-wal").read_bytes()
    assert paired.token.encode() not in raw and code.encode() not in raw


def test_a_revoked_token_no_longer_works_or_maps_to_a_child(pairings: Pairings) -> None:
    paired = pairings.redeem(pairings.create_pairing_code("lan").code, "Chromium")
    assert pairings.revoke(paired.token_id)
    assert pairings.authenticate(paired.token) is None
    assert pairings.profile_map() == {}
    assert not pairings.revoke(paired.token_id)
    assert [b.revoked for b in pairings.browsers(include_revoked=True)] == [True]


def test_a_silent_browser_is_reported_once_until_it_is_heard_from_again(pairings: Pairings, clock: Clock) -> None:
    paired = pairings.redeem(pairings.create_pairing_code("lan").code, "Chromium")
    clock.now += SILENT_AFTER - timedelta(seconds=1)
    assert pairings.newly_silent() == []
    clock.now += timedelta(seconds=2)
    assert pairings.newly_silent(frozenset({paired.token_id})) == []  # still on the live channel
    assert [b.token_id for b in pairings.newly_silent()] == [paired.token_id]
    assert pairings.newly_silent() == []
    pairings.touch(paired.token_id, proxy_ok=True)
    clock.now += SILENT_AFTER + timedelta(seconds=1)
    assert [b.token_id for b in pairings.newly_silent()] == [paired.token_id]
