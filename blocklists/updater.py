"""Conditional downloads of URL sources, keeping the list in force whenever a download is doubtful.

Pi-hole's ``gravity.sh`` approach: ask with ``If-None-Match``/``If-Modified-Since``; read at most
``max_bytes`` within ``timeout``; parse the new content before touching the old; and keep the old
copy (status ``kept``, with the reason) when the download failed, was empty, was not a list, or
shrank suspiciously. An update never weakens filtering by accident.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TextIO

import aiohttp

from .content import read_bytes
from .formats import NotAList
from .registry import ListsBusy, Source, SourceRegistry, registry_lock

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
SHRINK_LIMIT = 0.5  # keep the old copy when a new one has less than half its entries
UPDATE_INTERVAL_HOURS = 24


@dataclass(frozen=True)
class UpdateSettings:
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    shrink_limit: float = SHRINK_LIMIT


class DownloadTooLarge(Exception):
    pass


class ProgressBar:
    """A one-line progress bar on a terminal, silent otherwise."""

    def __init__(self, label: str, total: int | None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.label, self.total, self.done = label[:40], total, 0

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        if self.total:
            filled = int(30 * min(self.done, self.total) / self.total)
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done * 100 // self.total:3d}%")
        else:
            self.stream.write(f"\r{self.label} {self.done / 1048576:.1f} MiB")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")


async def update_sources(
    registry: SourceRegistry,
    now: Callable[[], datetime],
    only: Sequence[str] | None = None,
    settings: UpdateSettings = UpdateSettings(),
    progress: Callable[[str, int | None], ProgressBar] = ProgressBar,
) -> list[Source]:
    """Refresh every enabled URL source (or those in ``only``), then recompile if anything changed."""
    results: list[Source] = []
    changed = False
    timeout = aiohttp.ClientTimeout(total=settings.timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        for source in registry.sources:
            if source.kind != "url" or not source.enabled or (only is not None and source.id not in only):
                continue
            updated = await update_one(session, registry, source, now, settings, progress)
            changed = changed or updated.status == "ok"
            registry.put(updated)
            results.append(updated)
    if changed:
        await asyncio.to_thread(registry.compile)
    return results


async def refresh_due(registry: SourceRegistry, now: Callable[[], datetime]) -> list[Source]:
    """Fetch only the sources whose daily refresh is due."""
    due = [source.id for source in registry.sources if is_due(source, now())]
    return await update_sources(registry, now, only=due) if due else []


async def refresh_forever(lists_dir: Path, now: Callable[[], datetime], every: float = 3600.0) -> None:
    """The background task of ``kiteguard run``: look hourly for sources due their daily refresh.

    It never raises: a failure is logged and tried again next hour, and the lists in force stay.
    """
    while True:
        try:
            with registry_lock(lists_dir, wait=False):
                await refresh_due(SourceRegistry(lists_dir), now)
        except ListsBusy:
            log.info("a lists command is running; the refresh waits for the next round")
        except Exception:  # a bug here must not end the task, and the old lists keep working
            log.exception("refreshing the blocklists failed")
        await asyncio.sleep(every)


async def update_one(
    session: aiohttp.ClientSession,
    registry: SourceRegistry,
    source: Source,
    now: Callable[[], datetime],
    settings: UpdateSettings,
    progress: Callable[[str, int | None], ProgressBar] = ProgressBar,
) -> Source:
    """Download one source; return its record with the new status (the caller saves it)."""
    checked = now().isoformat(timespec="seconds")
    headers = {}
    if source.etag and source.parts:
        headers["If-None-Match"] = source.etag
    if source.last_modified and source.parts:
        headers["If-Modified-Since"] = source.last_modified
    try:
        async with session.get(source.origin, headers=headers) as response:
            if response.status == 304:
                return replace(source, status="unchanged", message="not modified", checked_at=checked)
            if response.status != 200:
                return _keep(source, checked, f"the server answered HTTP {response.status}")
            bar = progress(source.name, response.content_length)
            data = await _read_capped(response, settings.max_bytes, bar)
            etag, modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
    except DownloadTooLarge:
        return _keep(source, checked, f"the download is larger than {settings.max_bytes // 1048576} MiB")
    except asyncio.TimeoutError:
        return _keep(source, checked, f"no complete answer within {settings.timeout:g} s")
    except aiohttp.ClientError as exc:
        return _keep(source, checked, f"download failed: {exc}")
    if source.parts and hashlib.sha256(data).hexdigest() == source.sha256:
        # Servers without ETag/Last-Modified send the whole list again: no need to parse it.
        return replace(source, status="unchanged", message="same content", checked_at=checked,
                       etag=etag or source.etag, last_modified=modified or source.last_modified)
    try:
        # Parsing a big list takes seconds: keep the proxy's event loop free meanwhile.
        content = await asyncio.to_thread(read_bytes, data, source.category, source.format)
    except (NotAList, ValueError) as exc:
        return _keep(source, checked, f"the download is not a usable list: {exc}")
    old, new = source.counts.entries + source.counts.urls, content.counts.entries + content.counts.urls
    if source.parts and new < old * settings.shrink_limit:
        return _keep(source, checked, f"the download shrank from {old} to {new} entries")
    accepted = await asyncio.to_thread(registry.accept, source, content, now())
    return replace(accepted, etag=etag, last_modified=modified, checked_at=checked)


def is_due(source: Source, now: datetime) -> bool:
    """Whether the daily refresh should fetch this source now."""
    if source.kind != "url" or not source.enabled:
        return False
    if source.checked_at is None:
        return True
    return (now - datetime.fromisoformat(source.checked_at)).total_seconds() >= UPDATE_INTERVAL_HOURS * 3600


async def _read_capped(response: aiohttp.ClientResponse, limit: int, bar: ProgressBar) -> bytes:
    if response.content_length is not None and response.content_length > limit:
        raise DownloadTooLarge
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise DownloadTooLarge
            chunks.append(chunk)
            bar.advance(len(chunk))
    finally:
        bar.finish()
    return b"".join(chunks)


def _keep(source: Source, checked: str, why: str) -> Source:
    state = "kept" if source.parts else "failed"
    message = f"{why}; keeping the previous copy" if source.parts else why
    log.warning("list %s (%s): %s", source.id, source.origin, message)
    return replace(source, status=state, message=message, checked_at=checked)
