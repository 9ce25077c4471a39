"""Warnings 10, 5 and 1 minutes before time runs out: live notices, and the one-off notice page."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.notices import NoticeBoard, TimeWarner
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.store import Store
from kiteguard.proxy.usage import UsageLedger

POLICY = parse_policy("""
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
  [[profiles.offline]]
  days = ["weekday"]
  from = "21:00"
  to = "06:30"
  [[profiles.windows]]
  category = "games"
  days = ["weekday"]
  from = "16:00"
  to = "20:00"
  [profiles.quotas]
  video = 30
""")
TZ_OFFSET = timedelta(hours=7)
MONDAY = date(2026, 11, 30)


def local(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, second, tzinfo=timezone(TZ_OFFSET))


@pytest.fixture
def setup(tmp_path: Path):
    board = NoticeBoard()
    usage = UsageLedger(Store(tmp_path / "k.sqlite3"))
    return board, usage, TimeWarner(board, lambda: POLICY, usage)


async def collect(board: NoticeBoard, action) -> list[dict]:  # noqa: ANN001
    with board.subscribe() as subscription:
        action()
        found = []
        while not subscription.queue.empty():
            found.append((await subscription.get())[1])
    return found


async def test_an_offline_window_is_announced_at_10_5_and_1_minutes_once_each(setup) -> None:  # noqa: ANN001
    board, _, warner = setup
    sent = []
    for minute, second in [(45, 0), (50, 0), (50, 30), (51, 0), (55, 0), (56, 0), (59, 0), (59, 30)]:
        sent += await collect(board, lambda m=minute, s=second: warner.check_offline(local(20, m, s)))
    assert [(n["kind"], n["minutes"]) for n in sent] == [("offline", 10), ("offline", 5), ("offline", 1)]
    assert datetime.fromisoformat(sent[0]["ends_at"]) == local(21)


async def test_warnings_missed_while_nobody_checked_are_not_sent_late(setup) -> None:  # noqa: ANN001
    board, _, warner = setup
    sent = await collect(board, lambda: warner.check_offline(local(20, 58)))
    assert [(n["minutes"], n["minutes_left"]) for n in sent] == [(5, 2.0)]  # not 10, then 5


async def test_a_quota_warning_follows_the_minutes_counted(setup) -> None:  # noqa: ANN001
    board, usage, warner = setup
    usage.remember_seconds("an", "video", MONDAY, 18 * 60)
    sent = []
    for _ in range(18, 30):
        usage.remember_seconds("an", "video", MONDAY, 60)
        sent += await collect(board, lambda: warner.check_category("an", "video", local(17)))
    assert [(n["kind"], n["category"], n["minutes"]) for n in sent] == [
        ("quota", "video", 10), ("quota", "video", 5), ("quota", "video", 1)]


async def test_a_category_window_closing_is_announced(setup) -> None:  # noqa: ANN001
    board, _, warner = setup
    sent = await collect(board, lambda: warner.check_category("an", "games", local(19, 55)))
    assert [(n["kind"], n["minutes"]) for n in sent] == [("window", 5)]


def test_the_notice_page_shows_the_latest_warning_once_and_never_a_stale_one(setup) -> None:  # noqa: ANN001
    _, _, warner = setup
    warner.check_offline(local(20, 52))
    assert warner.take_page_notice("an", local(20, 53))["minutes"] == 10
    assert warner.take_page_notice("an", local(20, 53)) is None
    warner.check_offline(local(20, 56))
    assert warner.take_page_notice("an", local(21, 1)) is None  # the window has begun: nothing to announce


async def test_a_slow_subscriber_loses_old_notices_not_the_proxys_time() -> None:
    board = NoticeBoard()
    with board.subscribe() as subscription:
        for i in range(1000):
            board.publish("an", {"n": i})
        assert subscription.queue.qsize() <= 256
        assert (await asyncio.wait_for(subscription.get(), 1))[1]["n"] == 1000 - subscription.queue.qsize() - 1
    board.publish("an", {"n": "after"})  # a closed subscription gets nothing more, and nothing breaks
