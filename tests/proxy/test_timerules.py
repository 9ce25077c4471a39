"""Time windows across midnight and DST, in the household's time zone."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kiteguard.proxy import timerules
from kiteguard.proxy.household import TimeWindow

BERLIN = ZoneInfo("Europe/Berlin")
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
EVERY_DAY = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NIGHT = TimeWindow(EVERY_DAY, time(22, 0), time(6, 0))


def berlin(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("now", "until"),
    [
        # spring forward (29 March 2026, 02:00 -> 03:00): the night is one hour shorter in real time
        (berlin(2026, 3, 28, 23), berlin(2026, 3, 29, 6)),
        (berlin(2026, 3, 29, 5, 59), berlin(2026, 3, 29, 6)),
        # fall back (25 October 2026, 03:00 -> 02:00): the night is one hour longer
        (berlin(2026, 10, 24, 23), berlin(2026, 10, 25, 6)),
    ],
)
def test_night_window_across_dst(now: datetime, until: datetime) -> None:
    assert timerules.offline_until_windows([NIGHT], now, BERLIN) == until


def test_the_fall_back_night_lasts_nine_hours() -> None:
    start = berlin(2026, 10, 24, 22)
    end = timerules.offline_until_windows([NIGHT], start, BERLIN)
    assert end is not None and end - start == timedelta(hours=9)


def test_the_spring_forward_night_lasts_seven_hours() -> None:
    start = berlin(2026, 3, 28, 22)
    end = timerules.offline_until_windows([NIGHT], start, BERLIN)
    assert end is not None and end - start == timedelta(hours=7)


def test_the_repeated_hour_is_inside_the_window() -> None:
    repeated = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)  # 02:30 CEST... then 02:30 CET again
    assert timerules.offline_until_windows([NIGHT], repeated, BERLIN) is not None
    assert timerules.offline_until_windows([NIGHT], repeated + timedelta(hours=1), BERLIN) is not None


def test_chained_windows_block_until_the_last_one_ends() -> None:
    evening = TimeWindow(EVERY_DAY, time(20, 0), time(22, 0))
    now = datetime(2026, 11, 30, 21, 0, tzinfo=HCM)
    assert timerules.offline_until_windows([evening, NIGHT], now, HCM) == datetime(2026, 12, 1, 6, 0, tzinfo=HCM)


def test_local_day_starts_at_local_midnight() -> None:
    just_after = datetime(2026, 11, 30, 17, 1, tzinfo=timezone.utc)  # 00:01 on 1 December in Vietnam
    assert timerules.local_day(just_after, HCM).isoformat() == "2026-12-01"
    assert timerules.next_midnight(just_after, HCM) == datetime(2026, 12, 2, 0, 0, tzinfo=HCM)
