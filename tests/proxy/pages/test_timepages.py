"""Time on the child's pages: when a block lifts, in household local time and words, in vi and en."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from kiteguard.proxy.pages.render import local_time, render_block_page
from kiteguard.proxy.pages.timepages import render_notice_page
from kiteguard.proxy.reasons import Decision, Reason

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 30, 14, 30, tzinfo=timezone.utc)  # Monday 21:30 in Vietnam, 15:30 in Berlin


@pytest.mark.parametrize(
    ("instant", "tz", "language", "text"),
    [
        # the same day, the next, and later in the week
        (datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc), HCM, "en", "23:00 today"),
        (datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc), HCM, "vi", "23:00 hôm nay"),
        (datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), HCM, "en", "06:30 tomorrow"),
        (datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), HCM, "vi", "06:30 ngày mai"),
        (datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc), HCM, "en", "16:00 on Saturday 05/12"),
        (datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc), HCM, "vi", "16:00 Chủ nhật 06/12"),
        # the household's zone decides what "today" is: 23:30 UTC is still Monday in Berlin
        (datetime(2026, 11, 30, 23, 30, tzinfo=timezone.utc), BERLIN, "en", "00:30 tomorrow"),
        (datetime(2026, 11, 30, 22, 30, tzinfo=timezone.utc), BERLIN, "en", "23:30 today"),
    ],
)
def test_when_it_opens_again(instant: datetime, tz: ZoneInfo, language: str, text: str) -> None:
    assert local_time(instant, tz, NOW, language) == text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["Today's time for video and streaming is used up.", "It opens again at 00:00 tomorrow."]),
        ("vi", ["Hôm nay con đã dùng hết thời gian cho video và phim trực tuyến.",
                "Trang sẽ mở lại lúc 00:00 ngày mai."]),
    ],
)
def test_a_quota_block_page_says_when_it_opens(language: str, words: list[str]) -> None:
    decision = Decision("block", "video", (Reason("quota", "video", "60 of 60 minutes"),),
                        reopens_at=datetime(2026, 12, 1, 0, 0, tzinfo=HCM))
    page = render_block_page(decision, "video.test", language, HCM, now=NOW)
    for text in words:
        assert text.replace("'", "&#39;") in page


def test_the_notice_page_counts_the_minutes_really_left_and_goes_on_to_the_page() -> None:
    notice = {"kind": "offline", "category": None, "minutes": 5, "minutes_left": 2.2,
              "ends_at": datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc).isoformat()}
    page = render_notice_page(notice, "en", HCM, NOW, "https://news.test/a?b=1&c=2")
    assert "3 minutes left" in page and "Internet time ends at 22:00 today." in page
    assert 'href="https://news.test/a?b=1&amp;c=2"' in page
