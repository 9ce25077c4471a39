"""The reserved addresses under ``/__kiteguard/`` on any host: continue past a warning, ask, report."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import parse_qs

from mitmproxy import http

from .. import askdesk, reportdesk
from ..pages.render import render_message_page
from ..policy import RequestFacts
from ..runtime import CONTINUE_MINUTES, Runtime
from ..urls import InvalidHost, parse_url
from .replies import PAGE_HEADERS, RESERVED_PREFIX, page_reply, redirect

log = logging.getLogger(__name__)

ASK_KEY = "kiteguard_ask"
REPORT_KEY = "kiteguard_report"


class ReservedPaths:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def answer_headers(self, flow: http.HTTPFlow, facts: RequestFacts, profile: str) -> None:
        """Answer at once, or mark a form POST to be answered once its body is in."""
        action = flow.request.path[len(RESERVED_PREFIX):].split("?", 1)[0]
        if action == "continue":
            flow.response = self._continue(flow, facts, profile)
        elif action == "request" and flow.request.method == "POST":
            flow.metadata[ASK_KEY] = profile
        elif action == "report" and flow.request.method == "POST":
            flow.metadata[REPORT_KEY] = profile
        else:
            flow.response = http.Response.make(404, b"Kiteguard: unknown address", {"Cache-Control": "no-store"})

    async def answer_form(self, flow: http.HTTPFlow) -> None:
        """The ask-a-parent and report forms' POSTs: their bodies are only here, after the headers hook."""
        if flow.response or flow.error:
            return
        if flow.metadata.get(REPORT_KEY) is not None:
            flow.response = await self._report(flow, flow.metadata[REPORT_KEY])
        elif flow.metadata.get(ASK_KEY) is not None:
            flow.response = await self._ask(flow, flow.metadata[ASK_KEY])

    async def _report(self, flow: http.HTTPFlow, profile: str) -> http.Response:
        try:
            host = parse_url(flow.request.pretty_url).host
            body = flow.request.get_content(strict=False) or b""
            return page_reply(await asyncio.to_thread(reportdesk.file_report, self.runtime, profile, host, body,
                                                      self.runtime.now()))
        except Exception:
            log.exception("the report form failed")
            return page_reply(askdesk.refused(self.runtime))

    async def _ask(self, flow: http.HTTPFlow, profile: str) -> http.Response:
        try:
            host = parse_url(flow.request.pretty_url).host
            ask = askdesk.read_ask(self.runtime, profile, host, flow.request.get_content(strict=False) or b"")
            if ask is None:
                return page_reply(askdesk.refused(self.runtime))
            now = self.runtime.now()
            request_id, pin_ok = await asyncio.to_thread(askdesk.file_ask, self.runtime, ask, now)
            return page_reply(askdesk.answer_ask(self.runtime, ask, request_id, pin_ok, now))
        except Exception:
            log.exception("the ask-a-parent form failed")
            return page_reply(askdesk.refused(self.runtime))

    def _continue(self, flow: http.HTTPFlow, facts: RequestFacts, profile: str) -> http.Response:
        query = parse_qs(flow.request.path.split("?", 1)[1] if "?" in flow.request.path else "")
        target, expires, signature = (query.get(key, [""])[0] for key in ("to", "exp", "sig"))
        try:
            target_url = parse_url(target)
            valid = (
                self.runtime.verify(signature, profile, target, expires)
                and int(expires) > time.time()
                and target_url.host == facts.url.host  # never an open redirect to another site
            )
        except (ValueError, InvalidHost):
            valid = False
        if not valid:
            page = render_message_page("notice.continue.bad", self.runtime.household.language)
            return http.Response.make(400, page, PAGE_HEADERS)
        self.runtime.grant(profile, target_url.host, "continue", CONTINUE_MINUTES)
        decision = self.runtime.decide(RequestFacts(url=target_url), profile)
        self.runtime.record(decision, RequestFacts(url=target_url), profile, action="continue")
        return redirect(target)
