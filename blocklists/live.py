"""The lists in force for a running proxy, reloaded when another process compiles new ones.

``kiteguard lists import`` and ``update`` (or the daily refresh) write a new compiled generation
and then swap the pointer file ``compiled.current`` to it with ``os.replace``. A running proxy reads
the pointer at most every ``interval`` seconds and maps the new generation; the old mapping is
released once no lookup holds it. A damaged or foreign file is refused and the lists in force stay.

Damage that passes the size checks (bytes garbled inside a file of the right length) shows up
as a lookup that raises: a new file is probed with a few lookups before it takes over, and if
one still fails later the last good lists take over again. Either way the parent is alerted
(``alert``), because filtering by stale lists is better than blocking everything, but it is
not what they chose.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from kiteguard.proxy.policy import ListHit

from .matcher import MAGIC, CompiledLists, Explanation, compiled_path

log = logging.getLogger(__name__)

# Looked up in a new compiled file before it takes over: a few depths, so most tables are touched.
PROBE_HOSTS = ("example.com", "www.example.com.vn", "a.b.c.d.example.org", "localhost")


class LiveLists:
    """A ``policy.CategoryLookup`` that follows the compiled file in force.

    ``clock`` is a monotonic clock in seconds; the pointer is read at most every ``interval``.
    """

    def __init__(self, lists_dir: Path, clock: Callable[[], float], interval: float = 2.0,
                 alert: Callable[[str], None] | None = None) -> None:
        self.lists_dir = Path(lists_dir)
        self._clock = clock
        self._interval = interval
        self._alert = alert
        self._checked = float("-inf")
        self._refused: Path | None = None
        self._previous: CompiledLists | None = None  # the generation before, kept to fall back to
        self.current: CompiledLists | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Map the compiled file in force if it changed; True if a new one took effect."""
        self._checked = self._clock()
        path = compiled_path(self.lists_dir)
        if path is None or path == self._refused or (self.current is not None and self.current.path == path):
            return False
        try:
            candidate = CompiledLists(path)
            for host in PROBE_HOSTS:  # garbled tables fail here rather than on a child's request
                candidate.lookup(host, "/")
        except Exception as exc:  # noqa: BLE001 - any damage at all refuses the file
            self._refuse(path, exc)
            return False
        self._previous, self.current = self.current, candidate  # mapped, never copied
        return True

    def _refuse(self, path: Path, exc: BaseException) -> None:
        self._refused = path
        detail = f"the compiled blocklist {path.name} is damaged ({exc}); the last good lists stay in force"
        log.warning("%s", detail)
        if self._alert is not None:
            self._alert(detail)

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        if self._clock() - self._checked >= self._interval:
            self.refresh()
        current = self.current
        if current is None:
            return ()
        try:
            hits = current.lookup(host, path)
        except Exception as exc:  # noqa: BLE001 - damage the probes missed: back to the last good lists
            self._refuse(current.path, exc)
            self.current, self._previous = self._previous, None
            return self.current.lookup(host, path) if self.current is not None else ()
        return hits

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        return self.current.explain(host, path) if self.current is not None else []


def open_lists(lists_dir: Path, clock: Callable[[], float] = time.monotonic,
               alert: Callable[[str], None] | None = None) -> LiveLists:
    """The CategoryLookup for ``Runtime``: the compiled lists, rebuilt if missing or damaged.

    On a fresh install this compiles the starter list, so something sensible is blocked at once.
    A file compiled by an earlier Kiteguard version is rebuilt quietly: that is an upgrade, not damage.
    """
    if _earlier_version(compiled_path(Path(lists_dir))):
        _compile(Path(lists_dir))
    live = LiveLists(Path(lists_dir), clock, alert=alert)
    if live.current is None:
        _compile(Path(lists_dir))
        live.refresh()
    return live


def _earlier_version(path: Path | None) -> bool:
    if path is None:
        return False
    try:
        with open(path, "rb") as handle:
            magic = handle.read(len(MAGIC))
    except OSError:
        return False
    return magic[:4] == MAGIC[:4] and magic != MAGIC


def _compile(lists_dir: Path) -> None:
    from .registry import SourceRegistry  # numpy is only needed to build, not to look up

    registry = SourceRegistry(lists_dir)
    registry.ensure_starter(datetime.now(timezone.utc))
    registry.compile()
