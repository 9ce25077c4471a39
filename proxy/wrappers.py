"""Pages served under someone else's host name: translate proxies, archives and caches.

A child who cannot open ``bad.vn`` can often open the same page as
``bad-vn.translate.goog``, ``web.archive.org/web/2024/https://bad.vn/`` or a Google cache copy.
``unwrap`` reads the address inside, so the engine judges the page as what it really is.

Google's translate proxy encodes the real host into one label: each ``-`` stands for a ``.``
and ``--`` for a literal ``-`` (``example--bad-vn.translate.goog`` is ``example-bad.vn``). The
scheme is https unless ``_x_tr_sch=http``; the proxy's own ``_x_tr_*`` parameters are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from .urls import InvalidHost, Url, parse_url

MAX_LAYERS = 4  # an archive of a translation of a cache copy is as deep as anyone goes

TRANSLATE_SUFFIX = ".translate.goog"
# translate.google.com on every country domain (translate.google.com.vn, ...), and its content host
_TRANSLATE_PAGE_HOST = re.compile(r"^translate\.google(?:usercontent)?\.(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})$")
TRANSLATE_PAGE_PATHS = ("/translate", "/website")  # also /translate_c and /translate_p
WAYBACK_HOSTS = {"web.archive.org": "/web/", "wayback.archive.org": "/web/", "arquivo.pt": "/wayback/"}
ARCHIVE_TODAY_HOSTS = frozenset(
    {"archive.today", "archive.is", "archive.ph", "archive.li", "archive.vn", "archive.md", "archive.fo"}
)
GOOGLE_CACHE_HOST = "webcache.googleusercontent.com"

_ARCHIVE_TODAY_STEP = re.compile(r"^(?:newest|oldest|timegate|timemap|[0-9][0-9.\-*]*|\*)$")
_CACHE_ID = re.compile(r"^[A-Za-z0-9_-]{6,24}:(?!//)")
_SCHEME_ONE_SLASH = re.compile(r"^(https?):/(?!/)", re.IGNORECASE)


@dataclass(frozen=True)
class Unwrapped:
    """One layer of wrapping: which service served the page, and the address inside, if readable."""

    route: str  # translate, archive or cache: stable strings used in events and docs
    service: str  # for parents: "Google Translate", "the Wayback Machine", ...
    inner: Url | None  # None when the wrapped address cannot be read

    def describe(self, outer: Url) -> str:
        if self.inner is None:
            return f"a page on {outer.host} ({self.service}) whose real address cannot be read"
        return f"{self.inner.host} opened through {self.service} ({outer.host})"


def unwrap(url: Url) -> Unwrapped | None:
    """The address one layer inside a translate proxy, archive or cache URL, or None if not wrapped."""
    if url.host.endswith(TRANSLATE_SUFFIX):
        return Unwrapped("translate", "Google Translate", _translate_goog(url))
    if _TRANSLATE_PAGE_HOST.match(url.host) and _base(url).startswith(TRANSLATE_PAGE_PATHS):
        target = _param(url, "u")
        return Unwrapped("translate", "Google Translate", _parse(target)) if target else None
    if url.host in WAYBACK_HOSTS:
        return _wayback(url, WAYBACK_HOSTS[url.host])
    if url.host in ARCHIVE_TODAY_HOSTS:
        return _archive_today(url)
    if url.host == GOOGLE_CACHE_HOST:
        return _google_cache(url)
    return None


def unwrap_all(url: Url) -> list[Unwrapped]:
    """Every layer, outermost first; stops at an unreadable layer or after MAX_LAYERS."""
    layers: list[Unwrapped] = []
    current: Url | None = url
    while current is not None and len(layers) < MAX_LAYERS:
        layer = unwrap(current)
        if layer is None:
            break
        layers.append(layer)
        current = layer.inner
    return layers


def decode_translate_host(label: str) -> str:
    """``example--bad-vn`` -> ``example-bad.vn``."""
    out: list[str] = []
    i = 0
    while i < len(label):
        if label.startswith("--", i):
            out.append("-")
            i += 2
        elif label[i] == "-":
            out.append(".")
            i += 1
        else:
            out.append(label[i])
            i += 1
    return "".join(out)


def _translate_goog(url: Url) -> Url | None:
    host = decode_translate_host(url.host[: -len(TRANSLATE_SUFFIX)])
    base, _, query = url.path.partition("?")
    pairs = [pair for pair in query.split("&") if pair]
    scheme = "https"
    kept = []
    for pair in pairs:
        key, _, value = pair.partition("=")
        if key == "_x_tr_sch" and value in ("http", "https"):
            scheme = value
        elif not key.startswith("_x_tr_"):
            kept.append(pair)
    return _parse(f"{scheme}://{host}{base}" + ("?" + "&".join(kept) if kept else ""))


def _wayback(url: Url, prefix: str) -> Unwrapped | None:
    path = url.path
    if path.startswith("/save/"):
        rest = path[len("/save/") :]
    elif path.startswith(prefix):
        _stamp, _, rest = path[len(prefix) :].partition("/")
    else:
        return None
    if not rest:
        return None
    service = "the Wayback Machine" if url.host != "arquivo.pt" else "Arquivo.pt"
    return Unwrapped("archive", service, _parse(rest.replace("*", "")))


def _archive_today(url: Url) -> Unwrapped | None:
    steps = url.path.lstrip("/").split("/")
    if steps[0] == "o" and len(steps) > 2:  # /o/<id>/<url>: the "original link" form
        steps = steps[2:]
    elif _ARCHIVE_TODAY_STEP.match(steps[0]):
        steps = steps[1:]
    rest = "/".join(steps)
    # A short snapshot id (/AbC12) names no address: the snapshot is judged by its content instead.
    if not rest or ("." not in rest.split("/")[0] and not rest.lower().startswith("http")):
        return None
    return Unwrapped("archive", "archive.today", _parse(rest))


def _google_cache(url: Url) -> Unwrapped | None:
    query = _param(url, "q")
    if not query or not query.startswith("cache:"):
        return None
    target = _CACHE_ID.sub("", query[len("cache:") :], count=1).split()[0] if query[6:].strip() else ""
    return Unwrapped("cache", "Google's cache", _parse(target) if target else None)


def _parse(text: str) -> Url | None:
    text = _SCHEME_ONE_SLASH.sub(r"\1://", text.strip())
    try:
        return parse_url(text)
    except (InvalidHost, ValueError):
        return None


def _base(url: Url) -> str:
    return url.path.partition("?")[0]


def _param(url: Url, name: str) -> str | None:
    for key, value in parse_qsl(url.path.partition("?")[2], keep_blank_values=True):
        if key == name:
            return value
    return None

