"""Every aiohttp AppKey in one place."""

from __future__ import annotations

from aiohttp import web

from ..password import PasswordFile
from ..runtime import Runtime
from .sessions import LoginThrottle, Session, SessionBook

RUNTIME = web.AppKey("runtime", Runtime)
ALLOWED_HOSTS = web.AppKey("allowed_hosts", frozenset)

# The parents' settings page (web/parent.py and web/auth.py).
SESSIONS = web.AppKey("sessions", SessionBook)
THROTTLE = web.AppKey("throttle", LoginThrottle)
PASSWORD = web.AppKey("password", PasswordFile)
LIST_UPDATE = web.AppKey("list_update", object)  # web.lists.ListUpdate (typed loosely: no import cycle)
PAIRINGS = web.AppKey("pairings", object)  # the extension feature's pairing.Pairings, made on first use

# The extension API (web/extapi.py).
LIVE_HUB = web.AppKey("live_hub", object)  # web.livehub.LiveHub
# Optional: text -> {"label": str, "score": float}; set by the classifier when a chat model is installed.
CHAT_SCORER = web.AppKey("chat_scorer", object)
SESSION = web.RequestKey("session", Session)  # the signed-in parent's session, set by auth.parent_guard
