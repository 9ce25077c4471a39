"""Blocklist parsers: every list format families meet, auto-detected, with junk counted per file.

A parser turns the text of one list into normalised entries (a domain, an ``@@`` exception, or a
host + path prefix) and counts what it could not use. Lines that are valid for their format but
that a host matcher cannot honour (cosmetic ``##`` rules, ``$option`` rules, regexes) are
*skipped*; bare IPs are counted on their own; anything else is *junk*. A file that is not a list
at all (an HTML error page, a binary, a PDF) raises ``NotAList``, so the caller keeps what it has.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from kiteguard.proxy.urls import InvalidHost, is_ip_literal, normalise_host

FORMATS = ("hosts", "plain", "adblock", "dnsmasq", "unbound", "wildcard", "urls")
MAX_TEXT_BYTES = 512 * 1024 * 1024  # a gzip bomb stops here, not in the kernel's OOM killer

BLOCK, EXCEPTION, URL = 0, 1, 2

_NAME = re.compile(r"(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)+(?!-)[a-z0-9_-]{1,63}(?<!-)")
_HOSTS = re.compile(r"(?:0\.0\.0\.0|127\.0\.0\.1|0|::1?|255\.255\.255\.255|fe80::1%lo0|[0-9.:]+)\s+(.+)")
_ADBLOCK_HOST = re.compile(r"(@@)?\|\|([^/^$|*]+)\^?\|?(?:\$(.*))?")
_DNSMASQ = re.compile(r"(address|server|local)=/(.+)/([^/]*)")
_UNBOUND = re.compile(r'local-zone:\s*"?([^"\s]+)"?\s+(\S+)')
_HARMLESS_OPTIONS = frozenset({"", "important", "all", "document", "doc"})
_BLOCKING_ZONES = frozenset(
    {"always_null", "always_nxdomain", "always_refuse", "refuse", "static", "deny", "inform_deny",
     "redirect", "always_deny", "noview"}
)
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
                          "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes",
                          "ip6-allrouters", "ip6-allhosts", "0.0.0.0"})


class NotAList(ValueError):
    """The content is not a blocklist (an HTML page, a binary, a file with nothing usable)."""


@dataclass(frozen=True)
class Counts:
    entries: int = 0
    exceptions: int = 0
    urls: int = 0
    skipped: int = 0  # valid rules a host matcher cannot honour (cosmetic, $option, regex)
    ips: int = 0
    junk: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.entries, self.exceptions, self.urls, self.skipped, self.ips, self.junk)


@dataclass(frozen=True)
class ParsedList:
    """Entries in file order: ``names[i]`` came from line ``lines[i]`` and is of kind ``kinds[i]``.

    For URL entries the name is the host and ``paths`` holds the lower-cased path prefix.
    """

    format: str
    names: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    kinds: bytearray = field(default_factory=bytearray)
    paths: dict[int, str] = field(default_factory=dict)  # entry index -> path prefix
    counts: Counts = Counts()


def normalise_entry(text: str) -> str | None:
    """A list entry as a matchable domain, or None if it is not one (IPs, dotless junk, bad labels)."""
    name = text.strip().lower().rstrip(".").lstrip(".")
    if _NAME.fullmatch(name) and len(name) <= 253:
        return None if name[name.rfind(".") + 1 :].isdigit() else name  # a.b.c.d is an IPv4 address
    try:
        name = normalise_host(name)
    except InvalidHost:
        return None
    if "." not in name or is_ip_literal(name) or name[name.rfind(".") + 1 :].isdigit():
        return None
    return name


def decode_content(data: bytes) -> str:
    """Bytes of a downloaded or imported file as text; gunzips; refuses HTML pages and binaries."""
    if data[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                data = stream.read(MAX_TEXT_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise NotAList(f"a damaged gzip file ({exc})") from None
        if len(data) > MAX_TEXT_BYTES:
            raise NotAList("the gzip file unpacks to more than 512 MiB")
    head = data[:65536]
    if b"\x00" in head or head.startswith(b"%PDF"):
        raise NotAList("a binary file, not a text list")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        if text[:65536].count("\ufffd") > 64:
            raise NotAList("a binary file, not a text list") from None
    sniff = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if sniff.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body")) or "<html" in sniff:
        raise NotAList("an HTML page, not a list (an error page or a login page?)")
    return text


def detect_format(text: str) -> str:
    """The most likely format, judged on the first few hundred rule lines."""
    score = dict.fromkeys(FORMATS, 0)
    seen = 0
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        seen += 1
        if line[0] == "!" or line.startswith(("||", "@@", "[adblock", "[Adblock")) or "##" in line:
            score["adblock"] += 1
        elif _DNSMASQ.match(line):
            score["dnsmasq"] += 1
        elif line.startswith(("local-zone:", "local-data:", "server:")):
            score["unbound"] += 1
        elif line.startswith("*."):
            score["wildcard"] += 1
        elif _HOSTS.match(line):
            score["hosts"] += 1
        elif "/" in line and " " not in line:
            score["urls"] += 1
        else:
            score["plain"] += 1
        if seen >= 400:
            break
    # Plain names are valid in most formats, so any clear sign of a specific syntax wins.
    best = max((name for name in FORMATS if name != "plain"), key=lambda name: score[name])
    return best if score[best] and score[best] * 10 >= seen else "plain"


def parse_text(text: str, fmt: str | None = None) -> ParsedList:
    """Parse one list. ``fmt`` overrides detection. Raises NotAList if nothing in it is usable."""
    fmt = fmt or detect_format(text)
    if fmt not in FORMATS:
        raise ValueError(f"unknown list format {fmt!r}; choose one of {', '.join(FORMATS)}")
    result = ParsedList(format=fmt)
    tally = [0, 0, 0, 0, 0, 0]  # as Counts
    extract = _EXTRACTORS[fmt]
    names, lines, kinds, paths = result.names, result.lines, result.kinds, result.paths
    fast = _FAST.get(fmt)
    for number, raw in enumerate(text.splitlines(), start=1):
        if fast is not None:
            # Most lines of a big list are one clean lower-case name: take it without the general path.
            match = fast(raw)
            if match is not None and len(raw) <= 253 and match.group(1) not in _LOCAL_NAMES:
                names.append(match.group(1))
                lines.append(number)
                kinds.append(BLOCK)
                tally[BLOCK] += 1
                continue
        line = raw.strip()
        if not line or line[0] in "#!;" or line.startswith(("[Adblock", "[adblock", "server:")):
            continue
        for kind, candidate, path in extract(line):
            if kind < 0:
                tally[-kind] += 1  # -3 skipped, -5 junk
                continue
            name = normalise_entry(candidate)
            if name is None:
                tally[4 if is_ip_literal(candidate.strip().strip("[]")) else 5] += 1
                continue
            if kind == URL:
                paths[len(names)] = path
            names.append(name)
            lines.append(number)
            kinds.append(kind)
            tally[kind] += 1
    counts = Counts(*tally)
    if not names and counts.ips and counts.ips >= counts.junk:
        raise NotAList(f"only IP addresses ({counts.ips}); Kiteguard lists hold host names")
    if not names and counts.junk and counts.junk >= counts.skipped:
        raise NotAList(f"no list entries found ({counts.junk} unrecognised lines)")
    return ParsedList(fmt, names, lines, kinds, paths, counts)


_SKIP, _JUNK = (-3, "", ""), (-5, "", "")
_CLEAN = r"((?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)+(?!-)[a-z0-9_-]{0,62}[a-z_])"
_FAST = {
    "plain": re.compile(_CLEAN).fullmatch,
    "wildcard": re.compile(r"(?:\*\.)?" + _CLEAN).fullmatch,
    "hosts": re.compile(r"(?:0\.0\.0\.0|127\.0\.0\.1)[ \t]+" + _CLEAN).fullmatch,
    "adblock": re.compile(r"\|\|" + _CLEAN + r"\^").fullmatch,
}


def _plain(line: str) -> Iterable[tuple[int, str, str]]:
    if line.startswith("*."):
        line = line[2:]
    if "#" in line:
        line = line.split("#", 1)[0].strip()
        if not line:
            return ()
    if " " in line or "\t" in line:
        return (_JUNK,)
    return ((BLOCK, line, ""),)


def _hosts(line: str) -> Iterable[tuple[int, str, str]]:
    if "#" in line:
        line = line.split("#", 1)[0].strip()
    match = _HOSTS.fullmatch(line)
    if match is None:
        return _plain(line) if line else ()
    return [(BLOCK, name, "") for name in match.group(1).split() if name.lower() not in _LOCAL_NAMES]


def _adblock(line: str) -> Iterable[tuple[int, str, str]]:
    if "##" in line or "#@#" in line or "#?#" in line or "#$#" in line or "#%#" in line:
        return (_SKIP,)
    match = _ADBLOCK_HOST.fullmatch(line)
    if match is None:
        rule_like = line.startswith(("/", "@@", "|", "$", "&", "-", ".", "_")) or "$" in line
        return (_SKIP,) if rule_like else (_JUNK,)
    options = match.group(3) or ""
    if any(option.strip() not in _HARMLESS_OPTIONS for option in options.split(",")):
        return (_SKIP,)
    return ((EXCEPTION if match.group(1) else BLOCK, match.group(2), ""),)


def _dnsmasq(line: str) -> Iterable[tuple[int, str, str]]:
    match = _DNSMASQ.fullmatch(line)
    if match is None:
        return (_JUNK,)
    directive, domains, target = match.groups()
    if directive == "server" and target not in ("", "#") and not target.startswith("0.0.0.0"):
        return (_SKIP,)  # forwarding a domain to another resolver does not block it
    kind = EXCEPTION if directive == "server" and target == "#" else BLOCK
    return [(kind, name, "") for name in domains.split("/") if name]


def _unbound(line: str) -> Iterable[tuple[int, str, str]]:
    match = _UNBOUND.match(line)
    if match is None:
        return (_SKIP,) if line.startswith("local-data") else (_JUNK,)
    zone, kind = match.groups()
    if kind in ("transparent", "typetransparent"):
        return ((EXCEPTION, zone, ""),)
    return ((BLOCK, zone, ""),) if kind in _BLOCKING_ZONES else (_SKIP,)


def _urls(line: str) -> Iterable[tuple[int, str, str]]:
    if "://" in line:
        line = line.split("://", 1)[1]
    host, slash, path = line.partition("/")
    if not slash or not path.strip("/"):
        return _plain(host)
    if " " in line:
        return (_JUNK,)
    return ((URL, host, "/" + path.lower()),)


_EXTRACTORS = {
    "hosts": _hosts,
    "plain": _plain,
    "adblock": _adblock,
    "dnsmasq": _dnsmasq,
    "unbound": _unbound,
    "wildcard": _plain,  # plain names and *.name lines
    "urls": _urls,
}
