"""`kiteguard run` for real: a proxy on 127.0.0.1 in front of a local upstream, HTTP and HTTPS."""

from __future__ import annotations

import html
import json
import re
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from kgtest import Kiteguard, Upstream, run_cli, start_kiteguard, start_routed_kiteguard

POLICY = """
language = "{language}"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "be-an"

[[profiles]]
name = "be-an"
block = ["adult", "gambling"]
allow = ["khanacademy.org"]
deny = ["example-bad.vn"]
"""


def import_policy(home: Path, language: str = "vi") -> None:
    home.mkdir(parents=True, exist_ok=True)
    path = home.parent / "policy.toml"
    path.write_text(POLICY.format(language=language), encoding="utf-8")
    assert run_cli(home, "policy", "import", str(path)).returncode == 0


@pytest.fixture
def kg(kiteguard_home: Path, upstream: Upstream):
    import_policy(kiteguard_home)
    running = start_routed_kiteguard(kiteguard_home, upstream)
    yield running
    running.stop()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_denied_site_gets_a_block_page_for_a_child(kg: Kiteguard, scheme: str) -> None:
    reply = kg.fetch(f"{scheme}://example-bad.vn/")
    assert reply.status == 403
    assert reply.headers["content-type"].startswith("text/html")
    page = reply.text
    assert "Kiteguard đã dừng trang này" in page  # the household language
    assert "example-bad.vn" in page and "111" in page
    assert "<script src" not in page and "http://" not in page.replace("http://example-bad.vn", "")


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_allowed_sites_pass_through(kg: Kiteguard, scheme: str) -> None:
    reply = kg.fetch(f"{scheme}://www.khanacademy.org/")
    assert reply.status == 200
    assert "Hello from www.khanacademy.org" in reply.text


def test_a_blocked_image_gets_a_small_403_without_a_page(kg: Kiteguard) -> None:
    reply = kg.fetch("https://example-bad.vn/pic.png", headers={"Sec-Fetch-Dest": "image", "Accept": "image/*"})
    assert reply.status == 403
    assert len(reply.body) < 100 and b"<html" not in reply.body


def test_the_browser_tag_never_reaches_the_site(kg: Kiteguard) -> None:
    reply = kg.fetch("http://site.test/echo", headers={"X-Kiteguard-Browser": "abc123"})
    assert reply.status == 200
    assert "x-kiteguard-browser" not in {name.lower() for name in json.loads(reply.body)["headers"]}


def test_the_proxy_check_host_answers_only_through_the_proxy(kg: Kiteguard) -> None:
    reply = kg.fetch("http://kiteguard.invalid/check")
    assert reply.status == 200 and json.loads(reply.body)["kiteguard"] is True


def test_blocks_are_recorded_at_host_level_and_survive_a_restart(
    kiteguard_home: Path, upstream: Upstream
) -> None:
    import_policy(kiteguard_home)
    first = start_routed_kiteguard(kiteguard_home, upstream)
    first.fetch("https://example-bad.vn/secret/path?q=private")
    first.stop()
    second = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        assert second.fetch("http://example-bad.vn/").status == 403  # the policy is still in force
    finally:
        second.stop()
    from kiteguard.proxy.store import Store

    events = Store(kiteguard_home / "kiteguard.sqlite3").events()
    assert [(e.host, e.action, e.source) for e in events][-1] == ("example-bad.vn", "block", "custom")
    assert all(e.url is None for e in events)  # no full URLs unless the parent turns that on
    assert all("secret" not in e.detail for e in events)


def test_a_policy_imported_while_running_takes_effect(kg: Kiteguard, upstream: Upstream) -> None:
    assert kg.fetch("http://news.test/").status == 200
    policy = kg.home.parent / "p2.toml"
    policy.write_text(POLICY.format(language="en").replace('deny = ["example-bad.vn"]', 'deny = ["news.test"]'))
    assert run_cli(kg.home, "policy", "import", str(policy)).returncode == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and kg.fetch("http://news.test/").status != 403:
        time.sleep(0.2)
    reply = kg.fetch("http://news.test/")
    assert reply.status == 403 and "Kiteguard stopped this page" in reply.text


def test_the_real_command_filters_loopback_sites_and_stops_on_sigterm(
    kiteguard_home: Path, upstream: Upstream
) -> None:
    import_policy(kiteguard_home)
    running = start_kiteguard(kiteguard_home, upstream.ca_pem)
    try:
        assert running.fetch(upstream.url("/", tls=False)).status == 200
        assert running.fetch(upstream.url("/", tls=True)).status == 200
        assert running.fetch("http://example-bad.vn/").status == 403  # blocked before any connection
        with urllib.request.urlopen(f"{running.ui}/healthz", timeout=10) as reply:
            assert json.loads(reply.read())["kiteguard"] is True
    finally:
        took = running.stop(signal.SIGTERM)
    assert running.process.returncode == 0
    assert took < 10
    assert not (kiteguard_home / "run.json").exists()


def test_sigint_also_stops_cleanly(kiteguard_home: Path) -> None:
    running = start_kiteguard(kiteguard_home)
    assert running.stop(signal.SIGINT) < 10
    assert running.process.returncode == 0


def test_the_settings_port_listens_on_loopback_only_and_checks_the_host_header(kg: Kiteguard) -> None:
    info = json.loads((kg.home / "run.json").read_text())
    assert info["ui_host"] == "127.0.0.1" and info["ui_port"] == kg.ui_port
    with socket.create_connection(("127.0.0.1", kg.ui_port), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        assert sock.recv(100).split(b" ")[1] == b"421"


def test_a_busy_port_gives_one_line_naming_the_port_and_the_flag(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        for flag in ("--proxy-port", "--ui-port"):
            result = run_cli(tmp_path / "home", "run", flag, str(port))
            assert result.returncode == 1
            assert result.stderr.strip() == (
                f"kiteguard: port {port} on 127.0.0.1 is already in use; choose another with {flag}"
            )


def test_events_older_than_the_retention_are_removed_at_start(kiteguard_home: Path, upstream: Upstream) -> None:
    from datetime import datetime, timedelta, timezone

    from kiteguard.proxy.store import Event, Store

    import_policy(kiteguard_home)
    store = Store(kiteguard_home / "kiteguard.sqlite3")
    now = datetime.now(timezone.utc)
    store.add_events([Event(now - timedelta(days=31), "be-an", "old.test", None, "block", "custom", "x"),
                      Event(now - timedelta(days=29), "be-an", "recent.test", None, "block", "custom", "x")])
    store.close()
    running = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(Store(kiteguard_home / "kiteguard.sqlite3").events()) != 1:
            time.sleep(0.2)
    finally:
        running.stop()
    assert [e.host for e in Store(kiteguard_home / "kiteguard.sqlite3").events()] == ["recent.test"]


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_warned_site_shows_an_interstitial_and_continue_lets_the_child_through(
    kiteguard_home: Path, upstream: Upstream, scheme: str
) -> None:
    import_policy(kiteguard_home)
    dating = kiteguard_home.parent / "dating.txt"
    dating.write_text("# our test list\nmeet-singles.test\n")
    policy = kiteguard_home.parent / "warn.toml"
    policy.write_text(POLICY.format(language="en") + 'warn = ["dating"]\n')
    assert run_cli(kiteguard_home, "policy", "import", str(policy)).returncode == 0
    assert run_cli(kiteguard_home, "lists", "import", str(dating), "--category", "dating").returncode == 0
    running = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        page = running.fetch(f"{scheme}://meet-singles.test/profile?id=7")
        assert page.status == 200 and "Think before you continue" in page.text
        continue_link = re.search(r'id="kiteguard-continue" href="([^"]+)"', page.text)
        assert continue_link is not None
        target = f"{scheme}://meet-singles.test" + html.unescape(continue_link.group(1))
        onwards = running.fetch(target)
        assert onwards.status == 303
        assert onwards.headers["location"] == f"{scheme}://meet-singles.test/profile?id=7"
        assert "Hello from meet-singles.test" in running.fetch(onwards.headers["location"]).text
        forged = running.fetch(target.replace("sig=", "sig=0"))
        assert forged.status == 400
    finally:
        running.stop()
    from kiteguard.proxy.store import Store

    actions = [(e.host, e.action) for e in Store(kiteguard_home / "kiteguard.sqlite3").events()]
    assert ("meet-singles.test", "warn") in actions and ("meet-singles.test", "continue") in actions
