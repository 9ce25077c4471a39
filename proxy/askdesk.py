"""The block page's "ask a parent" form: what it offers, and what happens when it is sent.

mitmproxy-free: the add-on hands over the profile, host and form fields and sends back the
answer. The form carries a signature over everything it asks for (profile, kind, category,
host, the page to go on to, and an expiry), so another site's page cannot forge a request, and
going on after a yes never leaves the blocked host. A PIN typed by a parent standing next to
the child approves at once; guesses are rate-limited and recorded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import parse_qs

from . import parentpin, requests
from .pages.timepages import render_ask_answer, render_ask_form
from .reasons import Decision
from .runtime import Runtime
from .store import Event
from .urls import InvalidHost, Url, parse_url

ASK_PATH = "/__kiteguard/request"
FORM_SECONDS = 2 * 60 * 60
MAX_BODY = 4096


@dataclass(frozen=True)
class Ask:
    profile: str
    kind: str
    category: str | None
    host: str
    to: str
    minutes: int | None
    message: str
    pin: str


@dataclass(frozen=True)
class Answer:
    status: int
    html: str = ""
    location: str | None = None


def request_kind(decision: Decision) -> str | None:
    """What a child can ask for on this block page: more time, this site, or nothing."""
    source = decision.primary.source if decision.primary else None
    if source == "quota" and decision.category:
        return "time"
    if source in ("blocklist", "classifier"):
        return "site"
    return None  # schedules end on their own; custom rules and errors are the parent's to change


def ask_form(runtime: Runtime, decision: Decision, url: Url, profile: str) -> str:
    kind = request_kind(decision)
    if kind is None:
        return ""
    category = decision.category or ""
    exp = str(int(time.time()) + FORM_SECONDS)
    sig = runtime.sign("ask", profile, kind, category, url.host, url.text, exp)
    return render_ask_form(runtime.household.language, action=ASK_PATH, kind=kind, category=category,
                           to=url.text, exp=exp, sig=sig)


def read_ask(runtime: Runtime, profile: str, host: str, body: bytes) -> Ask | None:
    """The form's fields if its signature holds for this profile and host, else None."""
    if len(body) > MAX_BODY:
        return None
    fields = {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}
    kind, category, to, exp, sig = (fields.get(k, "") for k in ("kind", "category", "to", "exp", "sig"))
    if not (exp.isdigit() and int(exp) > time.time()):
        return None
    if not runtime.verify(sig, "ask", profile, kind, category, host, to, exp):
        return None
    try:
        if parse_url(to).host != host:
            return None
    except (ValueError, InvalidHost):
        return None
    minutes = fields.get("minutes", "")
    return Ask(profile, kind, category or None, host, to,
               int(minutes) if kind == "time" and minutes.isdigit() else None,
               fields.get("message", ""), fields.get("pin", ""))


def file_ask(runtime: Runtime, ask: Ask, now: datetime) -> tuple[int, bool | None]:
    """Store the request, and check a PIN if one was typed (slow on purpose: run in a worker thread).

    Returns the request id and True / False for a right / wrong PIN, None for no PIN or too many
    wrong guesses lately.
    """
    request_id = requests.create_request(
        runtime.store, profile=ask.profile, kind=ask.kind, category=ask.category, minutes=ask.minutes,
        host=ask.host if ask.kind == "site" else None, message=ask.message, now=now,
    )
    if not ask.pin:
        return request_id, None
    if not runtime.pin_limiter.allowed(now):
        _record(runtime, ask, now, "pin-locked", "too many wrong PINs lately; the PIN was not checked")
        return request_id, None
    if parentpin.check_pin(runtime.home, ask.pin):
        runtime.pin_limiter.succeeded()
        return request_id, True
    runtime.pin_limiter.failed(now)
    _record(runtime, ask, now, "pin-wrong", f"a wrong PIN was typed for request {request_id}")
    if not runtime.pin_limiter.allowed(now):
        runtime.store_alert_later("pin", "several wrong PINs were typed on a block page", profile=ask.profile)
    return request_id, False


def answer_ask(runtime: Runtime, ask: Ask, request_id: int, pin_ok: bool | None, now: datetime) -> Answer:
    """Approve at once after a right PIN (on the event loop), and say what happened."""
    language = runtime.household.language
    if pin_ok:
        requests.approve_request(runtime, request_id, minutes=ask.minutes, now=now)
        return Answer(303, location=ask.to)
    key = "ask.sent" if pin_ok is None else "ask.pin_wrong"
    if pin_ok is None and ask.pin:
        key = "ask.pin_locked"
    return Answer(200, render_ask_answer(key, language, ask.to))


def refused(runtime: Runtime) -> Answer:
    return Answer(400, render_ask_answer("ask.refused", runtime.household.language, "javascript:history.back()"))


def _record(runtime: Runtime, ask: Ask, now: datetime, action: str, detail: str) -> None:
    runtime.store.add_events([Event(now.astimezone(timezone.utc), ask.profile, ask.host, ask.category, action,
                                    "request", detail)])
