"""The extension's chat check with the real classifier: scores come back, the message is never kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store
from kiteguard.proxy.web import keys
from kiteguard.proxy.web.app import make_app


@pytest.fixture
async def child(aiohttp_client, tmp_path: Path) -> tuple[TestClient, dict[str, str], Runtime]:  # noqa: ANN001
    home = Home(tmp_path / "home").ensure()
    runtime = Runtime(home, Store(home.db_path))
    client = await aiohttp_client(make_app(runtime))
    code = client.app[keys.PAIRINGS].create_pairing_code(runtime.household.default_profile).code
    paired = await (await client.post("/api/ext/pair", json={"code": code, "browser_name": "test"})).json()
    return client, {"Authorization": f"Bearer {paired['token']}"}, runtime


async def test_a_bullying_message_gets_the_gentle_prompt(child) -> None:  # noqa: ANN001
    client, token, _ = child
    reply = await client.post("/api/ext/classify", json={"text": "mày ngu như chó, cả lớp ghét mày, đi chết đi"},
                              headers=token)
    answer = await reply.json()
    assert reply.status == 200
    assert answer["hurtful"] is True and answer["language"] == "vi"
    assert set(answer["scores"]) == {"adult", "gambling", "violence", "drugs", "self_harm", "hate_bullying", "safe"}


async def test_a_friendly_message_passes_quietly(child) -> None:  # noqa: ANN001
    client, token, _ = child
    reply = await client.post("/api/ext/classify", json={"text": "mai đi học nhớ mang sách toán nhé"}, headers=token)
    answer = await reply.json()
    assert answer["hurtful"] is False and answer["category"] == "safe" and answer["explain"] == []


async def test_the_text_is_never_stored(child) -> None:  # noqa: ANN001
    client, token, runtime = child
    secret = "tin nhắn riêng tư số 4815162342"
    await client.post("/api/ext/classify", json={"text": secret}, headers=token)
    runtime.events.flush()
    files = [path for path in runtime.home.root.rglob("*") if path.is_file()]
    assert files  # the store exists; none of its files holds the message
    assert all(b"4815162342" not in path.read_bytes() for path in files)
