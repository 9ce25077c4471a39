"""The extension's chat check: scores come back, the message is never kept."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from kiteguard.proxy.runtime import Runtime


async def test_a_bullying_message_is_scored(client: TestClient) -> None:
    response = await client.post("/api/ext/classify", json={"text": "mày ngu như chó, cả lớp ghét mày, đi chết đi"})
    answer = await response.json()
    assert response.status == 200
    assert answer["category"] != "safe" and answer["language"] == "vi"
    assert set(answer["scores"]) == {"adult", "gambling", "violence", "drugs", "self_harm", "hate_bullying", "safe"}
    assert answer["sensitivity"] == "balanced"


async def test_a_friendly_message_is_safe(client: TestClient) -> None:
    message = {"text": "mai đi học nhớ mang sách toán nhé", "sensitivity": "strict"}
    response = await client.post("/api/ext/classify", json=message)
    answer = await response.json()
    assert answer["category"] == "safe" and answer["explain"] == [] and answer["sensitivity"] == "strict"


async def test_the_text_is_never_stored(client: TestClient, runtime: Runtime) -> None:
    secret = "tin nhắn riêng tư số 4815162342"
    await client.post("/api/ext/classify", json={"text": secret})
    runtime.events.flush()
    files = [path for path in runtime.home.root.rglob("*") if path.is_file()]
    assert files  # the store exists; none of its files holds the message
    assert all(b"4815162342" not in path.read_bytes() for path in files)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"message": "no text key"}, 400),
        ({"text": 42}, 400),
        ({"text": "hi", "sensitivity": "paranoid"}, 400),
        (["not", "an", "object"], 400),
    ],
)
async def test_bad_requests_are_refused_plainly(client: TestClient, body: object, status: int) -> None:
    response = await client.post("/api/ext/classify", json=body)
    assert response.status == status


async def test_an_oversized_body_is_refused(client: TestClient) -> None:
    response = await client.post("/api/ext/classify", data=b'{"text": "' + b"a" * 20_000 + b'"}',
                                 headers={"Content-Type": "application/json"})
    assert response.status == 413
