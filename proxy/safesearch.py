"""Safe search: the rewrite that turns a search request into its filtered form.

Design note. Each engine has its own switch, and we set it on the request itself at the proxy,
so the child's own settings, cookies or a hand-edited URL cannot turn it off:

- Google (every country domain): ``safe=active``; any other ``safe=`` value is removed.
- Bing: ``adlt=strict`` and the ``ADLT=STRICT`` field of the ``SRCHHPGUSR`` cookie.
- DuckDuckGo: ``kp=1``.
- Yandex: ``family=yes`` (family search).
- YouTube: the ``YouTube-Restrict`` header, a separate profile setting (``youtube_restrict``),
  because restricted mode also hides comments and families choose it on its own.
- Cốc Cốc: it publishes no safe-search switch (no URL parameter, header, cookie or DNS name),
  so its result pages are marked for content judging instead (``judge_results``).

Query strings are edited pair by pair, so every other parameter keeps its exact bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote_plus

from .household import Profile
from .reasons import Reason, Rewrite
from .urls import Url

YOUTUBE_HOSTS: frozenset[str] = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtubei.googleapis.com",
        "youtube.googleapis.com",
        "www.youtube-nocookie.com",
        "youtube-nocookie.com",
    }
)
YOUTUBE_HEADER = "YouTube-Restrict"

# Google serves search on google.<tld>, google.co.<cc> and google.com.<cc>; the rule is anchored on
# the whole host, so look-alikes such as google.com.evil.example do not match.
_COUNTRY_SUFFIX = r"(?:com|cat|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})"
_GOOGLE_HOST = re.compile(rf"^(?:(?:www|images|video|videos|news|m|encrypted)\.)?google\.{_COUNTRY_SUFFIX}$")
_GOOGLE_PATHS = ("/search", "/webhp", "/imghp", "/videohp", "/imgres")
_BING_HOST = re.compile(r"^(?:(?:www|cn)\.)?bing\.com$")
_BING_PATHS = ("/search", "/images/", "/videos/", "/news/", "/shop")
_DDG_HOST = re.compile(r"^(?:(?:www|html|lite|start|safe|links)\.)?duckduckgo\.com$")
_YANDEX_HOST = re.compile(r"^(?:www\.)?(?:yandex\.(?:ru|com|com\.tr|by|kz|ua|uz|az|fr)|ya\.ru)$")
_YANDEX_PATHS = ("/search", "/yandsearch", "/images/search", "/images/touch/search", "/video/search")
_COCCOC_HOST = re.compile(r"^(?:www\.)?coccoc\.com$")

BING_COOKIE = ("SRCHHPGUSR", "ADLT=STRICT")


@dataclass(frozen=True)
class Enforcement:
    """What safe search does to one request."""

    engine: str  # google, bing, duckduckgo, yandex, youtube, coccoc
    reason: Reason
    rewrite: Rewrite | None = None  # None when the request is already in its safe form
    judge_results: bool = False  # the engine has no safe mode: judge its result page's content


def enforce(url: Url, profile: Profile) -> Enforcement | None:
    """The safe-search rewrite for a request under a profile, or None if nothing applies."""
    if profile.youtube_restrict != "off" and url.host in YOUTUBE_HOSTS:
        return _youtube(profile.youtube_restrict)
    if not profile.safe_search:
        return None
    for engine in _ENGINES:
        found = engine(url)
        if found is not None:
            return found
    return None


def _youtube(mode: str) -> Enforcement:
    value = "Strict" if mode == "strict" else "Moderate"
    reason = Reason("safesearch", None, f"YouTube restricted mode ({value})", rule="youtube")
    return Enforcement("youtube", reason, Rewrite(headers=((YOUTUBE_HEADER, value),)))


def _google(url: Url) -> Enforcement | None:
    if not _GOOGLE_HOST.match(url.host):
        return None
    if not (_path_starts(url, _GOOGLE_PATHS) or _base_path(url) == "/images"):  # not /images/ (static files)
        return None
    reason = Reason("safesearch", None, "Google SafeSearch forced on (safe=active)", rule="google")
    return _with_params("google", url, {"safe": "active"}, reason)


def _bing(url: Url) -> Enforcement | None:
    if not _BING_HOST.match(url.host):
        return None
    cookie = (("Cookie", f"{BING_COOKIE[0]}={BING_COOKIE[1]}"),)
    reason = Reason("safesearch", None, "Bing SafeSearch forced to strict (adlt=strict)", rule="bing")
    if not _path_starts(url, _BING_PATHS):
        return Enforcement("bing", reason, Rewrite(headers=cookie))
    rewritten = force_params(url, {"adlt": "strict"})
    return Enforcement("bing", reason, Rewrite(url=rewritten, headers=cookie))


def _duckduckgo(url: Url) -> Enforcement | None:
    if not _DDG_HOST.match(url.host):
        return None
    base = _base_path(url)
    if base not in ("/", "/html", "/html/", "/lite", "/lite/", "/d.js") and "q" not in _param_names(url):
        return None
    reason = Reason("safesearch", None, "DuckDuckGo safe search forced to strict (kp=1)", rule="duckduckgo")
    return _with_params("duckduckgo", url, {"kp": "1"}, reason)


def _yandex(url: Url) -> Enforcement | None:
    if not (_YANDEX_HOST.match(url.host) and _path_starts(url, _YANDEX_PATHS)):
        return None
    reason = Reason("safesearch", None, "Yandex family search forced on (family=yes)", rule="yandex")
    return _with_params("yandex", url, {"family": "yes"}, reason)


def _coccoc(url: Url) -> Enforcement | None:
    if not (_COCCOC_HOST.match(url.host) and _path_starts(url, ("/search",))):
        return None
    reason = Reason(
        "safesearch", None, "Cốc Cốc has no safe search: its results are judged by content", rule="coccoc"
    )
    return Enforcement("coccoc", reason, None, judge_results=True)


_ENGINES: tuple[Callable[[Url], Enforcement | None], ...] = (_google, _bing, _duckduckgo, _yandex, _coccoc)


def _with_params(engine: str, url: Url, wanted: dict[str, str], reason: Reason) -> Enforcement:
    rewritten = force_params(url, wanted)
    return Enforcement(engine, reason, Rewrite(url=rewritten) if rewritten else None)


def force_params(url: Url, wanted: dict[str, str]) -> str | None:
    """The URL with exactly these parameters (any other value of theirs removed), or None if it has them."""
    base, _, query = url.path.partition("?")
    pairs = [pair for pair in query.split("&") if pair]
    keys = {key.lower() for key in wanted}
    kept = [pair for pair in pairs if _pair_key(pair).lower() not in keys]
    present = sorted(pair for pair in pairs if _pair_key(pair).lower() in keys)
    forced = [f"{key}={value}" for key, value in wanted.items()]
    if present == sorted(forced):
        return None
    path = base + "?" + "&".join(kept + forced)
    origin = url.text[: len(url.text) - len(url.path)] if url.text.endswith(url.path) else _origin(url)
    return origin + path


def _origin(url: Url) -> str:
    host = f"[{url.host}]" if ":" in url.host else url.host
    default = 443 if url.scheme in ("https", "wss") else 80
    return f"{url.scheme}://{host}" + ("" if url.port == default else f":{url.port}")


def _pair_key(pair: str) -> str:
    return unquote_plus(pair.split("=", 1)[0])


def _param_names(url: Url) -> set[str]:
    return {_pair_key(pair) for pair in url.path.partition("?")[2].split("&") if pair}


def _base_path(url: Url) -> str:
    return url.path.partition("?")[0]


def _path_starts(url: Url, prefixes: tuple[str, ...]) -> bool:
    return _base_path(url).startswith(prefixes)


def merge_header(name: str, existing: str | None, wanted: str) -> str:
    """The value to send for a rewrite header: cookies are merged by name, other headers replaced.

    A Cookie rewrite must not drop the child's other cookies (that would log them out), and a
    cookie holding ``&``-separated fields (Bing's SRCHHPGUSR) keeps its other fields.
    """
    if name.lower() != "cookie" or not existing:
        return wanted
    cookies = [part.strip() for part in existing.split(";") if part.strip()]
    for item in (part.strip() for part in wanted.split(";") if part.strip()):
        cookie_name, _, value = item.partition("=")
        for i, current in enumerate(cookies):
            current_name, _, current_value = current.partition("=")
            if current_name == cookie_name:
                cookies[i] = f"{cookie_name}={_merge_fields(current_value, value)}"
                break
        else:
            cookies.append(item)
    return "; ".join(cookies)


def _merge_fields(current: str, wanted: str) -> str:
    """Merge ``A=1&B=2`` style cookie values, the wanted fields winning."""
    if "=" not in wanted:
        return wanted
    fields = [field for field in current.split("&") if field]
    for item in wanted.split("&"):
        key = item.split("=", 1)[0]
        fields = [field for field in fields if field.split("=", 1)[0] != key]
        fields.append(item)
    return "&".join(fields)
