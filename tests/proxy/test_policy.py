"""The pure engine: what a child meets, for each rule, at each moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kiteguard.proxy.grants import Grant, GrantBook
from kiteguard.proxy.policy import Context, ListHit, RequestFacts, decide
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.urls import parse_url

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = parse_policy(
    """
timezone = "Asia/Ho_Chi_Minh"
default_profile = "an"

[[profiles]]
name = "an"
block = ["adult", "gambling"]
warn = ["dating"]
allow = ["ok.bad-lists.test"]
deny = ["example-bad.vn", "sub.fine.test"]

  [[profiles.offline]]
  days = ["fri"]
  from = "21:00"
  to = "06:30"

  [[profiles.windows]]
  category = "games"
  days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
  from = "16:00"
  to = "20:00"

  [profiles.quotas]
  video = 60
  weekend = {video = 90}
"""
)
PROFILE = POLICY.profile("an")
MONDAY_NOON = datetime(2026, 11, 30, 12, 0, tzinfo=HCM)


class Lists:
    """A tiny in-memory category list, standing in for the compiled matcher's interface."""

    ENTRIES = {
        "casino.test": "gambling",
        "bad-lists.test": "adult",
        "date.test": "dating",
        "games.test": "games",
        "video.test": "video",
    }

    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        labels = host.split(".")
        for i in range(len(labels)):
            name = ".".join(labels[i:])
            if name in self.ENTRIES:
                return (ListHit(self.ENTRIES[name], name, "test-list", 1),)
        return ()


class Usage:
    def __init__(self, minutes: float = 0.0, bonus: int = 0) -> None:
        self.minutes, self.bonus = minutes, bonus

    def used_minutes(self, profile: str, category: str, day: date) -> float:
        return self.minutes if category == "video" else 0.0

    def bonus_minutes(self, profile: str, category: str, day: date) -> int:
        return self.bonus


def judge(url: str, now: datetime = MONDAY_NOON, usage: Usage | None = None, grants: GrantBook | None = None):
    ctx = Context(household=POLICY, now=now, lists=Lists(), usage=usage or Usage(), grants=grants or GrantBook())
    return decide(RequestFacts(url=parse_url(url)), PROFILE, ctx)


@pytest.mark.parametrize(
    ("url", "action", "source"),
    [
        # custom rules beat lists, the most specific winning
        ("http://example-bad.vn/", "block", "custom"),
        ("https://www.example-bad.vn/page", "block", "custom"),
        ("http://notexample-bad.vn/", "allow", None),
        ("http://ok.bad-lists.test/", "allow", None),
        ("http://other.bad-lists.test/", "block", "blocklist"),
        ("http://sub.fine.test/", "block", "custom"),
        ("http://fine.test/", "allow", None),
        # category lists
        ("https://casino.test/slots", "block", "blocklist"),
        ("https://date.test/", "warn", "blocklist"),
        # help pages are never blocked, whatever the lists say
        ("https://tongdai111.vn/", "allow", None),
        # normalisation: case, trailing dot, port
        ("HTTP://Example-Bad.VN.:80/", "block", "custom"),
    ],
)
def test_rules_and_lists(url: str, action: str, source: str | None) -> None:
    decision = judge(url)
    assert decision.action == action
    assert (decision.primary.source if decision.primary else None) == source


@pytest.mark.parametrize(
    ("local_time", "action"),
    [
        # Friday 21:00-06:30 belongs to Friday and reaches into Saturday morning
        (datetime(2026, 12, 4, 20, 59), "allow"),
        (datetime(2026, 12, 4, 21, 0), "block"),
        (datetime(2026, 12, 5, 3, 0), "block"),
        (datetime(2026, 12, 5, 6, 29), "block"),
        (datetime(2026, 12, 5, 6, 30), "allow"),  # half-open: "to" is already allowed
        # Thursday night is not in the window
        (datetime(2026, 12, 3, 22, 0), "allow"),
    ],
)
def test_offline_window_edges(local_time: datetime, action: str) -> None:
    decision = judge("http://fine.test/", now=local_time.replace(tzinfo=HCM))
    assert decision.action == action
    if action == "block":
        assert decision.primary is not None and decision.primary.source == "schedule"
        assert decision.reopens_at == datetime(2026, 12, 5, 6, 30, tzinfo=HCM)


def test_help_pages_stay_open_in_offline_time() -> None:
    assert judge("https://tongdai111.vn/", now=datetime(2026, 12, 4, 22, 0, tzinfo=HCM)).action == "allow"


@pytest.mark.parametrize(
    ("hour", "action"),
    [(15, "block"), (16, "allow"), (19, "allow"), (20, "block")],
)
def test_games_only_inside_their_window(hour: int, action: str) -> None:
    decision = judge("https://games.test/", now=MONDAY_NOON.replace(hour=hour, minute=0))
    assert decision.action == action
    if action == "block":
        assert decision.primary is not None and decision.primary.source == "schedule"


@pytest.mark.parametrize(
    ("now", "used", "bonus", "action"),
    [
        (MONDAY_NOON, 59.0, 0, "allow"),
        (MONDAY_NOON, 60.0, 0, "block"),
        (MONDAY_NOON, 60.0, 15, "allow"),  # a parent's bonus minutes count today
        (datetime(2026, 12, 5, 12, 0, tzinfo=HCM), 60.0, 0, "allow"),  # Saturday: 90 minutes
        (datetime(2026, 12, 5, 12, 0, tzinfo=HCM), 90.0, 0, "block"),
    ],
)
def test_daily_quota(now: datetime, used: float, bonus: int, action: str) -> None:
    decision = judge("https://video.test/watch", now=now, usage=Usage(used, bonus))
    assert decision.action == action
    assert decision.category == "video"
    if action == "block":
        assert decision.primary is not None and decision.primary.source == "quota"
        assert decision.reopens_at == datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), HCM)


def test_continue_lifts_a_warning_but_not_a_block() -> None:
    until = MONDAY_NOON + timedelta(minutes=30)
    grants = GrantBook((Grant("an", "date.test", "continue", until), Grant("an", "casino.test", "continue", until)))
    assert judge("https://date.test/", grants=grants).action == "allow"
    assert judge("https://casino.test/", grants=grants).action == "block"
    assert judge("https://date.test/", now=until, grants=grants).action == "warn"  # expired


def test_a_parents_approval_lifts_a_list_block_but_not_a_custom_deny() -> None:
    until = MONDAY_NOON + timedelta(hours=1)
    grants = GrantBook((Grant("an", "casino.test", "parent", until), Grant("an", "example-bad.vn", "parent", until)))
    assert judge("https://casino.test/", grants=grants).action == "allow"
    assert judge("https://example-bad.vn/", grants=grants).action == "block"


def test_check_json_contract_shape() -> None:
    decision = judge("http://example-bad.vn/")
    assert decision.to_json("http://example-bad.vn/", "an") == {
        "url": "http://example-bad.vn/",
        "profile": "an",
        "action": "block",
        "category": None,
        "reasons": [{"source": "custom", "category": None, "detail": "deny example-bad.vn"}],
        "rewrite": None,
    }


def test_time_is_compared_as_instants_not_wall_clocks() -> None:
    utc_instant = datetime(2026, 12, 4, 14, 0, tzinfo=timezone.utc)  # 21:00 in Ho Chi Minh City
    assert judge("http://fine.test/", now=utc_instant).action == "block"
