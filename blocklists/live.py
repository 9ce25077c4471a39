"""The lists in force for a running proxy, reloaded when another process swaps the compiled file.

``kiteguard lists import`` and ``update`` (or the daily refresh) replace ``compiled.kgbl`` with
``os.replace``; a running proxy notices the new file by its inode, size and mtime, at most every
``interval`` seconds, and maps it. The old mapping is released when no lookup holds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from kiteguard.proxy.policy import ListHit

from .matcher import COMPILED_NAME, CompiledLists, Explanation


class LiveLists:
    """The lists in force for a running proxy: reloads when ``lists import`` or ``update`` swaps the file.

    ``clock`` is a monotonic clock in seconds; the file is checked at most every ``interval``.
    """

    def __init__(self, lists_dir: Path, clock: Callable[[], float], interval: float = 2.0) -> None:
        self.path = Path(lists_dir) / COMPILED_NAME
        self._clock = clock
        self._interval = interval
        self._checked = float("-inf")
        self.current: CompiledLists | None = None
        self.refresh()

    def refresh(self) -> bool:
        """Load the compiled file if it changed; True if a new one is now in force."""
        self._checked = self._clock()
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return False
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if self.current is not None and self.current.identity == identity:
            return False
        self.current = CompiledLists(self.path)  # the old view is dropped, not copied
        return True

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        if self._clock() - self._checked >= self._interval:
            self.refresh()
        return self.current.lookup(host, path) if self.current is not None else ()

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        return self.current.explain(host, path) if self.current is not None else []


def open_lists(lists_dir: Path, clock: Callable[[], float] = time.monotonic) -> LiveLists:
    """The CategoryLookup for ``Runtime``: the compiled lists, with the starter list on a fresh install."""
    compiled = Path(lists_dir) / COMPILED_NAME
    if not compiled.exists():
        from .registry import SourceRegistry  # numpy is only needed to build, not to look up

        registry = SourceRegistry(Path(lists_dir))
        registry.ensure_starter(datetime.now(timezone.utc))
        registry.compile()
    return LiveLists(Path(lists_dir), clock)
