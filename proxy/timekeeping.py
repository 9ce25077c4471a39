"""The service's background work for time rules: the clock's high-water mark and alerts, warnings
before offline windows, and changes other processes store (a parent approving from the CLI).

Everything here runs as tasks on the service's loop; disk work goes to worker threads.
"""

from __future__ import annotations

import asyncio
import logging

from .clockguard import ClockGuard, save_mark
from .runtime import Runtime

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0
MARK_EVERY_TICKS = 6  # the high-water mark is saved every 30 s
STORE_POLL_SECONDS = 1.0


async def keep_time(runtime: Runtime, guard: ClockGuard) -> None:
    ticks = 0
    while True:
        try:
            now = runtime.now()
            for detail in guard.take_alerts():
                log.warning("clock: %s", detail)
                await asyncio.to_thread(runtime.store.add_alert, "clock", detail, now=now)
            if ticks % MARK_EVERY_TICKS == 0:
                await asyncio.to_thread(save_mark, runtime.store, guard.mark())
            runtime.warner.check_offline(now)
        except Exception:
            log.exception("time keeping failed; trying again")
        ticks += 1
        await asyncio.sleep(TICK_SECONDS)


async def watch_store(runtime: Runtime) -> None:
    """Apply grants and bonus minutes stored by another process, so approvals need no restart."""
    while True:
        await asyncio.sleep(STORE_POLL_SECONDS)
        try:
            if runtime.refresh_from_store():
                log.debug("took changes from the store")
        except Exception:
            log.exception("could not read changes from the store")
