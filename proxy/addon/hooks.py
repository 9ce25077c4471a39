"""The mitmproxy add-on's hooks: decide each request, judge pages and redirects, refuse tunnels.

Blocked requests are answered here, so they never reach the network. The host
``kiteguard.invalid`` answers the proxy check, which only a browser going through Kiteguard can
reach; ``/__kiteguard/...`` on any host is answered by ``reserved``.
"""

from __future__ import annotations

import logging

from mitmproxy import http, tcp
from mitmproxy.proxy import layer, layers

from kiteguard.classifiers.page import is_judged

from .. import bypass
from ..pagecheck import PageJudge, wants_judging
from ..policy import RequestFacts, failure
from ..reasons import Decision, Reason
from ..resultfilter import hide_blocked_results
from ..runtime import Runtime
from ..streaming import MAX_BUFFERED, inflates_within, should_stream
from ..urls import InvalidHost, parse_url
from .flowfacts import apply_rewrite, is_navigation, is_page_activity, is_top_level_page, request_facts
from .replies import RESERVED_PREFIX, Replies, json_reply
from .reserved import ReservedPaths

log = logging.getLogger(__name__)

CHECK_HOST = "kiteguard.invalid"
BROWSER_HEADER = "X-Kiteguard-Browser"


class KiteguardAddon:
    def __init__(self, runtime: Runtime, pages: PageJudge | None = None) -> None:
        self.runtime = runtime
        self.pages = pages or PageJudge()
        self.replies = Replies(runtime)
        self.reserved = ReservedPaths(runtime)

    def requestheaders(self, flow: http.HTTPFlow) -> None:
        if flow.response or flow.error or not flow.live:
            return
        try:
            self._handle(flow)
        except Exception:  # never raise into mitmproxy: fail closed instead
            log.exception("request hook failed")
            decision = failure("internal error in the request hook")
            flow.response = self.replies.refusal("en")
            flow.metadata["kiteguard"] = {"action": decision.action, "source": "error"}
        if flow.response is not None:
            flow.metadata["kiteguard_answered"] = True  # our own page: no response rules apply to it

    def _handle(self, flow: http.HTTPFlow) -> None:
        request = flow.request
        token_id = request.headers.pop(BROWSER_HEADER, None)  # never let the tag reach the site
        profile = self.runtime.profile_for_browser(token_id)
        if request.pretty_host.lower().rstrip(".") == CHECK_HOST:
            flow.response = json_reply({"kiteguard": True, "profile": profile.name})
            return
        try:
            url = parse_url(request.pretty_url)
        except (InvalidHost, ValueError) as exc:
            flow.response = http.Response.make(400, f"Kiteguard: {exc}".encode(), {"Cache-Control": "no-store"})
            return
        facts = request_facts(flow, url)
        if request.path.startswith(RESERVED_PREFIX):
            self.reserved.answer_headers(flow, facts, profile.name)
            return
        decision = self.runtime.decide(facts, profile.name)
        flow.metadata["kiteguard"] = {"action": decision.action, "profile": profile.name, "category": decision.category,
                                      "judge_results": bool(dict(decision.extra).get("judge_results"))}
        if bypass.is_websocket_upgrade(request.headers.get("upgrade")) and decision.action != "allow":
            # A WebSocket cannot show a warning page, so anything short of "allow" refuses it.
            self.runtime.record(decision, facts, profile.name, action="block")
            flow.response = self.replies.refusal()
            return
        if decision.action == "block":
            self.runtime.record(decision, facts, profile.name)
            flow.response = self.replies.block(decision, facts, profile.name)
            return
        if decision.action == "warn" and facts.navigation:
            self.runtime.record(decision, facts, profile.name)
            flow.response = self.replies.warning(decision, facts, profile.name)
            return
        self.runtime.activity.note_traffic(profile.name, decision.category, page_activity=is_page_activity(request))
        if is_top_level_page(request) and not self.runtime.activity.extension_reports(profile.name, self.runtime.now()):
            notice = self.runtime.warner.take_page_notice(profile.name, self.runtime.now())
            if notice is not None:  # shown once; "continue" goes on to the page the child opened
                flow.response = self.replies.notice(notice, facts.url.text, self.runtime.now())
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
            flow.response = self.replies.block(judged.decision, facts, profile.name, judged.explanation)
        else:
            flow.response = self.replies.warning(judged.decision, facts, profile.name)

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
        flow.response = self.replies.block(decision, facts, profile_name)

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
        await self.reserved.answer_form(flow)  # a form's body is only here, after ``requestheaders``
