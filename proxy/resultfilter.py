"""Blurring harmful results on a search page that has no safe mode of its own (Cốc Cốc).

Each link on the result page to another site is judged like a request to that site (lists,
the parent's rules); a link the child could not open anyway is blurred and made unclickable, so
the title and address of a blocked site are not on show. Its text stays in the page, blurred,
rather than removed, so the page layout never breaks.

The page is edited as text, link by link: no HTML parser rebuilds the document, so everything
else arrives byte for byte. Only ``<a href="http...">`` links are touched, and at most
``MAX_HOSTS`` distinct sites are judged per page, which keeps a huge page cheap.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from .urls import InvalidHost, normalise_host

MAX_HOSTS = 60
HIDDEN_STYLE = "filter:blur(5px);pointer-events:none;user-select:none"
_ANCHOR = re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<href>https?://[^\"']+)(?P=q)[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class FilteredPage:
    text: str
    hidden_hosts: tuple[str, ...]


def hide_blocked_results(page: str, own_host: str, is_blocked: Callable[[str], bool]) -> FilteredPage:
    """Blur links to sites that ``is_blocked`` refuses; links back to the search engine are left alone."""
    verdicts: dict[str, bool] = {}
    hidden: list[str] = []

    def replace(match: re.Match[str]) -> str:
        host = _host_of(html.unescape(match.group("href")))
        if host is None or host == own_host or host.endswith("." + own_host):
            return match.group(0)
        if host not in verdicts:
            if len(verdicts) >= MAX_HOSTS:
                return match.group(0)
            verdicts[host] = is_blocked(host)
            if verdicts[host]:
                hidden.append(host)
        if not verdicts[host]:
            return match.group(0)
        tag = match.group(0)
        start, end = match.span("href")
        offset = match.start()
        tag = tag[: start - offset] + "about:blank" + tag[end - offset :]
        return tag[:2] + f' data-kiteguard="hidden" aria-hidden="true" style="{HIDDEN_STYLE}"' + tag[2:]

    return FilteredPage(_ANCHOR.sub(replace, page), tuple(hidden))


def _host_of(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
        return normalise_host(host) if host else None
    except (InvalidHost, ValueError):
        return None
