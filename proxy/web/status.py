"""Routes every install has: a health check and the CA certificate for manual setup."""

from __future__ import annotations

from aiohttp import web

from . import keys


async def health(request: web.Request) -> web.Response:
    runtime = request.app[keys.RUNTIME]
    return web.json_response(
        {
            "kiteguard": True,
            "policy_revision": runtime.policy_revision,
            "profiles": list(runtime.household.profile_names()),
            "events_pending": runtime.events.pending,
            "events_dropped": runtime.events.dropped,
        }
    )


async def ca_certificate(request: web.Request) -> web.FileResponse:
    runtime = request.app[keys.RUNTIME]
    return web.FileResponse(
        runtime.home.ca_cert_path,
        headers={"Content-Type": "application/x-pem-file",
                 "Content-Disposition": 'attachment; filename="kiteguard-ca.pem"'},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/healthz", health)
    app.router.add_get("/ca.pem", ca_certificate)
