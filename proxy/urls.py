"""URL and host normalisation: every decision is made on the normalised form.

Lower case, no trailing dot, IDN labels as punycode, no port. IP literals are kept as they
are (IPv6 without brackets) so the engine can recognise bare-IP URLs.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


class InvalidHost(ValueError):
    """A host name that cannot be normalised."""


# Host names repeat on every request for a page's resources: both functions below are pure, so
# their answers are memoised (a browsing session touches a few hundred hosts; refusals are not kept).
@lru_cache(maxsize=8192)
def normalise_host(host: str) -> str:
    """Return the canonical form of a host name or IP literal, or raise InvalidHost."""
    text = host.strip()
    if text.startswith("[") and "]" in text:  # [::1]:8080
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # example.com:8080
        text = text.split(":", 1)[0]
    text = text.rstrip(".").lower()
    if not text:
        raise InvalidHost("empty host name")
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        pass
    if not text.isascii():
        try:
            text = text.encode("idna").decode("ascii")
        except UnicodeError as exc:
            raise InvalidHost(f"not a valid international name: {exc}") from None
    if len(text) > 253:
        raise InvalidHost("longer than 253 characters")
    labels = text.split(".")
    for label in labels:
        if not _LABEL.match(label):
            raise InvalidHost(f"label {label!r} is not allowed in a host name")
    return text


def is_ip_literal(host: str) -> bool:
    if ":" not in host and not host.replace(".", "").isdigit():
        return False  # a cheap test first: ip_address() raises twice for every host name, on every request
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Url:
    """A normalised URL, split into the parts the engine looks at."""

    scheme: str
    host: str
    port: int
    path: str  # path plus query, as sent
    text: str  # the full normalised URL

    @property
    def site(self) -> str:
        return self.host


def parse_url(url: str) -> Url:
    """Normalise an absolute http(s) URL. Raises InvalidHost or ValueError with a clear message."""
    candidate = url.strip()
    if "://" not in candidate:
        candidate = "http://" + candidate
    parts = urlsplit(candidate)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ValueError(f"{url!r} is not an http or https URL")
    if not parts.hostname:
        raise InvalidHost(f"{url!r} has no host name")
    host = normalise_host(parts.hostname)
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise ValueError(f"{url!r} has an invalid port") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    netloc = f"[{host}]" if ":" in host else host
    if port != DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    text = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return Url(scheme=scheme, host=host, port=port, path=path, text=text)


def host_suffixes(host: str) -> list[str]:
    """The host and each parent domain, most specific first: a.b.c -> [a.b.c, b.c, c]."""
    return list(_suffixes(host))


@lru_cache(maxsize=8192)
def _suffixes(host: str) -> tuple[str, ...]:
    if is_ip_literal(host):
        return (host,)
    labels = host.split(".")
    return tuple(".".join(labels[i:]) for i in range(len(labels)))
