from __future__ import annotations

import asyncio
import gzip
import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from aiohttp import web
from blocklist_files import lists_dir_fixture  # noqa: F401 (fixtures)

from kiteguard.blocklists.live import LiveLists
from kiteguard.blocklists.registry import SourceRegistry
from kiteguard.blocklists.updater import ProgressBar, UpdateSettings, is_due, refresh_due, update_sources

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
GOOD = "".join(f"site{i}.example\n" for i in range(100))


@dataclass
class Feed:
    """What the local list server answers next, and what it was asked."""

    status: int = 200
    body: bytes = GOOD.encode()
    etag: str = '"v1"'
    delay: float = 0.0
    requests: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
async def feed(aiohttp_server) -> tuple[Feed, str]:  # type: ignore[no-untyped-def]
    state = Feed()

    async def serve(request: web.Request) -> web.StreamResponse:
        state.requests.append(dict(request.headers))
        if state.delay:
            await asyncio.sleep(state.delay)
        if request.headers.get("If-None-Match") == state.etag:
            return web.Response(status=304)
        return web.Response(status=state.status, body=state.body, headers={"ETag": state.etag})

    app = web.Application()
    app.router.add_get("/list.txt", serve)
    server = await aiohttp_server(app, host="127.0.0.1")
    return state, str(server.make_url("/list.txt"))


async def refresh(registry: SourceRegistry, settings: UpdateSettings | None = None) -> str:
    settings = settings or UpdateSettings()
    (source,) = await update_sources(registry, lambda: NOW, settings=settings)
    return f"{source.status}: {source.message}"


@pytest.fixture
async def subscribed(feed: tuple[Feed, str], lists_dir: Path) -> SourceRegistry:
    registry = SourceRegistry(lists_dir)
    registry.add_url(feed[1], "local feed", "gambling", None)
    assert (await refresh(registry)).startswith("ok")
    return registry


async def test_a_download_is_put_in_force(subscribed: SourceRegistry, lists_dir: Path) -> None:
    (source,) = subscribed.sources
    assert (source.counts.entries, source.etag) == (100, '"v1"')
    assert len(source.sha256 or "") == 64
    assert LiveLists(lists_dir, clock=lambda: 0.0).lookup("www.site7.example")


async def test_an_unchanged_list_is_not_downloaded_again(subscribed: SourceRegistry, feed: tuple[Feed, str]) -> None:
    assert await refresh(subscribed) == "unchanged: not modified"
    assert feed[0].requests[-1]["If-None-Match"] == '"v1"'


async def test_a_changed_list_replaces_the_old_one(subscribed: SourceRegistry, feed: tuple[Feed, str]) -> None:
    feed[0].etag, feed[0].body = '"v2"', gzip.compress((GOOD + "new.example\n").encode())
    assert (await refresh(subscribed)).startswith("ok")
    assert subscribed.sources[0].counts.entries == 101


@pytest.mark.parametrize(
    ("status", "body", "settings", "why"),
    [
        # the server fails or sends something else
        (500, b"oops", UpdateSettings(), "HTTP 500"),
        (200, b"<!doctype html><html><body>Please log in</body></html>", UpdateSettings(), "HTML page"),
        (200, b"", UpdateSettings(), "empty"),
        (200, b"\x00\x01\x02" * 100, UpdateSettings(), "binary"),
        # a list that lost most of its entries is suspicious
        (200, b"site1.example\nsite2.example\n", UpdateSettings(), "shrank from 100 to 2"),
        # limits
        (200, GOOD.encode() * 50, UpdateSettings(max_bytes=10_000), "larger than"),
    ],
)
async def test_a_doubtful_download_keeps_the_previous_copy(
    subscribed: SourceRegistry,
    feed: tuple[Feed, str],
    lists_dir: Path,
    status: int,
    body: bytes,
    settings: UpdateSettings,
    why: str,
) -> None:
    feed[0].status, feed[0].body, feed[0].etag = status, body, '"v2"'
    message = await refresh(subscribed, settings)
    assert message.startswith("kept:") and why in message and "keeping the previous copy" in message
    assert subscribed.sources[0].counts.entries == 100
    assert LiveLists(lists_dir, clock=lambda: 0.0).lookup("site50.example")


async def test_a_slow_server_times_out_and_keeps_the_copy(subscribed: SourceRegistry, feed: tuple[Feed, str]) -> None:
    feed[0].etag, feed[0].delay = '"v2"', 1.0
    message = await refresh(subscribed, UpdateSettings(timeout=0.2))
    assert message.startswith("kept: no complete answer within 0.2 s")


async def test_a_first_download_that_fails_says_why(feed: tuple[Feed, str], lists_dir: Path) -> None:
    feed[0].status = 404
    registry = SourceRegistry(lists_dir)
    registry.add_url(feed[1], "local feed", "adult", None)
    assert await refresh(registry) == "failed: the server answered HTTP 404"


def test_sources_are_due_once_a_day(subscribed: SourceRegistry) -> None:
    (source,) = subscribed.sources
    assert not is_due(source, NOW + timedelta(hours=23))
    assert is_due(source, NOW + timedelta(hours=24))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_only_on_a_terminal() -> None:
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar("hostsVN", 200, stream)
        bar.advance(100)
        bar.advance(100)
        bar.finish()
    assert "[###############...............]  50%" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    assert pipe.getvalue() == ""


async def test_the_daily_refresh_fetches_only_sources_that_are_due(
    subscribed: SourceRegistry, feed: tuple[Feed, str]
) -> None:
    asked = len(feed[0].requests)
    assert await refresh_due(subscribed, lambda: NOW + timedelta(hours=2)) == []
    assert len(feed[0].requests) == asked
    (source,) = await refresh_due(subscribed, lambda: NOW + timedelta(hours=25))
    assert source.status == "unchanged" and len(feed[0].requests) == asked + 1


async def test_the_same_content_without_an_etag_is_not_parsed_again(
    subscribed: SourceRegistry, feed: tuple[Feed, str]
) -> None:
    feed[0].etag = '"v2"'  # a new ETag, the same bytes
    assert await refresh(subscribed) == "unchanged: same content"
