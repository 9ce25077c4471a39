"""Batched, off-loop writing of events: the proxy's hooks never wait for the disk.

Hooks append to an in-memory queue; a background task flushes it to SQLite once a second in
a worker thread. If the disk is full or the database locked, decisions go on, the batch is
kept for the next try while the queue has room, and anything that overflows is counted.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from .store import Event, Store

log = logging.getLogger(__name__)

MAX_QUEUED = 20_000
FLUSH_SECONDS = 1.0


class EventLog:
    def __init__(self, store: Store, *, max_queued: int | None = None) -> None:
        self._store = store
        self._queue: deque[Event] = deque()
        self._max = MAX_QUEUED if max_queued is None else max_queued
        self.dropped = 0
        self.written = 0

    def record(self, event: Event) -> None:
        if len(self._queue) >= self._max:
            self.dropped += 1
            return
        self._queue.append(event)

    @property
    def pending(self) -> int:
        return len(self._queue)

    def flush(self) -> int:
        """Write everything queued; synchronous, for shutdown and for the CLI."""
        batch = list(self._queue)
        if not batch:
            return 0
        try:
            self._store.add_events(batch)
        except Exception as exc:  # the disk being full must not stop filtering
            log.warning("could not write %d events, will retry: %s", len(batch), exc)
            return 0
        for _ in batch:
            self._queue.popleft()
        self.written += len(batch)
        return len(batch)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            if self._queue:
                await asyncio.to_thread(self.flush)
