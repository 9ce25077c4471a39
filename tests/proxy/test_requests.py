"""A child's requests and a parent's answers: bonus time for today only, a site for a while, all recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiteguard.proxy.paths import Home
from kiteguard.proxy.policy import ListHit, RequestFacts
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.requests import (
    RequestError,
    approve_request,
    create_request,
    deny_request,
    list_requests,
)
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.urls import parse_url

POLICY = """
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
block = ["games"]
  [profiles.quotas]
  video = 30
"""
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)  # 17:00 in Vietnam
TODAY = date(2026, 11, 30)


class Lists:
    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        if host.endswith("video.test"):
            return (ListHit("video", host, "test"),)
        return (ListHit("games", host, "test"),) if host.endswith("games.test") else ()


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    running = Runtime(Home(tmp_path), Store(tmp_path / "k.sqlite3"), clock=lambda: NOW, lists=Lists())
    running.apply_policy(parse_policy(POLICY))
    return running


def ask_time(runtime: Runtime, minutes: int = 20) -> int:
    return create_request(runtime.store, profile="an", kind="time", category="video", minutes=minutes, host=None,
                          message="  homework   video ", now=NOW)


def ask_site(runtime: Runtime) -> int:
    return create_request(runtime.store, profile="an", kind="site", category="games", minutes=None,
                          host="Chess.Games.test", message="school chess club", now=NOW)


def action(runtime: Runtime, url: str) -> str:
    return runtime.decide(RequestFacts(url=parse_url(url)), "an").action


def test_a_request_is_stored_pending_with_a_tidy_message(runtime: Runtime) -> None:
    request_id = ask_time(runtime)
    [stored] = list_requests(runtime.store)
    assert (stored.id, stored.profile, stored.kind, stored.category, stored.minutes, stored.status) == (
        request_id, "an", "time", "video", 20, "pending")
    assert stored.message == "homework video" and stored.decided_at is None and stored.at == NOW
    assert list_requests(runtime.store, status="approved") == []
    assert [r.id for r in list_requests(runtime.store, profile="an", status="pending")] == [request_id]


def test_approved_time_is_bonus_for_today_only(runtime: Runtime) -> None:
    runtime.usage.add_seconds("an", "video", TODAY, 30 * 60)
    assert action(runtime, "https://video.test/") == "block"
    done = approve_request(runtime, ask_time(runtime))
    assert (done.status, done.granted_minutes, done.decided_at) == ("approved", 20, NOW)
    assert action(runtime, "https://video.test/") == "allow"
    assert runtime.usage.bonus_minutes("an", "video", TODAY) == 20
    assert runtime.usage.bonus_minutes("an", "video", TODAY + timedelta(days=1)) == 0


def test_the_parent_picks_the_minutes(runtime: Runtime) -> None:
    assert approve_request(runtime, ask_time(runtime), minutes=5).granted_minutes == 5
    assert runtime.usage.bonus_minutes("an", "video", TODAY) == 5


def test_an_approved_site_opens_for_the_minutes_chosen_then_closes(runtime: Runtime) -> None:
    assert action(runtime, "https://chess.games.test/") == "block"
    done = approve_request(runtime, ask_site(runtime), minutes=45)
    assert done.granted_minutes == 45 and done.host == "chess.games.test"
    assert action(runtime, "https://chess.games.test/play") == "allow"
    assert action(runtime, "https://other.games.test/") == "block"
    later = runtime.decide(RequestFacts(url=parse_url("https://chess.games.test/")), "an", NOW + timedelta(minutes=46))
    assert later.action == "block"


def test_a_site_approved_without_minutes_stays_open_an_hour(runtime: Runtime) -> None:
    assert approve_request(runtime, ask_site(runtime)).granted_minutes == 60


def test_a_denied_request_changes_nothing(runtime: Runtime) -> None:
    done = deny_request(runtime, ask_site(runtime))
    assert done.status == "denied" and done.granted_minutes is None
    assert action(runtime, "https://chess.games.test/") == "block"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        # unknown ids and second answers
        (lambda rt, rid: approve_request(rt, 999), "there is no request 999"),
        (lambda rt, rid: deny_request(rt, 999), "there is no request 999"),
        (lambda rt, rid: (approve_request(rt, rid), deny_request(rt, rid)), "request 1 was already approved"),
        (lambda rt, rid: (deny_request(rt, rid), approve_request(rt, rid)), "request 1 was already denied"),
        # a parent's minutes out of range
        (lambda rt, rid: approve_request(rt, rid, minutes=0), "minutes 0 is not a whole number from 1 to 240"),
        # requests that make no sense
        (lambda rt, rid: create_request(rt.store, profile="an", kind="money", category=None, minutes=None,
                                        host=None, message="", now=NOW), "kind 'money'"),
        (lambda rt, rid: create_request(rt.store, profile="an", kind="time", category=None, minutes=10,
                                        host=None, message="", now=NOW), "needs the category"),
        (lambda rt, rid: create_request(rt.store, profile="an", kind="time", category="video", minutes=999,
                                        host=None, message="", now=NOW), "minutes 999"),
        (lambda rt, rid: create_request(rt.store, profile="an", kind="site", category=None, minutes=None,
                                        host="not a host!", message="", now=NOW), "is not a host name"),
    ],
)
def test_refusals_say_what_is_wrong(runtime: Runtime, call, message: str) -> None:  # noqa: ANN001
    request_id = ask_time(runtime)
    with pytest.raises(RequestError, match=message):
        call(runtime, request_id)


def test_every_step_is_recorded_as_an_event(runtime: Runtime) -> None:
    approve_request(runtime, ask_time(runtime))
    deny_request(runtime, ask_site(runtime))
    events = [(e.action, e.profile, e.category) for e in reversed(runtime.store.events())]
    assert events == [("request", "an", "video"), ("approved", "an", "video"),
                      ("request", "an", "games"), ("denied", "an", "games")]


async def test_an_answer_is_published_for_the_childs_browsers(runtime: Runtime) -> None:
    with runtime.notices.subscribe() as subscription:
        approve_request(runtime, ask_time(runtime))
        profile, payload = await subscription.get()
    assert profile == "an" and payload == {"type": "answer", "id": 1, "status": "approved", "kind": "time",
                                           "granted_minutes": 20}


async def test_an_approval_from_another_process_reaches_the_running_runtime(
    tmp_path: Path, runtime: Runtime
) -> None:
    runtime.usage.add_seconds("an", "video", TODAY, 30 * 60)
    request_id = ask_site(runtime)
    time_id = ask_time(runtime)
    assert runtime.refresh_from_store() is False  # its own writes are already in memory
    other = Runtime(Home(tmp_path), Store(tmp_path / "k.sqlite3"), clock=lambda: NOW, lists=Lists())
    approve_request(other, request_id)
    approve_request(other, time_id)
    assert action(runtime, "https://chess.games.test/") == "block"
    with runtime.notices.subscribe() as subscription:
        assert runtime.refresh_from_store() is True
        assert runtime.refresh_from_store() is False
        told = [subscription.queue.get_nowait()[1]["id"] for _ in range(subscription.queue.qsize())]
    assert told == [request_id, time_id]  # the child's browsers hear of each answer once
    assert action(runtime, "https://chess.games.test/") == "allow"
    assert action(runtime, "https://video.test/") == "allow"
