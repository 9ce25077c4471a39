"""The responses Kiteguard writes itself: block, warning, notice and form-answer pages."""

from __future__ import annotations

import json
import time
from datetime import datetime
from urllib.parse import urlencode

from mitmproxy import http

from .. import askdesk, reportdesk
from ..i18n import translate
from ..pages.render import render_block_page, render_warn_page
from ..pages.timepages import render_notice_page
from ..policy import RequestFacts
from ..reasons import Decision
from ..runtime import Runtime

RESERVED_PREFIX = "/__kiteguard/"
PAGE_HEADERS = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Kiteguard": "1"}
WARNING_LINK_MINUTES = 15


class Replies:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def refusal(self, language: str | None = None) -> http.Response:
        """The short 403 for what cannot show a page: an image, a script, a WebSocket, a failed hook."""
        text = translate("sub.blocked", language or self.runtime.household.language)
        return http.Response.make(403, text, {"Cache-Control": "no-store", "X-Kiteguard": "1"})

    def block(self, decision: Decision, facts: RequestFacts, profile: str, explain: str = "") -> http.Response:
        if not facts.navigation:
            return self.refusal()
        form = askdesk.ask_form(self.runtime, decision, facts.url, profile)
        form += reportdesk.report_form(self.runtime, facts.url, profile)
        page = render_block_page(decision, facts.url.host, self.runtime.household.language, self.runtime.tz,
                                 extra_html=form, explain=explain, now=self.runtime.now())
        return http.Response.make(403, page, PAGE_HEADERS)

    def warning(self, decision: Decision, facts: RequestFacts, profile: str) -> http.Response:
        expires = str(int(time.time()) + WARNING_LINK_MINUTES * 60)
        target = facts.url.text
        query = urlencode({"to": target, "exp": expires, "sig": self.runtime.sign(profile, target, expires)})
        page = render_warn_page(decision, facts.url.host, self.runtime.household.language,
                                f"{RESERVED_PREFIX}continue?{query}")
        return http.Response.make(200, page, PAGE_HEADERS)

    def notice(self, notice: dict[str, object], target: str, now: datetime) -> http.Response:
        page = render_notice_page(notice, self.runtime.household.language, self.runtime.tz, now, target)
        return http.Response.make(200, page, PAGE_HEADERS)


def page_reply(answer: askdesk.Answer) -> http.Response:
    if answer.location:
        return redirect(answer.location, answer.status)
    return http.Response.make(answer.status, answer.html, PAGE_HEADERS)


def redirect(location: str, status: int = 303) -> http.Response:
    return http.Response.make(status, b"", {"Location": location, "Cache-Control": "no-store"})


def json_reply(payload: dict[str, object]) -> http.Response:
    return http.Response.make(200, json.dumps(payload), {"Content-Type": "application/json",
                                                          "Cache-Control": "no-store"})
