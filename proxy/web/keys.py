"""Every aiohttp AppKey in one place."""

from __future__ import annotations

from aiohttp import web

from ..runtime import Runtime

RUNTIME = web.AppKey("runtime", Runtime)
ALLOWED_HOSTS = web.AppKey("allowed_hosts", frozenset)
