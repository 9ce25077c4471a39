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


# -- the rules parents write, judged by the engine at their edges ---------------------------------------

FAMILY = """
timezone = "{tz}"
[[profiles]]
name = "an"
  [[profiles.offline]]            # school nights
  days = ["sun", "mon", "tue", "wed", "thu"]
  from = "21:00"
  to = "06:30"
  [[profiles.offline]]            # Friday night reaches into Saturday
  days = ["fri"]
  from = "23:00"
  to = "08:00"
  [[profiles.offline]]            # a second window on the same day: lunch
  days = ["weekday"]
  from = "12:00"
  to = "13:00"
  [[profiles.windows]]            # games only 16:00-20:00, and late on Saturday night
  category = "games"
  days = ["weekday", "weekend"]
  from = "16:00"
  to = "20:00"
  [[profiles.windows]]
  category = "games"
  days = ["sat"]
  from = "22:00"
  to = "01:00"
  [profiles.quotas]
  video = 60
  weekend = {{video = 90}}
  sun = {{video = 120}}
"""


class _Lists:
    def lookup(self, host: str, path: str):  # noqa: ANN201
        from kiteguard.proxy.policy import ListHit

        category = host.split(".")[0]
        return (ListHit(category, host, "test"),) if category in ("games", "video") else ()


class _Usage:
    def __init__(self, minutes: float) -> None:
        self.minutes = minutes

    def used_minutes(self, profile: str, category: str, day) -> float:  # noqa: ANN001
        return self.minutes

    def bonus_minutes(self, profile: str, category: str, day) -> int:  # noqa: ANN001
        return 0


def _judge(tz: ZoneInfo, url: str, local: datetime, used: float = 0.0):  # noqa: ANN202
    from kiteguard.proxy.policy import Context, RequestFacts, decide
    from kiteguard.proxy.policyfile import parse_policy
    from kiteguard.proxy.urls import parse_url

    household = parse_policy(FAMILY.format(tz=tz.key))
    ctx = Context(household=household, now=local.replace(tzinfo=tz), lists=_Lists(), usage=_Usage(used))
    return decide(RequestFacts(url=parse_url(url)), household.profile("an"), ctx)


@pytest.mark.parametrize("tz", [HCM, BERLIN])
@pytest.mark.parametrize(
    ("local", "url", "action", "reopens"),
    [
        # edges at from and to: [from, to) is half-open
        (datetime(2026, 11, 30, 20, 59), "http://site.test/", "allow", None),
        (datetime(2026, 11, 30, 21, 0), "http://site.test/", "block", datetime(2026, 12, 1, 6, 30)),
        (datetime(2026, 12, 1, 6, 29), "http://site.test/", "block", datetime(2026, 12, 1, 6, 30)),
        (datetime(2026, 12, 1, 6, 30), "http://site.test/", "allow", None),
        (datetime(2026, 12, 1, 11, 59), "http://site.test/", "allow", None),
        (datetime(2026, 12, 1, 12, 0), "http://site.test/", "block", datetime(2026, 12, 1, 13, 0)),
        (datetime(2026, 12, 1, 13, 0), "http://site.test/", "allow", None),
        # Friday night reaches into Saturday; Saturday night belongs to nobody
        (datetime(2026, 12, 4, 22, 59), "http://site.test/", "allow", None),
        (datetime(2026, 12, 5, 0, 30), "http://site.test/", "block", datetime(2026, 12, 5, 8, 0)),
        (datetime(2026, 12, 5, 7, 59), "http://site.test/", "block", datetime(2026, 12, 5, 8, 0)),
        (datetime(2026, 12, 6, 3, 0), "http://site.test/", "allow", None),
        # Sunday is a school night
        (datetime(2026, 12, 6, 21, 0), "http://site.test/", "block", datetime(2026, 12, 7, 6, 30)),
        # category windows: games at their edges, and a Saturday window past midnight
        (datetime(2026, 12, 5, 15, 59), "http://games.test/", "block", datetime(2026, 12, 5, 16, 0)),
        (datetime(2026, 12, 5, 16, 0), "http://games.test/", "allow", None),
        (datetime(2026, 12, 5, 20, 0), "http://games.test/", "block", datetime(2026, 12, 5, 22, 0)),
        (datetime(2026, 12, 6, 0, 59), "http://games.test/", "allow", None),  # Saturday's window, on Sunday
        (datetime(2026, 12, 6, 1, 0), "http://games.test/", "block", datetime(2026, 12, 6, 16, 0)),
    ],
)
def test_family_rules_at_their_edges(tz: ZoneInfo, local: datetime, url: str, action: str,
                                     reopens: datetime | None) -> None:
    decision = _judge(tz, url, local)
    assert decision.action == action
    if reopens is not None:
        assert decision.primary is not None and decision.primary.source == "schedule"
        assert decision.reopens_at == reopens.replace(tzinfo=tz)


@pytest.mark.parametrize(
    ("local", "used", "action"),
    [
        (datetime(2026, 12, 4, 10, 0), 59.5, "allow"),  # Friday: 60 minutes
        (datetime(2026, 12, 4, 10, 0), 60.0, "block"),
        (datetime(2026, 12, 5, 10, 0), 89.0, "allow"),  # Saturday: the weekend's 90
        (datetime(2026, 12, 6, 10, 0), 119.0, "allow"),  # Sunday: its own 120
        (datetime(2026, 12, 6, 10, 0), 120.0, "block"),
    ],
)
def test_quotas_by_day(local: datetime, used: float, action: str) -> None:
    decision = _judge(HCM, "https://video.test/", local, used)
    assert decision.action == action
    if action == "block":
        assert decision.primary is not None and decision.primary.source == "quota"
        assert decision.reopens_at == datetime.combine(local.date() + timedelta(days=1), time(0), HCM)


@pytest.mark.parametrize(
    ("utc", "action", "reopens_utc"),
    [
        # Berlin springs forward on Sunday 29 March 2026: that evening 21:00 is CEST (19:00 UTC)...
        (datetime(2026, 3, 29, 18, 59), "allow", None),
        (datetime(2026, 3, 29, 19, 0), "block", datetime(2026, 3, 30, 4, 30)),
        # ... and the Friday before, still CET: 23:00 is 22:00 UTC, 08:00 is 07:00 UTC
        (datetime(2026, 3, 27, 22, 0), "block", datetime(2026, 3, 28, 7, 0)),
        # it falls back on Sunday 25 October 2026: that night ends at 06:30 CET (05:30 UTC)
        (datetime(2026, 10, 26, 5, 29), "block", datetime(2026, 10, 26, 5, 30)),
        (datetime(2026, 10, 26, 5, 30), "allow", None),
    ],
)
def test_berlin_school_nights_across_dst(utc: datetime, action: str, reopens_utc: datetime | None) -> None:
    decision = _judge(BERLIN, "http://site.test/", utc.replace(tzinfo=timezone.utc).astimezone(BERLIN))
    assert decision.action == action
    assert decision.reopens_at == (reopens_utc.replace(tzinfo=timezone.utc) if reopens_utc else None)


def test_a_quota_day_in_berlin_lasts_23_hours_in_spring_and_25_in_autumn() -> None:
    spring = datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)
    autumn = datetime(2026, 10, 25, 12, 0, tzinfo=BERLIN)
    for noon, hours in ((spring, 23), (autumn, 25)):
        start = datetime.combine(noon.date(), time(0), BERLIN)
        assert timerules.next_midnight(noon, BERLIN) - start == timedelta(hours=hours)
        assert timerules.local_day(timerules.next_midnight(noon, BERLIN) - timedelta(seconds=1), BERLIN) == noon.date()
