"""Usage and quotas in the real `kiteguard run` process: restart, kill -9, the clock set back and forward.

Time is steered through the test launcher only (KITEGUARD_TEST_CLOCK_FILE): moving the wall
clock and the elapsed clock together makes minutes pass; moving the wall clock alone is a child
setting the computer's clock.
"""

from __future__ import annotations

import json
import os
import signal
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiteguard.proxy.store import Store

from kgtest import Kiteguard, Upstream, run_cli, start_routed_kiteguard

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
POLICY = """
language = "en"
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
  [profiles.quotas]
  video = {quota}
"""
PAGE = {"Sec-Fetch-Dest": "document", "Accept": "text/html"}
DAY = 86400.0


class Clocks:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.wall = self.elapsed = 0.0
        self._write()

    def _write(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(f"{self.wall} {self.elapsed}")
        os.replace(temporary, self.path)

    def pass_minutes(self, minutes: float) -> None:
        self.wall += minutes * 60
        self.elapsed += minutes * 60
        self._write()

    def set_wall(self, shift: float) -> None:
        self.wall += shift
        self._write()


@pytest.fixture
def clocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Clocks:
    monkeypatch.setenv("KITEGUARD_TEST_CLOCK_FILE", str(tmp_path / "clocks"))
    monkeypatch.setenv("KITEGUARD_TEST_CATEGORIES", "video.test=video")
    return Clocks(tmp_path / "clocks")


def setup_home(home: Path, quota: int) -> None:
    home.mkdir(parents=True)
    policy = home.parent / "policy.toml"
    policy.write_text(POLICY.format(quota=quota))
    assert run_cli(home, "policy", "import", str(policy)).returncode == 0


def today(clocks: Clocks) -> date:
    return (datetime.now(HCM) + timedelta(seconds=clocks.wall)).date()


def stored_minutes(home: Path, day: date) -> float:
    store = Store(home / "kiteguard.sqlite3")
    try:
        return store.usage_on(day).get(("an", "video"), (0.0, 0))[0] / 60
    finally:
        store.close()


def wait_for_minutes(home: Path, day: date, minutes: float) -> float:
    deadline = time.monotonic() + 10
    while (found := stored_minutes(home, day)) != minutes and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def clock_alerts(home: Path) -> list[str]:
    store = Store(home / "kiteguard.sqlite3")
    try:
        return [row["detail"] for row in store.alerts() if row["kind"] == "clock"]
    finally:
        store.close()


def wait_for_alert(home: Path, words: str) -> list[str]:
    deadline = time.monotonic() + 15
    alerts = clock_alerts(home)
    while not any(words in alert for alert in alerts) and time.monotonic() < deadline:
        time.sleep(0.2)
        alerts = clock_alerts(home)
    return alerts


def browse(kg: Kiteguard, clocks: Clocks, minutes: int) -> list[int]:
    """Open the video page once a minute for some minutes; the statuses the child got."""
    statuses = []
    for _ in range(minutes):
        statuses.append(kg.fetch("http://www.video.test/watch", headers=PAGE).status)
        clocks.pass_minutes(1)
    return statuses


def test_usage_survives_kill_9_losing_at_most_a_minute_and_a_restart_losing_nothing(
    kiteguard_home: Path, upstream: Upstream, clocks: Clocks
) -> None:
    setup_home(kiteguard_home, quota=10)
    day = today(clocks)
    kg = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        assert browse(kg, clocks, 3) == [200, 200, 200]
    finally:
        kg.stop(signal.SIGKILL)
    assert 2 <= stored_minutes(kiteguard_home, day) <= 3

    kg = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        assert browse(kg, clocks, 2) == [200, 200]
        assert wait_for_minutes(kiteguard_home, day, 5) in (4, 5)
    finally:
        kg.stop()
    before = stored_minutes(kiteguard_home, day)
    kg = start_routed_kiteguard(kiteguard_home, upstream)
    kg.stop()
    assert stored_minutes(kiteguard_home, day) == before  # a restart counts nothing by itself
    report = json.loads(run_cli(kiteguard_home, "usage", "--profile", "an", "--json").stdout)
    [video] = report["profiles"][0]["categories"]
    assert video == {"category": "video", "used_minutes": before, "quota_minutes": 10, "bonus_minutes": 0,
                     "remaining_minutes": 10 - before}


@pytest.mark.parametrize(
    ("shift", "words"),
    [
        (-DAY, "set back by 1 d"),  # back to yesterday, whose minutes were never used
        (DAY, "set forward by 1 d"),  # forward to tomorrow, whose quota is fresh
    ],
)
def test_setting_the_clock_never_gives_fresh_quota(
    kiteguard_home: Path, upstream: Upstream, clocks: Clocks, shift: float, words: str
) -> None:
    setup_home(kiteguard_home, quota=2)
    kg = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        assert browse(kg, clocks, 3) == [200, 200, 403]
        clocks.set_wall(shift)
        reply = kg.fetch("http://www.video.test/watch", headers=PAGE)
        assert reply.status == 403 and "time for video and streaming is used up" in reply.text
        alerts = wait_for_alert(kiteguard_home, words)
        assert any(words in alert for alert in alerts), (alerts, kg.log)
        kg.stop(signal.SIGKILL)  # and a crash and restart with the clock still wrong changes nothing either
        kg = start_routed_kiteguard(kiteguard_home, upstream)
        assert kg.fetch("http://www.video.test/watch", headers=PAGE).status == 403
        clocks.set_wall(-shift)  # and back again
        assert kg.fetch("http://www.video.test/watch", headers=PAGE).status == 403
    finally:
        kg.stop()
    assert stored_minutes(kiteguard_home, today(clocks)) == 2


def test_a_parent_makes_a_running_kiteguard_trust_the_computers_clock_again(
    kiteguard_home: Path, upstream: Upstream, clocks: Clocks
) -> None:
    """After a reboot with the clock a day ahead, Kiteguard's day stays ahead until a parent says so."""
    from kiteguard.proxy.clockguard import Mark, save_mark
    from kiteguard.proxy.runtime import utc_now

    setup_home(kiteguard_home, quota=3)
    store = Store(kiteguard_home / "kiteguard.sqlite3")
    store.add_usage("an", today(clocks), "video", 180.0)  # today's three minutes are used up...
    save_mark(store, Mark(utc_now() + timedelta(days=1), "an-earlier-boot", 1.0))  # ...but the mark says tomorrow
    store.close()
    kg = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        for _ in range(3):  # tomorrow's quota: a minute or two of three used
            assert kg.fetch("http://www.video.test/", headers=PAGE).status == 200
        status = run_cli(kiteguard_home, "clock").stdout
        assert "they differ by 1 d 0 h 00 min" in status and "kiteguard clock trust" in status
        assert run_cli(kiteguard_home, "clock", "trust").returncode == 0
        deadline = time.monotonic() + 10
        while kg.fetch("http://www.video.test/", headers=PAGE).status != 403:
            assert time.monotonic() < deadline, "the running service did not take the trusted clock"
            time.sleep(0.2)
    finally:
        kg.stop()
    assert "they differ" not in run_cli(kiteguard_home, "clock").stdout
