"""Who may use the settings page: the first-run password wizard, sign-in, sign-out, and the guard.

The guard (a middleware) lets anyone reach only the sign-in and first-run pages, the static
files, the health check, the CA certificate and the extension API (which has its own token
auth and no parent actions). Everything else needs a live session, and every request that
changes something needs the session's CSRF token too. Requests from another machine are
refused unless the parent turned LAN access on.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from ..password import PasswordRefused
from . import keys
from .rendering import render, say
from .sessions import Session, csrf_matches

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
COOKIE = "kg_session"
OPEN_PATHS = frozenset({"/login", "/setup"})  # any method: signing in is how a session starts
READ_ONLY_PATHS = frozenset({"/healthz", "/ca.pem", "/language", "/proxy.pac"})  # browsers fetch the PAC unsigned
READ_ONLY_PREFIXES = ("/static/",)
EXTENSION_PREFIX = "/api/ext/"  # its own token auth (extension feature), and no parent actions
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def current_session(request: web.Request) -> Session | None:
    return request.get(keys.SESSION)


def is_loopback(remote: str | None) -> bool:
    if not remote:
        return False
    try:
        return ipaddress.ip_address(remote.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@web.middleware
async def parent_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    from ..lanaccess import LanAccess

    runtime = request.app[keys.RUNTIME]
    if not is_loopback(request.remote) and not LanAccess(runtime.home.root).enabled():
        raise web.HTTPForbidden(text="Kiteguard: the settings page only answers on this computer")
    path = request.path
    if path.startswith(EXTENSION_PREFIX) or (path in OPEN_PATHS and request.method in SAFE_METHODS | {"POST"}):
        return await handler(request)
    if request.method in SAFE_METHODS and (path in READ_ONLY_PATHS or path.startswith(READ_ONLY_PREFIXES)):
        return await handler(request)
    if not request.app[keys.PASSWORD].exists():
        if request.method in SAFE_METHODS:
            raise web.HTTPSeeOther("/setup")
        raise web.HTTPForbidden(text="Kiteguard: set the parent password first")
    session = request.app[keys.SESSIONS].touch(request.cookies.get(COOKIE))
    if session is None:
        if request.method in SAFE_METHODS:
            raise web.HTTPSeeOther(f"/login?next={path}")
        raise web.HTTPUnauthorized(text="Kiteguard: sign in first")
    if request.method not in SAFE_METHODS:
        offered = request.headers.get("X-CSRF-Token")
        if offered is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            offered = (await request.post()).get("csrf")  # type: ignore[assignment]
        if not csrf_matches(session, offered if isinstance(offered, str) else None):
            raise web.HTTPForbidden(text="Kiteguard: this form has expired; reload the page and try again")
    request[keys.SESSION] = session
    return await handler(request)


def start_session(request: web.Request, response: web.StreamResponse) -> Session:
    session = request.app[keys.SESSIONS].open()
    response.set_cookie(COOKIE, session.token, httponly=True, samesite="Strict", path="/")
    return session


def safe_next(target: str | None) -> str:
    """Only a local path: never redirect a parent to another site after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# -- first run -------------------------------------------------------------------------------------


async def setup_form(request: web.Request) -> web.StreamResponse:
    if request.app[keys.PASSWORD].exists():
        raise web.HTTPSeeOther("/login")
    return render(request, "setup.html", {"problem": None})


async def setup_submit(request: web.Request) -> web.StreamResponse:
    passwords = request.app[keys.PASSWORD]
    if passwords.exists():  # only the very first password is set without signing in
        raise web.HTTPForbidden(text="Kiteguard: the parent password is already set")
    form = await request.post()
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    if password != again:
        return render(request, "setup.html", {"problem": say(request, "web.password.mismatch")}, status=400)
    try:
        passwords.set(password)
    except PasswordRefused as exc:
        return render(request, "setup.html", {"problem": say(request, exc.key)}, status=400)
    log.info("the parent password was set in the first-run wizard")
    response = web.HTTPSeeOther("/")
    start_session(request, response)
    raise response


# -- sign in and out -------------------------------------------------------------------------------


async def login_form(request: web.Request) -> web.StreamResponse:
    if not request.app[keys.PASSWORD].exists():
        raise web.HTTPSeeOther("/setup")
    return render(request, "login.html", {"problem": None, "next": safe_next(request.query.get("next"))})


async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    target = safe_next(str(form.get("next", "/")))
    problem = check_password(request, str(form.get("password", "")))
    if problem is not None:
        status = 429 if "wait" in problem[0] or "locked" in problem[0] else 401
        return render(request, "login.html", {"problem": say(request, *problem), "next": target}, status=status)
    response = web.HTTPSeeOther(target)
    start_session(request, response)
    raise response


def check_password(request: web.Request, password: str) -> tuple[str, dict[str, object]] | None:
    """None if the password is right; else an i18n key (and its values) saying why not.

    Used for sign-in and for the actions that ask for the password again, so both count
    towards the lockout.
    """
    app = request.app
    throttle = app[keys.THROTTLE]
    verdict = throttle.check()
    if not verdict.allowed:
        return _refusal(verdict.locked, verdict.wait_seconds)
    if app[keys.PASSWORD].verify(password):
        throttle.succeeded()
        return None
    verdict = throttle.failed()
    log.warning("wrong parent password (%d in a row)", throttle.failures)
    if verdict.locked:
        app[keys.RUNTIME].store_alert_later("lockout", f"{throttle.failures} wrong parent passwords in a row")
    if not verdict.allowed:
        return _refusal(verdict.locked, verdict.wait_seconds)
    return ("web.login.wrong", {})


def _refusal(locked: bool, seconds: int) -> tuple[str, dict[str, object]]:
    if locked:
        return ("web.login.locked", {"minutes": max(1, (seconds + 59) // 60)})
    return ("web.login.wait", {"seconds": seconds})


async def logout(request: web.Request) -> web.StreamResponse:
    request.app[keys.SESSIONS].close(request.cookies.get(COOKIE))
    response = web.HTTPSeeOther("/login")
    response.del_cookie(COOKIE, path="/")
    raise response


def setup(app: web.Application) -> None:
    app.middlewares.append(parent_guard)
    app.router.add_get("/setup", setup_form)
    app.router.add_post("/setup", setup_submit)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
