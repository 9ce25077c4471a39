"""A tiny local website for the tests, served on 127.0.0.1 over HTTP and HTTPS.

It answers every Host name, so tests can browse made-up sites through the proxy. Run as a
separate process so the proxy under test never shares its event loop. Prints "HTTP HTTPS"
ports on one line once listening. It writes the CA of its HTTPS certificates to FOLDER/ca.pem.
"""

from __future__ import annotations

import asyncio
import ssl
import sys
from pathlib import Path

import trustme
from aiohttp import web

PAGE = "<!doctype html><html><head><title>{host}</title></head><body><h1>Hello from {host}</h1>{extra}</body></html>"


async def page(request: web.Request) -> web.Response:
    extra = ""
    if "safe" in request.query:
        extra = f"<p id='query'>{request.query_string}</p>"
    return web.Response(text=PAGE.format(host=request.host, extra=extra), content_type="text/html")


async def echo_headers(request: web.Request) -> web.Response:
    return web.json_response({"headers": dict(request.headers), "query": request.query_string, "path": request.path})


async def respond(request: web.Request) -> web.Response:
    """Answers with the status and headers a test asks for: /respond?status=302&Location=..."""
    headers = {name: value for name, value in request.query.items() if name != "status"}
    return web.Response(status=int(request.query.get("status", "200")), headers=headers, text="ok")


async def image(request: web.Request) -> web.Response:
    return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"\0" * 1024, content_type="image/png")


def tls_context(folder: Path) -> ssl.SSLContext:
    """A server context whose certificate always matches the name the client asked for (SNI)."""
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    contexts: dict[str, ssl.SSLContext] = {}

    def context_for(name: str) -> ssl.SSLContext:
        if name not in contexts:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            authority.issue_cert(name).configure_cert(context)
            contexts[name] = context
        return contexts[name]

    def choose(connection: ssl.SSLObject, server_name: str | None, _: ssl.SSLContext) -> None:
        if server_name:
            connection.context = context_for(server_name)

    default = context_for("127.0.0.1")
    default.sni_callback = choose  # type: ignore[assignment]
    return default


async def main(folder: str) -> None:
    app = web.Application()
    app.router.add_get("/echo", echo_headers)
    app.router.add_get("/image.png", image)
    app.router.add_get("/respond", respond)
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    plain = web.TCPSite(runner, "127.0.0.1", 0)
    await plain.start()
    secure = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=tls_context(Path(folder)))
    await secure.start()
    ports = [site._server.sockets[0].getsockname()[1] for site in (plain, secure)]  # type: ignore[union-attr]
    print(*ports, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except KeyboardInterrupt:
        pass
