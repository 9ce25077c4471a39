"""`kiteguard usage`, `requests` and `pin`: what a parent in the terminal sees and types."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

from kiteguard.proxy.requests import create_request
from kiteguard.proxy.store import Store

from kgtest import run_cli

POLICY = """
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
  [profiles.quotas]
  video = 60
  games = 30
  sat = {video = 120}
[[profiles]]
name = "binh"
"""
SATURDAY = date(2026, 11, 28)


def home_with_usage(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / "p.toml").write_text(POLICY)
    assert run_cli(home, "policy", "import", str(tmp_path / "p.toml")).returncode == 0
    store = Store(home / "kiteguard.sqlite3")
    store.add_usage("an", SATURDAY, "video", 75 * 60 + 30)
    store.add_bonus("an", SATURDAY, "video", 10)
    store.add_usage("an", SATURDAY, "social", 5 * 60)
    create_request(store, profile="an", kind="time", category="games", minutes=15, host=None, message="boss level",
                   now=datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc))
    store.close()
    return home


def test_usage_shows_minutes_quota_bonus_and_what_is_left(tmp_path: Path) -> None:
    home = home_with_usage(tmp_path)
    report = json.loads(run_cli(home, "usage", "--date", "2026-11-28", "--json").stdout)
    assert report["date"] == "2026-11-28" and report["timezone"] == "Asia/Ho_Chi_Minh"
    an, binh = report["profiles"]
    assert an == {"profile": "an", "categories": [
        {"category": "games", "used_minutes": 0, "quota_minutes": 30, "bonus_minutes": 0, "remaining_minutes": 30},
        {"category": "social", "used_minutes": 5, "quota_minutes": None, "bonus_minutes": 0,
         "remaining_minutes": None},
        {"category": "video", "used_minutes": 75, "quota_minutes": 120, "bonus_minutes": 10,
         "remaining_minutes": 55},  # Saturday's own quota, plus today's bonus
    ]}
    assert binh == {"profile": "binh", "categories": []}
    text = run_cli(home, "usage", "--date", "2026-11-28", "--profile", "an").stdout
    assert "video            75 min used, quota 120 + 10 bonus, 55 left" in text


def test_requests_and_mistakes_read_as_one_line_each(tmp_path: Path) -> None:
    home = home_with_usage(tmp_path)
    listed = run_cli(home, "requests").stdout
    assert listed.strip() == '#1 2026-11-28 16:00 an: 15 min of games [pending] "boss level"'
    for args, message in [
        (("usage", "--date", "yesterday"), "--date 'yesterday' is not a day such as 2026-11-30"),
        (("usage", "--profile", "chi"), "unknown profile 'chi'; profiles: an, binh"),
        (("requests", "approve", "7"), "there is no request 7"),
        (("requests", "approve", "1", "--minutes", "999"), "minutes 999 is not a whole number from 1 to 240"),
    ]:
        result = run_cli(home, *args)
        assert result.returncode == 1 and result.stderr.strip() == f"kiteguard: {message}"


def test_pin_set_reads_standard_input_and_refuses_a_bad_pin(tmp_path: Path) -> None:
    home = tmp_path / "home"
    bad = run_cli(home, "pin", "set", stdin="12\n")
    assert bad.returncode == 1 and bad.stderr.strip() == "kiteguard: the PIN must be 4 to 12 digits"
    assert not (home / "parent-pin.json").exists()
    good = run_cli(home, "pin", "set", stdin="2468\n")
    assert good.returncode == 0 and "2468" not in good.stdout + good.stderr
    assert (home / "parent-pin.json").stat().st_mode & 0o777 == 0o600
