"""Children's requests and reports: validated on the way in, answered once, applied once."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from kiteguard.proxy import childrequests
from kiteguard.proxy.childrequests import RequestError
from kiteguard.proxy.paths import Home
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)
POLICY = """
language = "en"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "lan"

[[profiles]]
name = "lan"
  [profiles.quotas]
  games = 30
  video = 60
"""


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    runtime = Runtime(Home(tmp_path), Store(tmp_path / "k.sqlite3"), clock=lambda: NOW)
    runtime.apply_policy(parse_policy(POLICY))
    return runtime


def test_an_answer_is_given_once_and_applied_once(runtime: Runtime) -> None:
    asked = childrequests.add_request(runtime.store, "lan", "time", minutes=15, category="games", now=NOW)
    childrequests.answer_request(runtime.store, asked.id, True, now=NOW)
    with pytest.raises(LookupError, match="already answered"):
        childrequests.answer_request(runtime.store, asked.id, False, now=NOW)
    assert [r.id for r in childrequests.apply_answers(runtime)] == [asked.id]
    assert childrequests.apply_answers(runtime) == []
    assert childrequests.time_left(runtime, "lan", NOW) == {"games": 45, "video": 60}


def test_more_time_without_a_category_extends_every_limited_category(runtime: Runtime) -> None:
    asked = childrequests.add_request(runtime.store, "lan", "time", minutes=10, now=NOW)
    childrequests.answer_request(runtime.store, asked.id, True, minutes=5, now=NOW)
    childrequests.apply_answers(runtime)
    assert childrequests.time_left(runtime, "lan", NOW) == {"games": 35, "video": 65}


def test_a_denied_request_changes_nothing(runtime: Runtime) -> None:
    asked = childrequests.add_request(runtime.store, "lan", "time", minutes=10, now=NOW)
    answered = childrequests.answer_request(runtime.store, asked.id, False, answer="Not tonight", now=NOW)
    assert (answered.status, answered.answer) == ("denied", "Not tonight")
    childrequests.apply_answers(runtime)
    assert childrequests.time_left(runtime, "lan", NOW) == {"games": 30, "video": 60}


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("time", {"minutes": None}, "minutes None"),
        ("time", {"minutes": True}, "minutes True"),
        ("site", {"url": "ftp://x.test/"}, "not a web address"),
        ("site", {"url": "https://" + "a" * 2000 + ".test/"}, "longer than"),
        ("bedtime", {}, "kind 'bedtime'"),
    ],
)
def test_invalid_requests_name_the_bad_value(runtime: Runtime, kind: str, fields: dict, message: str) -> None:
    with pytest.raises(RequestError, match=message):
        childrequests.add_request(runtime.store, "lan", kind, now=NOW, **fields)


def test_messages_are_trimmed_and_collapsed(runtime: Runtime) -> None:
    asked = childrequests.add_request(runtime.store, "lan", "site", url="https://x.test/", message="  a\n\nb  " * 200,
                                      now=NOW)
    assert len(asked.message) == childrequests.MESSAGE_MAX and "\n" not in asked.message
