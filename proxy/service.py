"""`kiteguard run`: one asyncio loop running mitmproxy (embedded) and the aiohttp app.

The master is built inside the running loop, with only our add-on on top of mitmproxy's
defaults. Ports are checked before anything starts, because any ERROR record during
mitmproxy's start-up makes it exit; a busy port becomes one clear line instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web
from mitmproxy.options import Options

from ..blocklists.live import open_lists
from ..blocklists.namesignal import LearnedNames
from ..blocklists.updater import refresh_forever
from . import timekeeping
from .addon import KiteguardAddon
from .certauthority import ensure_ca
from .clockguard import ClockGuard, boot_id, elapsed_seconds, load_mark, save_mark
from .lanaccess import lan_names, listen_host
from .master import LeanMaster
from .pagecheck import PageJudge
from .paths import Home
from .policy import CategoryLookup
from .ports import DEFAULT_PROXY_PORT, DEFAULT_UI_PORT, bind_listener, check_port_free
from .runtime import Runtime, utc_now, write_behind
from .store import Store
from .streaming import STREAM_ABOVE
from .web.app import allowed_hosts, make_app

log = logging.getLogger(__name__)

POLICY_POLL_SECONDS = 1.0
RETENTION_CHECK_SECONDS = 3600.0


@dataclass(frozen=True)
class ServiceConfig:
    proxy_host: str = "127.0.0.1"
    proxy_port: int = DEFAULT_PROXY_PORT
    ui_host: str = "127.0.0.1"
    ui_port: int = DEFAULT_UI_PORT
    upstream_ca: Path | None = None  # extra CA for upstreams with private certificates



class _Ready:
    """Learns the proxy's real port once mitmproxy's servers are up (port 0 in tests)."""

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.proxy_port = 0

    def running(self) -> None:
        from mitmproxy import ctx

        addrs = ctx.master.addons.get("proxyserver").listen_addrs()
        self.proxy_port = addrs[0][1] if addrs else 0
        self.event.set()


async def serve(  # noqa: ANN001
    home: Home,
    config: ServiceConfig,
    *,
    announce=print,
    extra_addons: tuple = (),
    wall_clock: Callable[[], datetime] = utc_now,
    elapsed_clock: Callable[[], float] = elapsed_seconds,
    lists: CategoryLookup | None = None,
) -> int:
    """Run until SIGINT or SIGTERM. ``extra_addons`` run after ours (tests route made-up hosts with one);
    ``wall_clock`` is the computer's clock as the child may have set it, ``elapsed_clock`` the one nobody
    can set (tests move them to make minutes pass, or to set the clock back)."""
    check_port_free(config.proxy_host, config.proxy_port, "--proxy-port")
    ui_host = listen_host(home.root, config.ui_host)  # the whole home network only if the parent said so
    lan = ui_host != config.ui_host
    config = dataclasses.replace(config, ui_host=ui_host)
    ui_socket = bind_listener(config.ui_host, config.ui_port, "--ui-port")  # held from here: no second bind
    ensure_ca(home)
    store = Store(home.db_path)
    guard = ClockGuard(wall_clock, mark=load_mark(store), elapsed=elapsed_clock, boot=boot_id())
    lists = lists or open_lists(home.lists_dir, alert=lambda detail: write_behind(store.add_alert, "lists", detail))
    runtime = Runtime(home, store, clock=guard.now, lists=lists)
    runtime.activity.start()

    master = LeanMaster(
        Options(listen_host=config.proxy_host, listen_port=config.proxy_port, confdir=str(home.ca_dir))
    )
    # Lazy: a blocked request never touches the network. Bodies past the cap stream through.
    master.options.update(connection_strategy="lazy", stream_large_bodies=STREAM_ABOVE)
    if config.upstream_ca:
        master.options.update(ssl_verify_upstream_trusted_ca=str(config.upstream_ca))
    ready = _Ready()
    pages = PageJudge(domains=LearnedNames(home.lists_dir).current)
    master.addons.add(KiteguardAddon(runtime, pages), ready, *extra_addons)

    ui_port = ui_socket.getsockname()[1]
    runner = web.AppRunner(make_app(runtime, hosts=allowed_hosts(ui_port, lan_names() if lan else ())), access_log=None)
    await runner.setup()
    await web.SockSite(runner, ui_socket).start()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, master.shutdown)
    tasks = [
        asyncio.create_task(runtime.events.run(), name="events"),
        asyncio.create_task(_poll_policy(runtime), name="policy"),
        asyncio.create_task(_prune_old_events(runtime), name="retention"),
        asyncio.create_task(timekeeping.keep_time(runtime, guard), name="time"),
        asyncio.create_task(timekeeping.watch_store(runtime), name="store-watch"),
        asyncio.create_task(refresh_forever(home.lists_dir, utc_now), name="lists"),
        asyncio.create_task(_announce_when_ready(ready, home, config, ui_port, announce), name="announce"),
    ]
    try:
        await master.run()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await runner.cleanup()
        runtime.activity.stop()
        save_mark(store, guard.mark())
        runtime.events.flush()
        store.close()
        with contextlib.suppress(FileNotFoundError):
            home.run_file.unlink()
    return 0


async def _announce_when_ready(ready: _Ready, home: Home, config: ServiceConfig, ui_port: int, announce) -> None:  # noqa: ANN001
    await ready.event.wait()
    info = {"pid": os.getpid(), "proxy_host": config.proxy_host, "proxy_port": ready.proxy_port,
            "ui_host": config.ui_host, "ui_port": ui_port}
    temporary = home.run_file.with_suffix(".tmp")
    temporary.write_text(json.dumps(info))
    os.replace(temporary, home.run_file)
    announce(
        f"Kiteguard is running: proxy {config.proxy_host}:{ready.proxy_port}, "
        f"settings http://{config.ui_host}:{ui_port}/ (Ctrl+C to stop)"
    )


async def _prune_old_events(runtime: Runtime) -> None:
    """Keep events only as long as the household's retention says (30 days by default)."""
    while True:
        try:
            cutoff = runtime.now() - timedelta(days=runtime.household.retention_days)
            removed = await asyncio.to_thread(runtime.store.prune_events, cutoff)
            if removed:
                log.info("removed %d events older than %d days", removed, runtime.household.retention_days)
        except Exception:
            log.exception("could not prune old events")
        await asyncio.sleep(RETENTION_CHECK_SECONDS)


async def _poll_policy(runtime: Runtime) -> None:
    """Pick up policies imported by another process, and drop expired grants."""
    while True:
        await asyncio.sleep(POLICY_POLL_SECONDS)
        try:
            if await asyncio.to_thread(runtime.reload_policy_if_changed):
                log.info("policy revision %d is now in force", runtime.policy_revision)
            runtime.grants.prune(runtime.now() - timedelta(seconds=1))
        except Exception:
            log.exception("could not reload the policy; the one in force stays")
