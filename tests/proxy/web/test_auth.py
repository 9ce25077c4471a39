"""Who can reach the settings page: first run, sign-in, sessions, CSRF, Host, lockout."""

from __future__ import annotations

import os
import stat

import pytest
from aiohttp.test_utils import TestClient

from kiteguard.proxy.password import PasswordFile
from kiteguard.proxy.web.app import make_app
from kiteguard.proxy.web.auth import is_loopback, safe_next
from kiteguard.proxy.web.sessions import LOCKOUT_FAILURES

from kgtest import eventually

PASSWORD = "correct horse 42"  # the conftest's parent password

# Every route that changes something, plus ones that do not exist: anonymous writes are refused.
OPEN_WRITES = {"/login", "/setup"}


def routes(client: TestClient) -> list[str]:
    paths = set()
    for resource in client.app.router.resources():
        info = resource.get_info()
        path = info.get("path") or info.get("formatter") or info.get("prefix")
        if path:
            paths.add(path.replace("{alert_id}", "1").replace("{request_id}", "1").replace("{verdict}", "approve"))
    return sorted(paths | {"/no-such-page", "/api/settings"})


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_anonymous_writes_are_refused_everywhere(client: TestClient, with_password, method: str) -> None:
    for path in routes(client):
        if path in OPEN_WRITES and method == "POST" or path.startswith("/api/ext/"):
            continue
        reply = await client.request(method, path, allow_redirects=False)
        assert reply.status in (401, 403), (method, path, reply.status)


async def test_a_foreign_host_header_is_refused(aiohttp_client, runtime) -> None:  # noqa: ANN001
    client = await aiohttp_client(make_app(runtime, hosts=frozenset({"127.0.0.1:8787"})))
    evil = await client.get("/login", headers={"Host": "evil.example"})
    assert evil.status == 421
    evil_post = await client.post("/login", data={"password": PASSWORD}, headers={"Host": "evil.example:8787"})
    assert 400 <= evil_post.status < 500
    good = await client.get("/healthz", headers={"Host": "127.0.0.1:8787"})
    assert good.status == 200


async def test_first_run_sets_a_private_password_once(client: TestClient, runtime) -> None:  # noqa: ANN001
    first = await client.get("/", allow_redirects=False)
    assert first.status == 303 and first.headers["Location"] == "/setup"
    mismatch = await client.post("/setup", data={"password": "abcdefgh1", "again": "abcdefgh2"})
    assert mismatch.status == 400 and not PasswordFile(runtime.home.root).exists()
    short = await client.post("/setup", data={"password": "abc", "again": "abc"})
    assert short.status == 400
    made = await client.post("/setup", data={"password": PASSWORD, "again": PASSWORD}, allow_redirects=False)
    assert made.status == 303
    path = PasswordFile(runtime.home.root).path
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert PASSWORD not in path.read_text()
    again = await client.post("/setup", data={"password": "another pass 9", "again": "another pass 9"})
    assert again.status == 403
    assert PasswordFile(runtime.home.root).verify(PASSWORD)


async def test_the_session_cookie_is_httponly_and_strict(client: TestClient, with_password) -> None:
    reply = await client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    cookie = reply.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "kg_session=" in cookie


async def test_a_session_ends_after_idle_time(parent, clock) -> None:  # noqa: ANN001
    assert (await parent.client.get("/", allow_redirects=False)).status == 200
    clock.advance(minutes=29)
    assert (await parent.client.get("/", allow_redirects=False)).status == 200  # activity keeps it alive
    clock.advance(minutes=31)
    reply = await parent.client.get("/children", allow_redirects=False)
    assert reply.status == 303 and reply.headers["Location"].startswith("/login")


# -- CSRF: a signed-in parent's browser, tricked by another page, cannot change anything ---------
@pytest.mark.parametrize("token", [None, "", "forged-token"])
async def test_writes_without_the_session_csrf_token_are_refused(parent, runtime, token) -> None:  # noqa: ANN001
    data = {"profile": "child", "list": "deny", "domain": "example.com"}
    forged = data if token is None else {**data, "csrf": token}
    reply = await parent.client.post("/sites/add", data=forged, allow_redirects=False)
    assert reply.status == 403
    assert "example.com" not in runtime.household.profile("child").deny
    ok = await parent.post("/sites/add", data)
    assert ok.status == 303 and "example.com" in runtime.household.profile("child").deny


async def test_the_csrf_header_works_for_scripts(parent, runtime) -> None:  # noqa: ANN001
    reply = await parent.client.post("/sites/add", data={"profile": "child", "list": "deny", "domain": "a.vn"},
                                     headers={"X-CSRF-Token": parent.csrf}, allow_redirects=False)
    assert reply.status == 303 and "a.vn" in runtime.household.profile("child").deny


async def test_logout_ends_the_session(parent) -> None:  # noqa: ANN001
    assert (await parent.post("/logout")).status == 303
    assert (await parent.client.get("/", allow_redirects=False)).status == 303


# -- Guessing the password ------------------------------------------------------------------------
async def test_wrong_passwords_slow_down_then_lock_out(client: TestClient, with_password, runtime, clock) -> None:
    statuses = []
    for _ in range(LOCKOUT_FAILURES):
        reply = await client.post("/login", data={"password": "wrong guess"}, allow_redirects=False)
        statuses.append(reply.status)
        clock.advance(seconds=301)  # wait out each delay, as a patient child would
    assert statuses[:2] == [401, 401] and statuses[-1] == 429
    locked = await client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    assert locked.status == 429, "the right password must not work during a lockout"
    assert "kg_session" not in locked.cookies
    assert await eventually(lambda: any(row["kind"] == "lockout" for row in runtime.store.alerts()))
    clock.advance(minutes=31)
    opened = await client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    assert opened.status == 303


async def test_a_wrong_password_during_the_delay_is_not_even_checked(client: TestClient, with_password) -> None:
    for _ in range(3):
        await client.post("/login", data={"password": "nope nope"})
    waiting = await client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    assert waiting.status == 429


# -- Small rules ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("target", "expected"), [
    ("/children", "/children"),
    ("//evil.example/", "/"),
    ("https://evil.example/", "/"),
    ("/\\evil.example", "/"),
    (None, "/"),
])
def test_after_sign_in_only_local_pages(target, expected) -> None:  # noqa: ANN001
    assert safe_next(target) == expected


@pytest.mark.parametrize(("remote", "loopback"), [
    ("127.0.0.1", True), ("::1", True), ("192.168.1.20", False), (None, False), ("not-an-ip", False),
])
def test_loopback_addresses(remote, loopback) -> None:  # noqa: ANN001
    assert is_loopback(remote) is loopback


async def test_an_extension_token_opens_no_parent_page(client: TestClient, with_password) -> None:
    headers = {"Authorization": "Bearer some-paired-browser-token", "X-Kiteguard-Browser": "abc"}
    page = await client.get("/settings", headers=headers, allow_redirects=False)
    assert page.status == 303
    write = await client.post("/settings/general", headers=headers, data={"language": "en"})
    assert write.status == 401


async def test_login_page_has_a_language_switcher(client: TestClient, with_password) -> None:
    reply = await client.get("/language?lang=en&next=/login")
    html = await reply.text()
    assert '<html lang="en">' in html and "Parent sign-in" in html
