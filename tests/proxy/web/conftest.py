"""A settings page over a real store in a temporary home, with a clock the test moves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from kiteguard.proxy.password import PasswordFile
from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.web.app import make_app

PASSWORD = "correct horse 42"
START = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)  # 10:00 in Hanoi, a Monday


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def runtime(tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    home = Home(tmp_path / "home").ensure()
    store = Store(home.db_path)
    yield Runtime(home, store, clock=clock)
    store.close()


@dataclass
class Parent:
    """A signed-in parent's browser: its client and the CSRF token of its session."""

    client: TestClient
    csrf: str

    async def post(self, path: str, data: dict[str, object] | None = None, **kwargs: object):  # noqa: ANN201
        return await self.client.post(path, data={"csrf": self.csrf, **(data or {})}, allow_redirects=False,
                                      **kwargs)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


@pytest.fixture
async def client(aiohttp_client, runtime: Runtime) -> TestClient:  # noqa: ANN001
    return await aiohttp_client(make_app(runtime))


@pytest.fixture(scope="session")
def password_line(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The stored hash of PASSWORD, computed once: scrypt is slow on purpose."""
    folder = tmp_path_factory.mktemp("password")
    PasswordFile(folder).set(PASSWORD)
    return (folder / "parent-password").read_text()


@pytest.fixture
def with_password(runtime: Runtime, password_line: str) -> PasswordFile:
    passwords = PasswordFile(runtime.home.root)
    passwords.path.write_text(password_line)
    return passwords


@pytest.fixture
async def parent(client: TestClient, with_password: PasswordFile) -> Parent:
    reply = await client.post("/login", data={"password": PASSWORD}, allow_redirects=False)
    assert reply.status == 303
    client.session.cookie_jar.update_cookies({"kg_lang": "en"})  # messages asserted in English
    page = await client.get("/")
    return Parent(client, csrf_of(await page.text()))
