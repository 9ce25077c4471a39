"""The parents' settings page, assembled: templates, static files, sign-in and every page.

``make_app`` calls ``setup`` once; each page lives in its own module with its own routes.
"""

from __future__ import annotations

from importlib import resources

from aiohttp import web

from ..password import PasswordFile
from . import activity, auth, browsers, children, keys, lists, preferences, reports, requestsview, sites, today, week
from .rendering import choose_language, setup_templates
from .sessions import LoginThrottle, SessionBook

PAGES = (today, children, week, sites, requestsview, reports, activity, lists, browsers, preferences)


def setup(app: web.Application) -> None:
    runtime = app[keys.RUNTIME]
    app[keys.SESSIONS] = SessionBook(runtime.now)
    app[keys.THROTTLE] = LoginThrottle(runtime.now)
    app[keys.PASSWORD] = PasswordFile(runtime.home.root)
    setup_templates(app)
    app.router.add_static("/static/", str(resources.files(__package__).joinpath("static")))
    app.router.add_get("/language", choose_language)
    auth.setup(app)
    for page in PAGES:
        page.setup(app)
