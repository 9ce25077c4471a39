"""The lists in force for a running proxy, reloaded when another process compiles new ones.

``kiteguard lists import`` and ``update`` (or the daily refresh) write a new compiled generation
and then swap the pointer file ``compiled.current`` to it with ``os.replace``. A running proxy reads
the pointer at most every ``interval`` seconds and maps the new generation; the old mapping is
released once no lookup holds it. A damaged or foreign file is refused and the lists in force stay.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from kiteguard.proxy.policy import ListHit

from .matcher import CompiledLists, Explanation, compiled_path

log = logging.getLogger(__name__)


class LiveLists:
    """A ``policy.CategoryLookup`` that follows the compiled file in force.

    ``clock`` is a monotonic clock in seconds; the pointer is read at most every ``interval``.
    """

    def __init__(self, lists_dir: Path, clock: Callable[[], float], interval: float = 2.0) -> None:
        self.lists_dir = Path(lists_dir)
        self._clock = clock
        self._interval = interval
        self._checked = float("-inf")
        self._refused: Path | None = None
        self.current: CompiledLists | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Map the compiled file in force if it changed; True if a new one took effect."""
        self._checked = self._clock()
        path = compiled_path(self.lists_dir)
        if path is None or path == self._refused or (self.current is not None and self.current.path == path):
            return False
        try:
            self.current = CompiledLists(path)  # the old mapping is dropped, not copied
        except (ValueError, OSError) as exc:
            self._refused = path
            log.warning("keeping the lists in force: %s", exc)
            return False
        return True

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        if self._clock() - self._checked >= self._interval:
            self.refresh()
        return self.current.lookup(host, path) if self.current is not None else ()

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        return self.current.explain(host, path) if self.current is not None else []


def open_lists(lists_dir: Path, clock: Callable[[], float] = time.monotonic) -> LiveLists:
    """The CategoryLookup for ``Runtime``: the compiled lists, rebuilt if missing or damaged.

    On a fresh install this compiles the starter list, so something sensible is blocked at once.
    """
    live = LiveLists(Path(lists_dir), clock)
    if live.current is None:
        from .registry import SourceRegistry  # numpy is only needed to build, not to look up

        registry = SourceRegistry(Path(lists_dir))
        registry.ensure_starter(datetime.now(timezone.utc))
        registry.compile()
        live.refresh()
    return live
