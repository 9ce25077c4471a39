"""Usage accounting: which minutes count, each once, written as they happen; extension reports win."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.activity import CountedMinute, write_minute
from kiteguard.proxy.paths import Home
from kiteguard.proxy.policy import ListHit, RequestFacts
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.urls import parse_url

POLICY = """
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
  [profiles.quotas]
  video = 3
"""
MONDAY = datetime(2026, 11, 30, 10, 0, 5, tzinfo=timezone.utc)  # 17:00 in Vietnam
DAY = date(2026, 11, 30)


class Lists:
    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        return (ListHit("video", host, "test"),) if host.endswith("video.test") else ()


class Clock:
    def __init__(self) -> None:
        self.at = MONDAY

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(tmp_path: Path, clock: Clock):
    store = Store(tmp_path / "k.sqlite3")
    running = Runtime(Home(tmp_path), store, clock=clock, lists=Lists())
    running.apply_policy(parse_policy(POLICY))
    running.activity.start()
    yield running
    running.activity.stop()


def wait_written(runtime: Runtime, count: int) -> None:
    deadline = time.monotonic() + 5
    while runtime.activity.written < count and time.monotonic() < deadline:
        time.sleep(0.01)


def stored_seconds(runtime: Runtime) -> float:
    return runtime.store.usage_on(DAY).get(("an", "video"), (0.0, 0))[0]


@pytest.mark.parametrize(
    ("category", "page_activity", "counted"),
    [
        # a page opened, or a script on it fetching, in a category: the minute counts
        ("video", True, True),
        # images, scripts and media files alone do not count, and neither do uncategorised sites
        ("video", False, False),
        (None, True, False),
    ],
)
def test_what_counts_as_a_minute(runtime: Runtime, category: str | None, page_activity: bool, counted: bool) -> None:
    assert runtime.activity.note_traffic("an", category, page_activity=page_activity) is counted
    assert runtime.usage.used_minutes("an", "video", DAY) == (1.0 if counted else 0.0)


def test_each_minute_counts_once_and_is_stored_at_once(runtime: Runtime, clock: Clock) -> None:
    for seconds in (0, 10, 50):  # three requests within one minute
        clock.at = MONDAY + timedelta(seconds=seconds)
        runtime.activity.note_traffic("an", "video", page_activity=True)
    clock.at = MONDAY + timedelta(minutes=1)
    runtime.activity.note_traffic("an", "video", page_activity=True)
    assert runtime.usage.used_minutes("an", "video", DAY) == 2.0
    wait_written(runtime, 2)
    assert stored_seconds(runtime) == 120.0


def test_a_minute_already_stored_is_not_counted_again_after_a_restart(tmp_path: Path, runtime: Runtime) -> None:
    runtime.activity.note_traffic("an", "video", page_activity=True)
    wait_written(runtime, 1)
    runtime.activity.stop()
    again = Runtime(Home(tmp_path), runtime.store, clock=runtime.clock, lists=Lists())
    again.activity.start()
    try:
        assert again.activity.note_traffic("an", "video", page_activity=True) is False
        assert again.usage.used_minutes("an", "video", DAY) == 1.0
    finally:
        again.activity.stop()


def test_the_store_refuses_a_minute_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.sqlite3")
    minute = CountedMinute("an", "video", MONDAY.replace(second=0), DAY)
    assert write_minute(store, minute) is True
    assert write_minute(store, minute) is False
    one_back = CountedMinute("an", "video", minute.minute - timedelta(minutes=1), DAY)
    assert write_minute(store, one_back) is False  # the wall clock wobbling back inside the band
    assert store.usage_on(DAY) == {("an", "video"): (60.0, 0)}


def test_after_a_parent_trusts_an_earlier_clock_minutes_count_again(runtime: Runtime, clock: Clock) -> None:
    clock.at = MONDAY + timedelta(days=1)  # Kiteguard's time was stuck a day ahead
    runtime.activity.note_traffic("an", "video", page_activity=True)
    clock.at = MONDAY  # `kiteguard clock trust`
    assert runtime.activity.note_traffic("an", "video", page_activity=True) is True
    wait_written(runtime, 2)
    assert runtime.store.usage_on(DAY) == {("an", "video"): (60.0, 0)}


def test_while_the_extension_reports_its_minutes_win_over_traffic(runtime: Runtime, clock: Clock) -> None:
    assert runtime.activity.record_active_minute("an", None, "www.video.test", clock.at) is True
    clock.at += timedelta(minutes=1)
    assert runtime.activity.note_traffic("an", "video", page_activity=True) is False  # a background tab's fetch
    assert runtime.usage.used_minutes("an", "video", DAY) == 1.0
    clock.at += timedelta(minutes=4)  # the extension went quiet: traffic counts again
    assert runtime.activity.note_traffic("an", "video", page_activity=True) is True


def test_an_extension_report_cannot_move_time(runtime: Runtime, clock: Clock) -> None:
    runtime.activity.record_active_minute("an", "video", "video.test", clock.at + timedelta(days=1))
    runtime.activity.record_active_minute("an", "video", "video.test", clock.at - timedelta(days=1))
    assert runtime.usage.used_minutes("an", "video", DAY) == 1.0  # both land in today's minutes, counted once


def test_the_quota_reaches_zero_while_a_page_is_open(runtime: Runtime, clock: Clock) -> None:
    """A video page stays open and keeps fetching: the fetch after the third minute is blocked."""
    url = parse_url("https://www.video.test/watch?v=1")
    page, fetch = RequestFacts(url=url), RequestFacts(url=url, navigation=False)
    actions = []
    for minute in range(4):
        clock.at = MONDAY + timedelta(minutes=minute)
        facts = page if minute == 0 else fetch
        decision = runtime.decide(facts, "an")
        actions.append(decision.action)
        if decision.action == "allow":
            runtime.activity.note_traffic("an", decision.category, page_activity=True)
    assert actions == ["allow", "allow", "allow", "block"]
    blocked = runtime.decide(page, "an")
    assert blocked.primary is not None and blocked.primary.source == "quota"
    assert blocked.reopens_at == datetime(2026, 12, 1, 0, 0, tzinfo=runtime.tz)
