"""Asking a parent from the block page, through the real proxy: the request, the answer, the way back in.

A child is blocked, sends the form on the block page, a parent approves (from the CLI, another
process, or with the PIN on the spot), and the child gets through within 5 s with no restart.
"""

from __future__ import annotations

import html
import json
import re
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from kgtest import Kiteguard, Upstream, run_cli, start_routed_kiteguard

POLICY = """
language = "{language}"
timezone = "Asia/Ho_Chi_Minh"
[[profiles]]
name = "an"
block = ["games"]
  [profiles.quotas]
  video = 1
{extra}
"""
PAGE = {"Sec-Fetch-Dest": "document", "Accept": "text/html"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Dest": "document", "Accept": "text/html"}


def start(home: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch, *, language: str = "en",
          extra: str = "") -> Kiteguard:
    monkeypatch.setenv("KITEGUARD_TEST_CATEGORIES", "games.test=games,video.test=video")
    home.mkdir(parents=True)
    policy = home.parent / "policy.toml"
    policy.write_text(POLICY.format(language=language, extra=extra), encoding="utf-8")
    assert run_cli(home, "policy", "import", str(policy)).returncode == 0
    assert run_cli(home, "pin", "set", stdin="2468\n").returncode == 0
    return start_routed_kiteguard(home, upstream)


@pytest.fixture
def kg(kiteguard_home: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch):
    running = start(kiteguard_home, upstream, monkeypatch)
    yield running
    running.stop()


def form_fields(page: str) -> dict[str, str]:
    form = page[page.index("<form"):page.index("</form>")]
    return {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)}


def send(kg: Kiteguard, url: str, fields: dict[str, str], **extra: str):  # noqa: ANN201
    body = urlencode({**fields, **extra}).encode()
    return kg.fetch(url.rstrip("/") + "/__kiteguard/request", data=body, headers=FORM, method="POST")


def requests_list(home: Path) -> list[dict]:
    return json.loads(run_cli(home, "requests", "list", "--json").stdout)["requests"]


def wait_for_status(kg: Kiteguard, url: str, status: int, timeout: float = 5.0) -> float:
    started = time.monotonic()
    while kg.fetch(url, headers=PAGE).status != status:
        assert time.monotonic() - started < timeout, f"{url} did not answer {status} within {timeout} s"
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_site_request_approved_from_the_cli_lets_the_child_in_within_5_seconds(kg: Kiteguard) -> None:
    url = "https://chess.games.test/play?game=1"
    blocked = kg.fetch(url, headers=PAGE)
    assert blocked.status == 403 and "Ask a parent to open this page" in blocked.text
    fields = form_fields(blocked.text)
    assert fields["kind"] == "site" and fields["to"] == url

    sent = send(kg, "https://chess.games.test/", fields, message="chess club homework")
    assert sent.status == 200 and "Your request was sent to your parent" in sent.text
    [pending] = requests_list(kg.home)
    assert (pending["kind"], pending["host"], pending["status"], pending["message"]) == (
        "site", "chess.games.test", "pending", "chess club homework")
    assert "open chess.games.test [pending]" in run_cli(kg.home, "requests").stdout

    approved = run_cli(kg.home, "requests", "approve", str(pending["id"]), "--minutes", "30")
    assert approved.returncode == 0 and "chess.games.test is open for an for 30 minutes" in approved.stdout
    took = wait_for_status(kg, url, 200)
    assert took < 5
    assert kg.fetch("https://other.games.test/", headers=PAGE).status == 403  # only the approved site
    again = run_cli(kg.home, "requests", "deny", str(pending["id"]))
    assert again.returncode == 1 and again.stderr.strip() == f"kiteguard: request {pending['id']} was already approved"


def test_the_parents_pin_approves_more_time_on_the_spot(kg: Kiteguard) -> None:
    url = "http://www.video.test/watch?v=7"
    assert kg.fetch(url, headers=PAGE).status == 200  # the one minute of the quota starts
    blocked = wait_for_status(kg, url, 403, timeout=90)  # next minute: used up
    assert blocked >= 0
    page = kg.fetch(url, headers=PAGE).text
    assert "Ask a parent for more time" in page and "opens again at 00:00 tomorrow" in page
    fields = form_fields(page)
    assert fields["kind"] == "time" and fields["category"] == "video"

    wrong = send(kg, "http://www.video.test/", fields, minutes="15", pin="1111")
    assert wrong.status == 200 and "That PIN is not right" in wrong.text
    right = send(kg, "http://www.video.test/", fields, minutes="15", pin="2468")
    assert right.status == 303 and right.headers["location"] == url
    assert kg.fetch(url, headers=PAGE).status == 200
    statuses = {(r["minutes"], r["status"], r["granted_minutes"]) for r in requests_list(kg.home)}
    assert statuses == {(15, "pending", None), (15, "approved", 15)}
    usage = json.loads(run_cli(kg.home, "usage", "--json").stdout)["profiles"][0]["categories"][0]
    assert usage["bonus_minutes"] == 15 and usage["remaining_minutes"] >= 14


FORGERIES = [
    # a page of another site, or a child editing the form, cannot make a request
    ({"sig": "0" * 32}, "forged signature"),
    ({"kind": "time", "category": "video"}, "a different request than the page offered"),
    ({"to": "https://elsewhere.test/"}, "a way out to another site"),
    ({"exp": "1"}, "an expired form"),
]


def test_a_forged_form_is_refused_and_nothing_is_stored(kg: Kiteguard) -> None:
    fields = form_fields(kg.fetch("https://chess.games.test/", headers=PAGE).text)
    for change, reason in FORGERIES:
        reply = send(kg, "https://chess.games.test/", {**fields, **change}, pin="2468")
        assert reply.status == 400 and "not made by Kiteguard" in reply.text, reason
    assert send(kg, "https://other.games.test/", fields).status == 400  # a form only works on its own site
    assert requests_list(kg.home) == []


def test_without_an_extension_the_next_page_shows_a_notice_before_offline_time(
    kiteguard_home: Path, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    soon = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) + timedelta(minutes=7)
    window = f"""
  [[profiles.offline]]
  from = "{soon:%H:%M}"
  to = "{soon + timedelta(hours=1):%H:%M}"
"""
    kg = start(kiteguard_home, upstream, monkeypatch, language="vi", extra=window)
    try:
        deadline = time.monotonic() + 10
        page = kg.fetch("https://news.test/today", headers=PAGE)
        while "Sắp hết giờ" not in page.text and time.monotonic() < deadline:
            time.sleep(0.2)
            page = kg.fetch("https://news.test/today", headers=PAGE)
        assert page.status == 200 and "Còn " in page.text and "Giờ dùng internet kết thúc lúc" in page.text
        assert 'href="https://news.test/today"' in page.text  # continue goes on to the page
        after = kg.fetch("https://news.test/today", headers=PAGE)
        assert after.status == 200 and "Hello from news.test" in after.text  # shown once
    finally:
        kg.stop()
