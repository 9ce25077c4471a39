"""Teach the site-name signal from the installed lists, each time they are compiled.

The lists' names in the classifier's categories (gambling, adult, …) are what a harmful name
looks like; names in the harmless categories (social, games, video, chat) and a short list of
everyday sites we wrote are what an ordinary one looks like. The model is written beside the
compiled lists, and a running proxy picks it up on its next look (``LearnedNames``).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from kiteguard.classifiers.domains import DomainModel
from kiteguard.classifiers.labels import UNSAFE

from .compiler import CompiledSource, read_names

log = logging.getLogger(__name__)

NAME_MODEL = "names-model.npz"
ORDINARY_CATEGORIES = frozenset({"social", "games", "video", "chat"})
MIN_NAMES = 30  # fewer names than this in a category teach noise, not a pattern
RELOAD_SECONDS = 60.0
PLAIN_ENTRY = 0  # the parsed kind of a domain entry (not an exception, not a URL)


def ordinary_hosts() -> list[str]:
    text = resources.files("kiteguard.classifiers").joinpath("data", "ordinary-hosts.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def learn_name_signal(lists_dir: Path, sources: Sequence[CompiledSource]) -> Path | None:
    """Write the site-name model for these sources; None (and no model) if no category has enough names."""
    harmful: dict[str, set[str]] = defaultdict(set)
    ordinary = set(ordinary_hosts())
    for source in sources:
        names, kinds, parts = read_names(lists_dir / "parsed" / f"{source.id}.npz")
        for part, category in enumerate(source.categories):
            if category in UNSAFE:
                bucket = harmful[category]
            elif category in ORDINARY_CATEGORIES:
                bucket = ordinary
            else:
                continue
            bucket.update(names[index] for index in ((parts == part) & (kinds == PLAIN_ENTRY)).nonzero()[0])
    taught = {category: names for category, names in harmful.items() if len(names) >= MIN_NAMES}
    path = lists_dir / NAME_MODEL
    if not taught:
        path.unlink(missing_ok=True)
        return None
    DomainModel().fit(taught, ordinary).save(path)
    return path


class LearnedNames:
    """The site-name model in force for a running proxy, reloaded when a compile writes a new one."""

    def __init__(self, lists_dir: Path, clock: Callable[[], float] = time.monotonic) -> None:
        self._path = lists_dir / NAME_MODEL
        self._clock = clock
        self._checked_at = float("-inf")
        self._stamp: int | None = None
        self._model: DomainModel | None = None

    def current(self) -> DomainModel | None:
        now = self._clock()
        if now - self._checked_at >= RELOAD_SECONDS:
            self._checked_at = now
            self._reload()
        return self._model

    def _reload(self) -> None:
        try:
            stamp = self._path.stat().st_mtime_ns
        except FileNotFoundError:
            self._stamp, self._model = None, None
            return
        if stamp == self._stamp:
            return
        try:
            self._model, self._stamp = DomainModel.load(self._path), stamp
        except (OSError, ValueError, KeyError) as exc:  # a damaged file: no hint, never a crash
            log.warning("could not read the site-name model %s: %s", self._path, exc)
            self._model, self._stamp = None, stamp
