"""The clock guard: a clock set back or forward changes nothing, and the parent is told."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.clockguard import ClockGuard, Mark, load_mark, save_mark
from kiteguard.proxy.store import Store

START = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


class Machine:
    """A wall clock the child can set, and an elapsed clock nobody can."""

    def __init__(self) -> None:
        self.wall_at = START
        self.elapsed_s = 1000.0

    def wall(self) -> datetime:
        return self.wall_at

    def elapsed(self) -> float:
        return self.elapsed_s

    def run(self, seconds: float) -> None:
        self.wall_at += timedelta(seconds=seconds)
        self.elapsed_s += seconds


def guard_for(machine: Machine, *, suspend_aware: bool = True, mark: Mark | None = None,
              boot: str | None = "boot-1") -> ClockGuard:
    return ClockGuard(machine.wall, elapsed=machine.elapsed, suspend_aware=suspend_aware, mark=mark, boot=boot)


def test_normal_time_follows_the_wall_clock_and_its_small_corrections() -> None:
    machine = Machine()
    guard = guard_for(machine)
    machine.run(600)
    machine.wall_at += timedelta(seconds=20)  # NTP steps the clock a little
    assert guard.now() == START + timedelta(seconds=620)
    assert guard.take_alerts() == []


@pytest.mark.parametrize(
    ("jump", "suspend_aware", "expected_offset", "alerted"),
    [
        # set back: always ignored, and the parent is told
        (-DAY, True, timedelta(0), "set back by 1 d 0 h 00 min"),
        (-timedelta(hours=2), False, timedelta(0), "set back by 2 h 00 min"),
        # set forward: ignored where the elapsed clock counts suspend (Linux)...
        (DAY, True, timedelta(0), "set forward by 1 d 0 h 00 min"),
        # ...followed elsewhere, where waking from sleep looks just the same
        (DAY, False, DAY, None),
    ],
)
def test_a_clock_jump(jump: timedelta, suspend_aware: bool, expected_offset: timedelta, alerted: str | None) -> None:
    machine = Machine()
    guard = guard_for(machine, suspend_aware=suspend_aware)
    machine.run(60)
    machine.wall_at += jump
    assert guard.now() == START + timedelta(seconds=60) + expected_offset
    assert guard.now() == START + timedelta(seconds=60) + expected_offset
    alerts = guard.take_alerts()
    if alerted:
        assert len(alerts) == 1 and alerted in alerts[0]  # one alert per jump, not per request
    else:
        assert alerts == []


@pytest.mark.parametrize("step", [timedelta(seconds=-80), timedelta(seconds=80)])
def test_a_clock_walked_a_minute_at_a_time_leaves_the_band_at_once(step: timedelta) -> None:
    machine = Machine()
    guard = guard_for(machine)
    for _ in range(10):
        machine.wall_at += step
        guard.now()
    assert guard.now() == START
    assert len(guard.take_alerts()) == 1


def test_forward_and_back_again_never_moves_kiteguard_time_backwards() -> None:
    machine = Machine()
    guard = guard_for(machine, suspend_aware=False)
    machine.wall_at += DAY  # followed: it could have been a night asleep
    assert guard.now() == START + DAY
    machine.wall_at -= DAY
    machine.run(60)
    assert guard.now() == START + DAY + timedelta(seconds=60)  # tomorrow stays tomorrow
    assert "set back" in guard.take_alerts()[0]


def test_a_restart_in_the_same_boot_carries_the_line_on_from_the_mark() -> None:
    machine = Machine()
    first = guard_for(machine)
    machine.run(300)
    mark = first.mark()
    machine.run(30)  # killed, restarted 30 s later...
    machine.wall_at += DAY  # ...with the clock set a day forward meanwhile
    second = guard_for(machine, mark=mark)
    assert second.now() == START + timedelta(seconds=330)
    assert "set forward" in second.take_alerts()[0]


def test_after_a_reboot_a_clock_behind_the_mark_starts_from_the_mark() -> None:
    machine = Machine()
    mark = Mark(START + DAY, "boot-1", 5.0)
    guard = guard_for(machine, mark=mark, boot="boot-2")
    assert guard.now() == START + DAY
    assert "behind the last time Kiteguard ran" in guard.take_alerts()[0]
    ahead = guard_for(machine, mark=Mark(START - DAY, "boot-1", 5.0), boot="boot-2")
    assert ahead.now() == START and ahead.take_alerts() == []  # a reboot later: the wall clock is taken


def test_the_stored_mark_only_goes_up(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.sqlite3")
    assert load_mark(store) is None
    save_mark(store, Mark(START, "b", 10.0))
    save_mark(store, Mark(START - DAY, "b", 11.0))
    assert load_mark(store) == Mark(START, "b", 10.0)
    save_mark(store, Mark(START + DAY, "c", 1.0))
    assert load_mark(store) == Mark(START + DAY, "c", 1.0)


def test_a_parent_can_trust_the_computers_clock_again() -> None:
    machine = Machine()
    guard = guard_for(machine, mark=Mark(START + DAY, "boot-1", 5.0), boot="boot-2")  # stuck a day ahead
    assert guard.now() == START + DAY
    guard.trust()
    assert guard.now() == START
    machine.run(60)
    machine.wall_at -= DAY  # and it still catches the next trick
    assert guard.now() == START + timedelta(seconds=60)
