"""Lists: the category lists in force, their counts and status, and an update button with progress.

The lists belong to ``kiteguard.blocklists``; the update runs as a background task on the
service's loop, and the page polls its progress (or the parent reloads).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from dataclasses import dataclass, field
from types import ModuleType

from aiohttp import web

from . import keys
from .rendering import done, render, say

log = logging.getLogger(__name__)


def _blocklists(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"kiteguard.blocklists.{name}")
    except ImportError:
        return None


@dataclass
class ListUpdate:
    """The one list update that may run at a time, and how far it got."""

    task: asyncio.Task[object] | None = None
    label: str = ""
    done: int = 0
    total: int | None = None
    finished: list[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()


class PageProgress:
    """The updater's progress callback, kept for the page instead of a terminal."""

    def __init__(self, state: ListUpdate, label: str, total: int | None) -> None:
        self.state = state
        state.label, state.total, state.done = label, total, 0

    def advance(self, count: int) -> None:
        self.state.done += count

    def finish(self) -> None:
        self.state.finished.append(self.state.label)


def progress_text(state: ListUpdate, language_say) -> str:  # noqa: ANN001 - say bound to a request
    if not state.running:
        return language_say("web.lists.idle")
    if state.total:
        return language_say("web.lists.progress_pct", {"name": state.label, "pct": state.done * 100 // state.total})
    return language_say("web.lists.progress_bytes", {"name": state.label, "mib": f"{state.done / 1048576:.1f}"})


async def lists_page(request: web.Request) -> web.Response:
    registry_module = _blocklists("registry")
    sources = registry_module.SourceRegistry(request.app[keys.RUNTIME].home.lists_dir).sources \
        if registry_module else ()
    state = request.app[keys.LIST_UPDATE]
    return render(request, "lists.html", {
        "available": registry_module is not None, "sources": sources, "running": state.running,
        "progress": progress_text(state, lambda key, params=None: say(request, key, params)),
    })


async def start_update(request: web.Request) -> web.StreamResponse:
    registry_module, updater = _blocklists("registry"), _blocklists("updater")
    state = request.app[keys.LIST_UPDATE]
    if registry_module is None or updater is None:
        raise web.HTTPNotFound(text="the lists feature is not part of this build")
    if not state.running:
        runtime = request.app[keys.RUNTIME]
        registry = registry_module.SourceRegistry(runtime.home.lists_dir)
        state.finished.clear()
        state.task = asyncio.create_task(
            _update(updater, registry, runtime.now, lambda label, total: PageProgress(state, label, total)))
    raise done(request, "/lists", "web.lists.started")


async def _update(updater: ModuleType, registry: object, now: object, progress: object) -> object:
    try:
        return await updater.update_sources(registry, now, progress=progress)
    except Exception:
        log.exception("the list update from the settings page failed; the lists in force stay")
        return None


async def progress(request: web.Request) -> web.Response:
    state = request.app[keys.LIST_UPDATE]
    text = progress_text(state, lambda key, params=None: say(request, key, params))
    return web.json_response({"running": state.running, "text": text}, headers={"Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    app[keys.LIST_UPDATE] = ListUpdate()
    app.router.add_get("/lists", lists_page)
    app.router.add_get("/lists/progress", progress)
    app.router.add_post("/lists/update", start_update)
