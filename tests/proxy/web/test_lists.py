"""Lists: sources with counts and status, and an update started from the page with progress."""

from __future__ import annotations

import asyncio

from aiohttp import web

from kiteguard.blocklists.registry import SourceRegistry

HOSTS = "".join(f"0.0.0.0 bet{i}.example\n" for i in range(40))


async def test_sources_show_and_update_from_the_page(parent, runtime, aiohttp_server, tmp_path) -> None:  # noqa: ANN001
    listed = tmp_path / "family.txt"
    listed.write_text("casino.example\nslots.example\n")
    registry = SourceRegistry(runtime.home.lists_dir)
    registry.import_file(listed, "gambling", None, runtime.now())

    async def serve_list(request: web.Request) -> web.Response:
        return web.Response(text=HOSTS, headers={"ETag": '"v1"'})

    site = web.Application()
    site.router.add_get("/bets.txt", serve_list)
    server = await aiohttp_server(site)  # on 127.0.0.1
    registry.add_url(str(server.make_url("/bets.txt")), "Bets", "gambling", None)

    page = await (await parent.client.get("/lists")).text()
    assert "family.txt" in page and "Bets" in page and "gambling and betting" in page
    started = await parent.post("/lists/update")
    assert started.status == 303
    for _ in range(100):
        state = await (await parent.client.get("/lists/progress")).json()
        if not state["running"]:
            break
        await asyncio.sleep(0.05)
    assert state == {"running": False, "text": "No update is running."}
    after = await (await parent.client.get("/lists")).text()
    assert ">40<" in after and "up to date" in after


async def test_progress_needs_a_session(client, with_password) -> None:  # noqa: ANN001
    reply = await client.get("/lists/progress", allow_redirects=False)
    assert reply.status == 303
