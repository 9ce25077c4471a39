"""What a mitmproxy request tells us: page or sub-resource, a minute of use, the server's names."""

from __future__ import annotations

from mitmproxy import http

from ..policy import RequestFacts
from ..reasons import Decision
from ..safesearch import merge_header
from ..urls import Url

SUBRESOURCE_DESTS = {"image", "script", "style", "font", "audio", "video", "track", "manifest", "worker", "empty",
                     "object", "embed", "sharedworker", "serviceworker", "xslt", "report"}


def request_facts(flow: http.HTTPFlow, url: Url) -> RequestFacts:
    request = flow.request
    return RequestFacts(
        url=url,
        method=request.method,
        navigation=is_navigation(request),
        content_type=request.headers.get("content-type"),
        accept=request.headers.get("accept"),
        names=server_names(flow),
    )


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
