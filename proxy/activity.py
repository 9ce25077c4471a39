"""Usage accounting: the minutes a child spends on each category, counted as they happen.

The rule, without a browser extension: a minute counts for (profile, category) when the child's
traffic shows page activity in it, that is a page opened (an HTML navigation) or a script on an
open page fetching (XHR or fetch) from a host of that category. Images, scripts, fonts and media
files alone do not count. Each (profile, category, minute) counts once, however many requests
it holds, and the last counted minute is stored, so a restart never counts a minute twice.

With a paired extension, its reports win: it knows the active tab and whether the child is idle.
While a profile's extension has reported within ``EXTENSION_FRESH``, that profile's traffic is
not counted, and ``record_active_minute`` counts instead.

The hook only touches memory (the ledger the engine reads, and a queue); one worker thread
writes each counted minute to SQLite at once, so ``kill -9`` loses at most the minute in flight.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from . import timerules
from .store import Store
from .usage import UsageLedger

log = logging.getLogger(__name__)

MINUTE_SECONDS = 60.0
EXTENSION_FRESH = timedelta(minutes=3)
REPORT_SLACK = timedelta(minutes=2)  # how far a report's time may stray from Kiteguard's own
REWIND = timedelta(minutes=5)  # time may step back 90 s (the wall clock) or 2 min (a report); a trust, further


@dataclass(frozen=True)
class CountedMinute:
    profile: str
    category: str
    minute: datetime  # UTC, at the start of the minute
    day: date  # the household-local day it counts for


class ActivityRecorder:
    def __init__(
        self,
        store: Store,
        ledger: UsageLedger,
        *,
        clock: Callable[[], datetime],
        tz: Callable[[], ZoneInfo],
        category_of: Callable[[str], str | None] = lambda host: None,
    ) -> None:
        self._store = store
        self._ledger = ledger
        self._clock = clock
        self._tz = tz
        self._category_of = category_of
        self._last: dict[tuple[str, str], datetime] = {}
        self._extension_seen: dict[str, datetime] = {}
        self._queue: queue.SimpleQueue[CountedMinute | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.listeners: list[Callable[[str, str, datetime], None]] = []  # called on the loop per counted minute
        self.written = 0

    # -- the writer thread -----------------------------------------------------------------------------

    def start(self) -> None:
        """Load the last counted minutes and start writing; call once, before traffic."""
        for row in self._store.query("SELECT profile, category, minute FROM usage_marks"):
            self._last[(row["profile"], row["category"])] = datetime.fromisoformat(row["minute"])
        self._ledger.preload(timerules.local_day(self._clock(), self._tz()))
        self._thread = threading.Thread(target=self._write_forever, name="kiteguard-usage", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def _write_forever(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            try:
                write_minute(self._store, item)
                self.written += 1
            except Exception:  # a full disk must not stop filtering; the minute stays counted in memory
                log.exception("could not store a minute of usage for %s", item.profile)

    # -- what the proxy and the extension report -------------------------------------------------------

    def note_traffic(
        self, profile: str, category: str | None, *, page_activity: bool, at: datetime | None = None
    ) -> bool:
        """The proxy saw a request of the profile's; True if it started a new counted minute."""
        if category is None or not page_activity:
            return False
        at = at or self._clock()
        if self.extension_reports(profile, at):
            return False
        return self._count(profile, category, at)

    def record_active_minute(self, profile: str, category: str | None, host: str, at: datetime) -> bool:
        """The paired extension says the child was active on host at ``at`` (pass Kiteguard's now).

        Without a category, the host's category from the lists is used; a host in no category
        counts for nothing.
        """
        now = self._clock()
        at = min(max(at, now - REPORT_SLACK), now)  # never trust a browser's clock further than this
        self._extension_seen[profile] = at
        category = category or self._category_of(host)
        return self._count(profile, category, at) if category else False

    def note_extension(self, profile: str, at: datetime) -> None:
        """The extension is alive for this profile (any contact), even if the child is idle."""
        self._extension_seen[profile] = at

    def extension_reports(self, profile: str, at: datetime) -> bool:
        seen = self._extension_seen.get(profile)
        return seen is not None and at - seen < EXTENSION_FRESH

    def _count(self, profile: str, category: str, at: datetime) -> bool:
        minute = at.astimezone(timezone.utc).replace(second=0, microsecond=0)
        key = (profile, category)
        last = self._last.get(key)
        if last is not None and last - REWIND < minute <= last:
            return False  # counted already; far behind only after a parent's "clock trust": a new minute
        self._last[key] = minute
        day = timerules.local_day(minute, self._tz())
        self._ledger.remember_seconds(profile, category, day, MINUTE_SECONDS)
        self._queue.put(CountedMinute(profile, category, minute, day))
        for listener in self.listeners:
            listener(profile, category, at)
        return True


def write_minute(store: Store, item: CountedMinute) -> bool:
    """Store one counted minute unless that minute (or a later one) is already stored."""
    with store.transaction() as db:
        changed = db.execute(
            "INSERT INTO usage_marks (profile, category, minute) VALUES (?, ?, ?) "
            "ON CONFLICT (profile, category) DO UPDATE SET minute = excluded.minute "
            "WHERE excluded.minute > usage_marks.minute "
            "OR julianday(excluded.minute) < julianday(usage_marks.minute) - ?",
            (item.profile, item.category, item.minute.isoformat(), REWIND / timedelta(days=1)),
        ).rowcount
        if changed:
            db.execute(
                "INSERT INTO usage (profile, day, category, seconds) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (profile, day, category) DO UPDATE SET seconds = seconds + excluded.seconds",
                (item.profile, item.day.isoformat(), item.category, MINUTE_SECONDS),
            )
    return bool(changed)
