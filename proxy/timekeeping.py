"""The service's background work for time rules: the clock's high-water mark and alerts, warnings
before offline windows, and changes other processes store (a parent approving from the CLI).

Everything here runs as tasks on the service's loop; disk work goes to worker threads.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from . import timerules
from .clockguard import TOLERANCE, ClockGuard, Mark, load_mark, save_mark
from .runtime import Runtime

log = logging.getLogger(__name__)

TICK_SECONDS = 5.0
MARK_EVERY_TICKS = 6  # the high-water mark is saved every 30 s
STORE_POLL_SECONDS = 1.0


async def keep_time(runtime: Runtime, guard: ClockGuard) -> None:
    ticks = 0
    saved: Mark | None = None
    while True:
        try:
            stored = await asyncio.to_thread(load_mark, runtime.store)
            trusted = saved is not None and stored is not None and stored.instant < saved.instant - TOLERANCE
            if trusted:  # only `kiteguard clock trust` lowers the mark
                log.warning("a parent trusts the computer's clock again")
                guard.trust(stored)
            now = runtime.now()
            for detail in guard.take_alerts():
                log.warning("clock: %s", detail)
                await asyncio.to_thread(runtime.store.add_alert, "clock", detail, now=now)
            if ticks % MARK_EVERY_TICKS == 0 or trusted:
                saved = guard.mark()
                await asyncio.to_thread(save_mark, runtime.store, saved)
            runtime.warner.check_offline(now)
            # the next local day's usage is read before its first request, never inside the proxy's hook
            runtime.usage.preload(timerules.local_day(now + timedelta(seconds=2 * TICK_SECONDS), runtime.tz))
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
