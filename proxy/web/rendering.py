"""Server-side rendering for the settings page: one Jinja environment, the language, the menu.

The language is the household's, unless this browser chose another with the switcher (a
cookie, so a grandparent can read English while the children's pages stay in Vietnamese).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NoReturn

import aiohttp_jinja2
import jinja2
from aiohttp import web

from ..categories import CATEGORIES
from ..i18n import LANGUAGES, category_name, translate
from . import keys

LANGUAGE_COOKIE = "kg_lang"
MENU: tuple[tuple[str, str], ...] = (
    ("/", "web.nav.today"),
    ("/children", "web.nav.children"),
    ("/time", "web.nav.time"),
    ("/sites", "web.nav.sites"),
    ("/requests", "web.nav.requests"),
    ("/reports", "web.nav.reports"),
    ("/activity", "web.nav.activity"),
    ("/lists", "web.nav.lists"),
    ("/browsers", "web.nav.browsers"),
    ("/settings", "web.nav.settings"),
)


def setup_templates(app: web.Application) -> None:
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.PackageLoader("kiteguard.proxy.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def language_of(request: web.Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
    return request.app[keys.RUNTIME].household.language


def say(request: web.Request, key: str, params: dict[str, object] | None = None) -> str:
    return translate(key, language_of(request), **(params or {}))


def render(request: web.Request, template: str, context: dict[str, Any], *, status: int = 200) -> web.Response:
    from .auth import current_session

    language = language_of(request)
    session = current_session(request)
    note = request.app[keys.SESSIONS].pop_note(session.token) if session else None

    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    tz = request.app[keys.RUNTIME].tz

    def local(instant: datetime) -> str:
        """A moment as the family's clock shows it."""
        return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    full = {
        "t": t,
        "local": local,
        "lang": language,
        "languages": LANGUAGES,
        "category_name": lambda category: category_name(category, language),
        "categories": CATEGORIES,
        "csrf": session.csrf if session else "",
        "signed_in": session is not None,
        "menu": MENU,
        "path": request.path,
        "note": note,
        **context,
    }
    response = aiohttp_jinja2.render_template(template, request, full, status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'"
    )
    return response


def done(request: web.Request, target: str, key: str = "web.saved", **params: object) -> web.HTTPSeeOther:
    """Redirect after a successful change, with a one-time "saved" message (post/redirect/get)."""
    return _noted(request, target, "ok", say(request, key, params))


def refused(request: web.Request, target: str, text: str) -> web.HTTPSeeOther:
    return _noted(request, target, "problem", text)


def _noted(request: web.Request, target: str, kind: str, text: str) -> web.HTTPSeeOther:
    from .auth import current_session

    session = current_session(request)
    if session is not None:
        request.app[keys.SESSIONS].note(session.token, kind, text)
    return web.HTTPSeeOther(target)


async def choose_language(request: web.Request) -> web.StreamResponse:
    """The switcher: remember this browser's language, then go back to the same page."""
    from .auth import safe_next

    language = request.query.get("lang", "")
    response = web.HTTPSeeOther(safe_next(request.query.get("next")))
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, samesite="Strict", path="/", max_age=365 * 86400)
    raise response


def apply_then(request: web.Request, target: str, action: Callable[[], object]) -> NoReturn:
    """Run a policy change; go back to ``target`` saying "saved", or saying what was refused and why."""
    from ..policyfile import PolicyError

    try:
        action()
    except (PolicyError, LookupError) as exc:
        raise refused(request, target, say(request, "web.refused", {"detail": str(exc).strip("'\"")})) from None
    raise done(request, target)
