"""The mitmproxy add-on: the only module that knows about mitmproxy.

Its request hook decides (through ``Runtime.decide``) and answers blocked requests itself, so
a blocked request never reaches the network. It also answers two reserved addresses on any
host: ``/__kiteguard/...`` (continue past a warning) and the host ``kiteguard.invalid`` (the
proxy check, which only a browser going through Kiteguard can reach).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from urllib.parse import parse_qs, urlencode

from mitmproxy import http, tcp
from mitmproxy.proxy import layer, layers

from kiteguard.classifiers.page import is_judged

from . import askdesk, bypass, reportdesk
from .i18n import translate
from .pagecheck import PageJudge, wants_judging
from .pages.render import render_block_page, render_message_page, render_warn_page
from .pages.timepages import render_notice_page
from .policy import RequestFacts, failure
from .reasons import Decision, Reason
from .resultfilter import hide_blocked_results
from .runtime import CONTINUE_MINUTES, Runtime
from .safesearch import merge_header
from .streaming import MAX_BUFFERED, inflates_within, should_stream
from .urls import InvalidHost, parse_url

log = logging.getLogger(__name__)

RESERVED_PREFIX = "/__kiteguard/"
CHECK_HOST = "kiteguard.invalid"
BROWSER_HEADER = "X-Kiteguard-Browser"
SUBRESOURCE_DESTS = {"image", "script", "style", "font", "audio", "video", "track", "manifest", "worker", "empty",
                     "object", "embed", "sharedworker", "serviceworker", "xslt", "report"}
PAGE_HEADERS = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "X-Kiteguard": "1"}


class KiteguardAddon:
    def __init__(self, runtime: Runtime, pages: PageJudge | None = None) -> None:
        self.runtime = runtime
        self.pages = pages or PageJudge()

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        try:
            self._handle(flow)
        except Exception:  # never raise into mitmproxy: fail closed instead
            log.exception("request hook failed")
            decision = failure("internal error in the request hook")
            flow.response = http.Response.make(403, translate("sub.blocked", "en"), {"Cache-Control": "no-store"})
            flow.metadata["kiteguard"] = {"action": decision.action, "source": "error"}
        if flow.response is not None:
            flow.metadata["kiteguard_answered"] = True  # our own page: no response rules apply to it

    def _handle(self, flow: http.HTTPFlow) -> None:
        request = flow.request
        token_id = request.headers.pop(BROWSER_HEADER, None)  # never let the tag reach the site
        profile = self.runtime.profile_for_browser(token_id)
        if request.pretty_host.lower().rstrip(".") == CHECK_HOST:
            flow.response = _json_response({"kiteguard": True, "profile": profile.name})
            return
        try:
            url = parse_url(request.pretty_url)
        except (InvalidHost, ValueError) as exc:
            flow.response = http.Response.make(400, f"Kiteguard: {exc}".encode(), {"Cache-Control": "no-store"})
            return
        facts = RequestFacts(
            url=url,
            method=request.method,
            navigation=is_navigation(request),
            content_type=request.headers.get("content-type"),
            accept=request.headers.get("accept"),
            names=server_names(flow),
        )
        if request.path.startswith(RESERVED_PREFIX):
            self._reserved(flow, facts, profile.name)
            return
        decision = self.runtime.decide(facts, profile.name)
        flow.metadata["kiteguard"] = {"action": decision.action, "profile": profile.name, "category": decision.category,
                                      "judge_results": bool(dict(decision.extra).get("judge_results"))}
        if bypass.is_websocket_upgrade(request.headers.get("upgrade")) and decision.action != "allow":
            # A WebSocket cannot show a warning page, so anything short of "allow" refuses it.
            self.runtime.record(decision, facts, profile.name, action="block")
            flow.response = http.Response.make(403, translate("sub.blocked", self.runtime.household.language),
                                               {"Cache-Control": "no-store", "X-Kiteguard": "1"})
            return
        if decision.action == "block":
            self.runtime.record(decision, facts, profile.name)
            flow.response = self._block_response(decision, facts, profile.name)
            return
        if decision.action == "warn" and facts.navigation:
            self.runtime.record(decision, facts, profile.name)
            flow.response = self._warn_response(decision, facts, profile.name)
            return
        self.runtime.activity.note_traffic(profile.name, decision.category, page_activity=is_page_activity(request))
        if is_top_level_page(request) and not self.runtime.activity.extension_reports(profile.name, self.runtime.now()):
            notice = self.runtime.warner.take_page_notice(profile.name, self.runtime.now())
            if notice is not None:  # shown once; "continue" goes on to the page the child opened
                page = render_notice_page(notice, self.runtime.household.language, self.runtime.tz,
                                          self.runtime.now(), facts.url.text)
                flow.response = http.Response.make(200, page, PAGE_HEADERS)
                return
        if decision.rewrite is not None:
            apply_rewrite(flow, decision)

    # -- responses from sites ------------------------------------------------------------------------

    def responseheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response is None or flow.metadata.get("kiteguard_answered") or not flow.live:
            return
        try:
            response = flow.response
            bypass.strip_quic_adverts(response.headers)  # keep the browser on TCP, through us
            if should_stream(response.status_code, response.headers.get("content-type"),
                             response.headers.get("content-length")):
                response.stream = True  # nothing reads this body: never hold a download in memory
        except Exception:  # never raise into mitmproxy
            log.exception("response headers hook failed")

    def response(self, flow: http.HTTPFlow) -> None:
        # Redirects are judged once the body is in, so a block page replaces the whole response.
        if flow.response is None or flow.metadata.get("kiteguard_answered") or not flow.live:
            return
        try:
            self._judge_redirect(flow)
            if flow.metadata.get("kiteguard", {}).get("judge_results"):
                self._hide_blocked_results(flow)
            elif flow.metadata.get("kiteguard", {}).get("profile") is not None:
                self._judge_page(flow)
        except Exception:  # never raise into mitmproxy; the browser's next request is judged anyway
            log.exception("response hook failed")

    def _judge_page(self, flow: http.HTTPFlow) -> None:
        """Read a page that no list knows; warn or block it if its text says it should be."""
        response = flow.response
        assert response is not None
        decided = flow.metadata["kiteguard"]
        if (response.status_code != 200 or not is_judged(response.headers.get("content-type"))
                or response.raw_content is None or not is_navigation(flow.request)):
            return
        profile = self.runtime.profile(decided.get("profile"))
        url = parse_url(flow.request.pretty_url)
        grant = self.runtime.grants.strongest(profile.name, url.host, self.runtime.now())
        if not wants_judging(profile, url.host, decided, grant):
            return
        judged = self.pages.judge(url.text, response.raw_content, response.headers.get("content-type"),
                                  response.headers.get("content-encoding"), profile, grant)
        if judged is None:
            return
        facts = RequestFacts(url=url, method=flow.request.method, navigation=True)
        self.runtime.record(judged.decision, facts, profile.name)
        flow.metadata["kiteguard"] = {**decided, "action": judged.decision.action,
                                      "category": judged.decision.category, "source": "classifier"}
        if judged.decision.action == "block":
            flow.response = self._block_response(judged.decision, facts, profile.name, judged.explanation)
        else:
            flow.response = self._warn_response(judged.decision, facts, profile.name)

    def _hide_blocked_results(self, flow: http.HTTPFlow) -> None:
        """Blur results that lead to blocked sites, on a search engine without a safe mode."""
        response = flow.response
        assert response is not None
        if response.stream or "text/html" not in response.headers.get("content-type", ""):
            return
        if not inflates_within(response.raw_content or b"", response.headers.get("content-encoding"), MAX_BUFFERED):
            return  # a compression bomb is passed on as it came, never inflated here
        profile = flow.metadata["kiteguard"].get("profile")

        def is_blocked(host: str) -> bool:
            facts = RequestFacts(url=parse_url(f"https://{host}/"), navigation=True)
            return self.runtime.decide(facts, profile).action == "block"

        filtered = hide_blocked_results(response.text or "", flow.request.pretty_host, is_blocked)
        if filtered.hidden_hosts:
            response.text = filtered.text

    def _judge_redirect(self, flow: http.HTTPFlow) -> None:
        """Judge a redirect's target as a request of its own, so every hop of a chain is seen."""
        response = flow.response
        assert response is not None
        if response.status_code not in bypass.REDIRECT_STATUSES or "location" not in response.headers:
            return  # most responses: no URL to parse (this hook runs for every one)
        try:
            source = parse_url(flow.request.pretty_url)
        except (InvalidHost, ValueError):
            return
        target = bypass.redirect_target(source, response.status_code, response.headers.get("location"))
        if target is None or target.host == source.host:
            return
        profile = flow.metadata.get("kiteguard", {}).get("profile")
        facts = RequestFacts(url=target, navigation=is_navigation(flow.request))
        judged = self.runtime.decide(facts, profile)
        if judged.action != "block":
            return  # a warning is shown when the browser follows the redirect
        reason = Reason("bypass", judged.category, f"a redirect from {source.host} to {target.host}",
                        rule="redirect")
        decision = Decision("block", judged.category, (reason, *judged.reasons), reopens_at=judged.reopens_at)
        profile_name = profile or self.runtime.household.default_profile
        self.runtime.record(decision, facts, profile_name)
        flow.response = self._block_response(decision, facts, profile_name)

    # -- tunnels that are not web traffic ------------------------------------------------------------

    def next_layer(self, nextlayer: layer.NextLayer) -> None:
        if isinstance(nextlayer.layer, layers.TCPLayer) and nextlayer.layer.flow is not None:
            nextlayer.layer.flow.metadata["kiteguard_first_bytes"] = nextlayer.data_client()[:64]

    def tcp_start(self, flow: tcp.TCPFlow) -> None:
        """Refuse a raw tunnel (SSH, SOCKS, VPN) before it connects, for profiles that filter anything."""
        try:
            profile = self.runtime.profile_for_browser(None)  # a raw tunnel carries no browser tag
            if not bypass.filters_anything(profile):
                return
            host, port = flow.server_conn.address or ("unknown", 0)
            reason = bypass.tunnel_reason(flow.metadata.get("kiteguard_first_bytes", b""), str(host))
            if reason is None:
                return
            flow.server_conn.error = f"Kiteguard: {reason.detail}"  # checked before connecting
            facts = RequestFacts(url=parse_url(f"http://{host}:{port}/"), navigation=False)
            self.runtime.record(Decision("block", reason.category, (reason,)), facts, profile.name)
        except Exception:  # fail closed: a tunnel we cannot judge does not open
            log.exception("tunnel hook failed")
            flow.server_conn.error = "Kiteguard: internal error"
    async def request(self, flow: http.HTTPFlow) -> None:
        """The ask-a-parent form's POST: its body is only here, after ``requestheaders``."""
        if flow.metadata.get("kiteguard_report") is not None and not (flow.response or flow.error):
            flow.response = await self._report(flow, flow.metadata["kiteguard_report"])
            return
        profile = flow.metadata.get("kiteguard_ask")
        if profile is None or flow.response or flow.error:
            return
        try:
            flow.response = await self._ask(flow, profile)
        except Exception:
            log.exception("the ask-a-parent form failed")
            flow.response = _page(askdesk.refused(self.runtime))

    # -- responses we make ---------------------------------------------------------------------------

    def _block_response(self, decision: Decision, facts: RequestFacts, profile: str,
                        explain: str = "") -> http.Response:
        language = self.runtime.household.language
        if not facts.navigation:
            return http.Response.make(403, translate("sub.blocked", language), {"Cache-Control": "no-store",
                                                                               "X-Kiteguard": "1"})
        form = askdesk.ask_form(self.runtime, decision, facts.url, profile)
        form += reportdesk.report_form(self.runtime, facts.url, profile)
        page = render_block_page(decision, facts.url.host, language, self.runtime.tz, extra_html=form,
                                 explain=explain, now=self.runtime.now())
        return http.Response.make(403, page, PAGE_HEADERS)

    async def _report(self, flow: http.HTTPFlow, profile: str) -> http.Response:
        try:
            host = parse_url(flow.request.pretty_url).host
            body = flow.request.get_content(strict=False) or b""
            return _page(await asyncio.to_thread(reportdesk.file_report, self.runtime, profile, host, body,
                                                 self.runtime.now()))
        except Exception:
            log.exception("the report form failed")
            return _page(askdesk.refused(self.runtime))

    async def _ask(self, flow: http.HTTPFlow, profile: str) -> http.Response:
        host = parse_url(flow.request.pretty_url).host
        ask = askdesk.read_ask(self.runtime, profile, host, flow.request.get_content(strict=False) or b"")
        if ask is None:
            return _page(askdesk.refused(self.runtime))
        now = self.runtime.now()
        request_id, pin_ok = await asyncio.to_thread(askdesk.file_ask, self.runtime, ask, now)
        return _page(askdesk.answer_ask(self.runtime, ask, request_id, pin_ok, now))

    def _warn_response(self, decision: Decision, facts: RequestFacts, profile: str) -> http.Response:
        expires = str(int(time.time()) + 15 * 60)
        target = facts.url.text
        query = urlencode({"to": target, "exp": expires, "sig": self.runtime.sign(profile, target, expires)})
        page = render_warn_page(decision, facts.url.host, self.runtime.household.language,
                                f"{RESERVED_PREFIX}continue?{query}")
        return http.Response.make(200, page, PAGE_HEADERS)

    def _reserved(self, flow: http.HTTPFlow, facts: RequestFacts, profile: str) -> None:
        action = flow.request.path[len(RESERVED_PREFIX):].split("?", 1)[0]
        if action == "continue":
            flow.response = self._continue(flow, facts, profile)
        elif action == "request" and flow.request.method == "POST":
            flow.metadata["kiteguard_ask"] = profile  # answered in the request hook, once the body is read
        elif action == "report" and flow.request.method == "POST":
            flow.metadata["kiteguard_report"] = profile
        else:
            flow.response = http.Response.make(404, b"Kiteguard: unknown address", {"Cache-Control": "no-store"})

    def _continue(self, flow: http.HTTPFlow, facts: RequestFacts, profile: str) -> http.Response:
        query = parse_qs(flow.request.path.split("?", 1)[1] if "?" in flow.request.path else "")
        target, expires, signature = (query.get(key, [""])[0] for key in ("to", "exp", "sig"))
        language = self.runtime.household.language
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
            return http.Response.make(400, render_message_page("notice.continue.bad", language), PAGE_HEADERS)
        self.runtime.grant(profile, target_url.host, "continue", CONTINUE_MINUTES)
        decision = self.runtime.decide(RequestFacts(url=target_url), profile)
        self.runtime.record(decision, RequestFacts(url=target_url), profile, action="continue")
        return http.Response.make(303, b"", {"Location": target, "Cache-Control": "no-store"})


def is_navigation(request: http.Request) -> bool:
    """Whether the child opened this as a page (so it deserves a full explanation)."""
    dest = request.headers.get("sec-fetch-dest")
    if dest:
        return dest not in SUBRESOURCE_DESTS
    accept = request.headers.get("accept", "")
    if not accept:
        return True
    return "text/html" in accept or accept.startswith("*/*")


def is_page_activity(request: http.Request) -> bool:
    """A page opened, or a script on an open page fetching: what counts as a minute of use."""
    dest = request.headers.get("sec-fetch-dest")
    if dest:
        return dest in ("document", "empty")
    if request.headers.get("x-requested-with", "").lower() == "xmlhttprequest":
        return True
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "application/json" in accept


def is_top_level_page(request: http.Request) -> bool:
    """A page opened in a tab (not a frame or a fetch): where a notice page may stand in for it."""
    if request.method != "GET":
        return False
    dest = request.headers.get("sec-fetch-dest")
    return dest == "document" if dest else "text/html" in request.headers.get("accept", "")


def apply_rewrite(flow: http.HTTPFlow, decision: Decision) -> None:
    rewrite = decision.rewrite
    if rewrite is None:
        return
    if rewrite.url:
        flow.request.url = rewrite.url
    for name, value in rewrite.headers:
        flow.request.headers[name] = merge_header(name, flow.request.headers.get(name), value)


def server_names(flow: http.HTTPFlow) -> tuple[str, ...]:
    """The other names the browser gave for the server: TLS SNI and the address it connected to."""
    names = (flow.client_conn.sni, flow.request.host, flow.request.host_header)
    return tuple(dict.fromkeys(name for name in names if name))


def _page(answer: askdesk.Answer) -> http.Response:
    if answer.location:
        return http.Response.make(answer.status, b"", {"Location": answer.location, "Cache-Control": "no-store"})
    return http.Response.make(answer.status, answer.html, PAGE_HEADERS)


def _json_response(payload: dict[str, object]) -> http.Response:
    return http.Response.make(200, json.dumps(payload), {"Content-Type": "application/json",
                                                          "Cache-Control": "no-store"})
