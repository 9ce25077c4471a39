"""Requests: a parent answers a child's request from the page, and the engine follows at once."""

from __future__ import annotations

from kiteguard.proxy.policy import RequestFacts
from kiteguard.proxy.requests import create_request, list_requests
from kiteguard.proxy.urls import parse_url


async def test_approve_a_site_for_a_while_and_deny_time(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/sites/add", {"profile": "child", "list": "deny", "domain": "wiki.example"})
    site = create_request(runtime.store, profile="child", kind="site", category=None, minutes=None,
                          host="wiki.example", message="cho con xem bài tập", now=runtime.now())
    more = create_request(runtime.store, profile="child", kind="time", category="video", minutes=15, host=None,
                          message="", now=runtime.now())
    page = await (await parent.client.get("/requests")).text()
    assert "cho con xem bài tập" in page and "wiki.example" in page and "15 more minutes" in page
    today = await (await parent.client.get("/")).text()
    assert "2 request(s) waiting" in today

    assert (await parent.post(f"/requests/{more}/deny")).status == 303
    approved = await parent.post(f"/requests/{site}/approve", {"minutes": "30"})
    assert approved.status == 303
    statuses = {r.id: (r.status, r.granted_minutes) for r in list_requests(runtime.store)}
    assert statuses == {site: ("approved", 30), more: ("denied", None)}
    answered = await (await parent.client.get("/requests")).text()
    assert "No requests waiting" in answered and "refused" in answered
    # A parent's approval opens a list block, but the parent's own deny rule still wins.
    decision = runtime.decide(RequestFacts(url=parse_url("http://wiki.example/")), "child")
    assert decision.primary.source == "custom"


async def test_answering_an_unknown_request_says_so(parent) -> None:  # noqa: ANN001
    reply = await parent.post("/requests/999/approve", {"minutes": "30"})
    page = await (await parent.client.get(reply.headers["Location"])).text()
    assert 'class="note problem"' in page
