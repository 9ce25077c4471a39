"""Kiteguard's own sense of time: the wall clock, checked against a clock the child cannot set.

Design note. A child who sets the computer's clock back gets yesterday's unused quota or leaves
an offline window early; one who sets it forward gets tomorrow's quota. So Kiteguard keeps a
*line*: the last trusted wall time plus the time elapsed since on a clock nobody can set
(``CLOCK_BOOTTIME`` on Linux, which also counts suspend; ``time.monotonic`` elsewhere).

- While the wall clock stays within ``tolerance`` of the line, Kiteguard follows it (NTP's small
  corrections). The line is not moved to it: a clock walked back or forward a minute at a time
  leaves the band after a step or two.
- When the wall clock falls behind the line, Kiteguard keeps to the line and alerts the parent.
- When it runs ahead: with a suspend-aware elapsed clock that cannot be a suspend, so Kiteguard
  keeps to the line and alerts; elsewhere (a suspend looks the same) it follows the wall clock.
- The trusted instant is persisted with the elapsed clock's reading and the boot's id (the
  high-water mark). After a restart in the same boot (a crash, ``kill -9``), the line goes on
  from the mark exactly, so a clock moved either way while Kiteguard was down is caught. After a
  reboot, Kiteguard takes the wall clock unless it is behind the mark (then it starts from the
  mark and alerts).

So Kiteguard's time never runs backwards, and a local day whose usage was counted never becomes
"new" again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .store import Store

SUSPEND_AWARE = hasattr(time, "CLOCK_BOOTTIME")
TOLERANCE = timedelta(seconds=90)
BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


def elapsed_seconds() -> float:
    """Seconds on a clock the user cannot set; counts suspend where the platform allows."""
    if SUSPEND_AWARE:
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic()


def boot_id() -> str | None:
    """This boot's id (Linux), so a restart can tell whether the elapsed clock carried on."""
    try:
        return BOOT_ID_FILE.read_text().strip() or None
    except OSError:
        return None


@dataclass(frozen=True)
class Mark:
    instant: datetime  # trusted, aware
    boot_id: str | None = None
    elapsed: float | None = None  # the elapsed clock's reading at ``instant``


class ClockGuard:
    def __init__(
        self,
        wall: Callable[[], datetime],
        *,
        mark: Mark | None = None,
        elapsed: Callable[[], float] = elapsed_seconds,
        boot: str | None = None,
        suspend_aware: bool = SUSPEND_AWARE,
        tolerance: timedelta = TOLERANCE,
    ) -> None:
        self._wall = wall
        self._elapsed = elapsed
        self._boot = boot
        self._suspend_aware = suspend_aware
        self._tolerance = tolerance
        self._alerts: list[str] = []
        self._jumping = False  # one alert per jump, not one per request during it
        start = wall()
        if mark is not None and boot is not None and mark.boot_id == boot and mark.elapsed is not None:
            self._anchor_at, self._anchor_elapsed = mark.instant, mark.elapsed  # same boot: carry the line on
            self.now()
            return
        if mark is not None and start < mark.instant - tolerance:
            self._alerts.append(
                f"the computer's clock is {describe(mark.instant - start)} behind the last time Kiteguard ran; "
                f"Kiteguard goes on from {mark.instant.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"
            )
            start = mark.instant
        self._anchor(start)

    def now(self) -> datetime:
        wall = self._wall()
        line = self._line()
        if abs(wall - line) <= self._tolerance:
            self._jumping = False
            return wall
        if wall < line:
            self._alert_once(f"the computer's clock was set back by {describe(line - wall)}; Kiteguard ignores it")
            return line
        if self._suspend_aware:
            self._alert_once(f"the computer's clock was set forward by {describe(wall - line)}; Kiteguard ignores it")
            return line
        self._anchor(wall)  # without a suspend-aware clock, a jump forward may be the computer waking up
        return wall

    def trust(self, mark: Mark | None = None) -> None:
        """A parent says the computer's clock is right: follow it again (from ``mark``, if it was set
        in this boot, else from the wall clock now)."""
        if mark is not None and mark.boot_id is not None and mark.boot_id == self._boot and mark.elapsed is not None:
            self._anchor_at, self._anchor_elapsed = mark.instant, mark.elapsed
        else:
            self._anchor(self._wall())
        self._jumping = False

    def mark(self) -> Mark:
        """The high-water mark to persist: the line, with the elapsed clock's reading on it."""
        self.now()  # a jump forward followed (where that is the rule) moves the line first
        return Mark(self._line(), self._boot, self._elapsed())

    def take_alerts(self) -> list[str]:
        """Alerts since the last call, for the parent (the caller stores them off the hot path)."""
        alerts, self._alerts = self._alerts, []
        return alerts

    def _anchor(self, instant: datetime) -> None:
        self._anchor_at = instant
        self._anchor_elapsed = self._elapsed()

    def _line(self) -> datetime:
        return self._anchor_at + timedelta(seconds=self._elapsed() - self._anchor_elapsed)

    def _alert_once(self, detail: str) -> None:
        if not self._jumping:
            self._jumping = True
            self._alerts.append(detail)


def trusted_now(store: Store, wall: Callable[[], datetime]) -> datetime:
    """Kiteguard's time for a one-off command: the wall clock checked against the stored mark."""
    return ClockGuard(wall, mark=load_mark(store), boot=boot_id()).now()


def reset_mark(store: Store, mark: Mark) -> None:
    """Replace the high-water mark, even with an earlier one: only for a parent's ``clock trust``."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO clock_mark (id, instant, boot_id, elapsed) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET instant = excluded.instant, boot_id = excluded.boot_id, "
            "elapsed = excluded.elapsed",
            (mark.instant.astimezone(timezone.utc).isoformat(), mark.boot_id, mark.elapsed),
        )


def describe(span: timedelta) -> str:
    minutes = round(span.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours} h {minutes:02d} min"
    return f"{days} d {text}" if days else text


def load_mark(store: Store) -> Mark | None:
    rows = store.query("SELECT instant, boot_id, elapsed FROM clock_mark WHERE id = 1")
    if not rows:
        return None
    return Mark(datetime.fromisoformat(rows[0]["instant"]), rows[0]["boot_id"], rows[0]["elapsed"])


def save_mark(store: Store, mark: Mark) -> None:
    """Raise the high-water mark; it never goes down."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO clock_mark (id, instant, boot_id, elapsed) VALUES (1, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET instant = excluded.instant, boot_id = excluded.boot_id, "
            "elapsed = excluded.elapsed WHERE excluded.instant >= clock_mark.instant",
            (mark.instant.astimezone(timezone.utc).isoformat(), mark.boot_id, mark.elapsed),  # one offset: text order
        )
