"""The extension API, through aiohttp's test client: pairing, status, asking, reporting, live channel, alerts."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiohttp import WSMsgType
from aiohttp.test_utils import TestClient

from kiteguard.proxy import requests
from kiteguard.proxy.pairing import SILENT_AFTER
from kiteguard.proxy.paths import Home
from kiteguard.proxy.policy import ListHit, RequestFacts
from kiteguard.proxy.policyfile import parse_policy
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.urls import parse_url
from kiteguard.proxy.web import extapi, keys
from kiteguard.proxy.web.app import make_app

from kgtest import eventually

POLICY = """
language = "vi"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "guest"

[[profiles]]
name = "guest"
block = ["games", "adult"]

[[profiles]]
name = "lan"
block = ["adult"]
  [profiles.quotas]
  games = 30

[[profiles]]
name = "minh"
block = ["adult", "games"]
"""


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)  # 15:00 in Ho Chi Minh City

    def __call__(self) -> datetime:
        return self.now


class SiteCategories:
    """A fixed category table, standing in for the compiled lists in these tests."""

    TABLE = {"games.test": "games", "adult.test": "adult"}

    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        category = self.TABLE.get(host)
        return [ListHit(category, host, "test-list")] if category else []


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(tmp_path: Path, clock: Clock) -> Runtime:
    runtime = Runtime(Home(tmp_path), Store(tmp_path / "k.sqlite3"), clock=clock, lists=SiteCategories())
    runtime.apply_policy(parse_policy(POLICY))
    return runtime


@pytest.fixture
async def client(aiohttp_client, runtime: Runtime) -> TestClient:  # noqa: ANN001 - pytest-aiohttp fixture
    return await aiohttp_client(make_app(runtime))


async def pair(client: TestClient, profile: str, name: str = "Chromium (Linux)") -> dict:
    code = client.app[keys.PAIRINGS].create_pairing_code(profile).code
    reply = await client.post("/api/ext/pair", json={"code": code, "browser_name": name})
    assert reply.status == 200
    return await reply.json()


def bearer(paired: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {paired['token']}"}


def decide(runtime: Runtime, url: str, token_id: str | None) -> str:
    return runtime.decide(RequestFacts(url=parse_url(url)), runtime.profile_for_browser(token_id).name).action


# -- pairing and which child is browsing -----------------------------------------------------------


async def test_pairing_binds_the_browser_to_the_child(client: TestClient, runtime: Runtime) -> None:
    paired = await pair(client, "lan")
    assert paired["profile"] == "lan" and paired["child_name"] == "lan"
    assert runtime.profile_for_browser(paired["token_id"]).name == "lan"
    reply = await client.post("/api/ext/pair", json={"code": "123456", "browser_name": "x"})
    assert reply.status == 403 and (await reply.json())["error"] == "bad_code"


async def test_two_browsers_of_two_children_are_treated_differently_on_the_same_url(
    client: TestClient, runtime: Runtime
) -> None:
    lan, minh = await pair(client, "lan"), await pair(client, "minh", "Firefox (Windows)")
    assert decide(runtime, "https://games.test/play", lan["token_id"]) == "allow"
    assert decide(runtime, "https://games.test/play", minh["token_id"]) == "block"


async def test_forged_and_revoked_tags_get_the_default_profile_never_a_looser_one(
    client: TestClient, runtime: Runtime
) -> None:
    lan = await pair(client, "lan")
    assert decide(runtime, "https://games.test/", "kb_forged-id-123") == "block"
    assert await extapi.revoke_browser(client.app, lan["token_id"])
    assert decide(runtime, "https://games.test/", lan["token_id"]) == "block"
    minh = await pair(client, "minh")
    assert client.app[keys.PAIRINGS].revoke(minh["token_id"])  # what the settings page's Browsers page does
    assert runtime.profile_for_browser(minh["token_id"]).name == "guest"
    assert (await client.get("/api/ext/status", headers=bearer(lan))).status == 401


async def test_every_call_but_pairing_needs_a_valid_token(client: TestClient) -> None:
    for method, path in [("GET", "/api/ext/status"), ("POST", "/api/ext/heartbeat"), ("POST", "/api/ext/request"),
                         ("POST", "/api/ext/report"), ("POST", "/api/ext/classify")]:
        for headers in ({}, {"Authorization": "Bearer forged"}, {"Authorization": "Basic abc"}):
            reply = await client.request(method, path, json={}, headers=headers)
            assert reply.status == 401, (path, headers)


async def test_a_web_page_cannot_post_a_form_to_the_api(client: TestClient) -> None:
    lan = await pair(client, "lan")
    reply = await client.post("/api/ext/request", data={"kind": "time"}, headers=bearer(lan))
    assert reply.status == 415
    reply = await client.post("/api/ext/pair", data="code=123456", headers={"Content-Type": "text/plain"})
    assert reply.status == 415
    assert "Access-Control-Allow-Origin" not in reply.headers


# -- status, asking a parent, reporting -------------------------------------------------------------


async def test_status_shows_time_left_and_the_childs_own_requests_only(client: TestClient) -> None:
    lan, minh = await pair(client, "lan"), await pair(client, "minh")
    await client.post("/api/ext/request", json={"kind": "site", "url": "https://games.test/", "message": "bài tập"},
                      headers=bearer(minh))
    status = await (await client.get("/api/ext/status", headers=bearer(lan))).json()
    assert status["time_left"] == {"games": 30} and status["requests"] == [] and status["language"] == "vi"
    status = await (await client.get("/api/ext/status", headers=bearer(minh))).json()
    assert [(r["kind"], r["host"], r["status"], r["message"]) for r in status["requests"]] == [
        ("site", "games.test", "pending", "bài tập")]


@pytest.mark.parametrize(
    "body",
    [
        # refused requests, each with a message naming the bad value
        {"kind": "time", "minutes": 0},
        {"kind": "time", "minutes": "30"},
        {"kind": "time", "minutes": 10_000},
        {"kind": "site", "url": "javascript:alert(1)"},
        {"kind": "site"},
        {"kind": "delete_rules"},
        {"kind": "time", "minutes": 10, "category": "not_a_category"},
    ],
)
async def test_bad_requests_are_refused_with_a_reason(client: TestClient, body: dict) -> None:
    lan = await pair(client, "lan")
    reply = await client.post("/api/ext/request", json=body, headers=bearer(lan))
    assert reply.status == 400 and (await reply.json())["message"]


async def test_approved_time_reaches_the_proxy_and_the_child(client: TestClient, runtime: Runtime) -> None:
    lan = await pair(client, "lan")
    runtime.usage.add_seconds("lan", "games", runtime.now().date(), 30 * 60)
    assert decide(runtime, "https://games.test/", lan["token_id"]) == "block"  # quota used up
    async with client.ws_connect("/api/ext/live") as socket:
        await socket.send_json({"type": "hello", "token": lan["token"]})
        assert (await socket.receive_json(timeout=5)) == {"type": "time_left", "time_left": {"games": 0}}
        asked = await client.post("/api/ext/request", headers=bearer(lan),
                                  json={"kind": "time", "minutes": 20, "url": "https://games.test/", "message": "xin"})
        created = await asked.json()
        assert (created["category"], created["status"]) == ("games", "pending")  # the category limiting the page
        requests.approve_request(runtime, created["id"])  # what the settings page does
        answer = await socket.receive_json(timeout=5)
        assert answer == {"type": "answer", "id": created["id"], "status": "approved", "kind": "time",
                          "granted_minutes": 20}
        assert (await socket.receive_json(timeout=5))["time_left"] == {"games": 20}
    assert decide(runtime, "https://games.test/", lan["token_id"]) == "allow"


async def test_an_approved_site_opens_for_that_child_only(client: TestClient, runtime: Runtime) -> None:
    minh = await pair(client, "minh")
    asked = await client.post("/api/ext/request", headers=bearer(minh),
                              json={"kind": "site", "url": "https://games.test/chess", "message": "cờ vua"})
    requests.approve_request(runtime, (await asked.json())["id"], minutes=45)
    assert decide(runtime, "https://games.test/", minh["token_id"]) == "allow"
    assert decide(runtime, "https://games.test/", None) == "block"


async def test_a_report_reaches_the_parent(client: TestClient, runtime: Runtime) -> None:
    lan = await pair(client, "lan")
    reply = await client.post("/api/ext/report", headers=bearer(lan),
                              json={"url": "https://bad.test/x", "reason": "bullying", "message": "họ chửi bạn em"})
    assert reply.status == 201
    assert [(a["kind"], a["profile"]) for a in runtime.store.alerts()] == [("report", "lan")]
    reply = await client.post("/api/ext/report", headers=bearer(lan),
                              json={"url": "https://bad.test/", "reason": "meh"})
    assert reply.status == 400


# -- think before you send ---------------------------------------------------------------------------


async def test_chat_checks_answer_503_when_the_classifier_breaks(aiohttp_client, runtime: Runtime) -> None:  # noqa: ANN001
    def broken(text: str) -> dict:
        raise OSError("model file unreadable")

    app = make_app(runtime)
    app[keys.CHAT_SCORER] = broken
    client = await aiohttp_client(app)
    lan = await pair(client, "lan")
    reply = await client.post("/api/ext/classify", json={"text": "hello"}, headers=bearer(lan))
    assert reply.status == 503


async def test_chat_checks_need_a_paired_browser(client: TestClient) -> None:
    reply = await client.post("/api/ext/classify", json={"text": "hello"})
    assert reply.status == 401


async def test_chat_checks_keep_a_count_never_the_text(aiohttp_client, runtime: Runtime, tmp_path: Path) -> None:  # noqa: ANN001
    app = make_app(runtime)
    app[keys.CHAT_SCORER] = lambda text: {"label": "bullying" if "ngu" in text else "neutral", "score": 0.9}
    client = await aiohttp_client(app)
    lan = await pair(client, "lan")
    for text, hurtful in [("mày ngu quá đi", True), ("chúc mừng sinh nhật", False)]:
        reply = await client.post("/api/ext/classify", json={"text": text}, headers=bearer(lan))
        assert (await reply.json())["hurtful"] is hurtful
    counts = runtime.store.query("SELECT checked, flagged FROM chat_checks")
    assert [tuple(row) for row in counts] == [(2, 1)]
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("k.sqlite3*"))
    assert "ngu quá".encode() not in raw and "sinh nhật".encode() not in raw


# -- live channel and tamper signals -----------------------------------------------------------------


async def test_the_live_channel_refuses_a_wrong_token(client: TestClient) -> None:
    async with client.ws_connect("/api/ext/live") as socket:
        await socket.send_json({"type": "hello", "token": "forged"})
        message = await socket.receive(timeout=5)
        assert message.type == WSMsgType.CLOSE and message.data == 4401


async def test_a_blocked_image_is_pushed_to_that_childs_browsers(client: TestClient, runtime: Runtime) -> None:
    lan, minh = await pair(client, "lan"), await pair(client, "minh")
    async with client.ws_connect("/api/ext/live") as lan_socket, client.ws_connect("/api/ext/live") as minh_socket:
        for socket, paired in ((lan_socket, lan), (minh_socket, minh)):
            await socket.send_json({"type": "hello", "token": paired["token"]})
            await socket.receive_json(timeout=5)  # time left
        facts = RequestFacts(url=parse_url("https://games.test/sprite.png"), navigation=False)
        runtime.record(runtime.decide(facts, "minh"), facts, "minh")
        assert await minh_socket.receive_json(timeout=5) == {
            "type": "block", "url": "https://games.test/sprite.png", "category": "games", "navigation": False}
        with pytest.raises(asyncio.TimeoutError):
            await lan_socket.receive_json(timeout=0.5)


async def test_a_silent_browser_raises_a_tamper_alert(client: TestClient, runtime: Runtime, clock: Clock) -> None:
    lan = await pair(client, "lan")
    assert (await client.post("/api/ext/heartbeat", json={"proxy_ok": True}, headers=bearer(lan))).status == 200
    clock.now += SILENT_AFTER + timedelta(seconds=1)
    await eventually(runtime.store.alerts)
    assert [(a["kind"], a["profile"]) for a in runtime.store.alerts()] == [("tamper", "lan")]


async def test_a_browser_that_leaves_the_proxy_raises_one_bypass_alert(client: TestClient, runtime: Runtime) -> None:
    lan = await pair(client, "lan")
    for _ in range(3):
        await client.post("/api/ext/heartbeat", json={"proxy_ok": False}, headers=bearer(lan))
    assert [a["kind"] for a in runtime.store.alerts()] == ["bypass"]
