"""Exports of the lists in force for DNS servers on the home network.

One name per blocked domain, in the syntax each server loads as it is: a hosts file (Pi-hole,
any OS), dnsmasq ``address=`` lines, an Unbound ``server:`` clause of ``local-zone`` lines, a BIND
response-policy zone, and AdGuard/uBlock ``||name^`` rules. ``@@`` exceptions become the server's
own way of letting a name through where it has one. URL-prefix entries cannot be expressed in DNS
and are left out, and the header says how many.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .formats import BLOCK, EXCEPTION, URL

if TYPE_CHECKING:
    from .registry import Source

EXPORT_FORMATS = ("hosts", "dnsmasq", "unbound", "rpz", "adguard")


@dataclass(frozen=True)
class ExportSet:
    blocked: tuple[str, ...]
    allowed: tuple[str, ...]
    url_entries: int


def collect(lists_dir: Path, sources: Sequence[Source], categories: Sequence[str] | None) -> ExportSet:
    """Blocked and excepted names of the enabled sources, limited to ``categories`` if given."""
    from .compiler import read_names  # numpy: only when exporting, not for every CLI start

    blocked: set[str] = set()
    allowed: set[str] = set()
    urls = 0
    for source in sources:
        cache = lists_dir / "parsed" / f"{source.id}.npz"
        if not source.enabled or not cache.exists():
            continue
        wanted = [not categories or category in categories for _, category in source.parts]
        names, kinds, parts = read_names(cache)
        for name, kind, part in zip(names, kinds.tolist(), parts.tolist(), strict=True):
            if not wanted[part]:
                continue
            if kind == BLOCK:
                blocked.add(name)
            elif kind == EXCEPTION:
                allowed.add(name)
            elif kind == URL:
                urls += 1
    allowed -= blocked
    return ExportSet(tuple(sorted(blocked)), tuple(sorted(allowed)), urls)


def prune_covered(names: Iterable[str]) -> list[str]:
    """Drop names whose parent domain is also listed: DNS servers block subdomains with the parent."""
    pool = set(names)
    kept = []
    for name in sorted(pool):
        start = name.find(".") + 1
        covered = False
        while start and name.find(".", start) != -1:
            if name[start:] in pool:
                covered = True
                break
            start = name.find(".", start) + 1
        if not covered:
            kept.append(name)
    return kept


def render(export: ExportSet, fmt: str, now: datetime) -> str:
    """The export as the text of a config file."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    comment = ";" if fmt == "rpz" else "!" if fmt == "adguard" else "#"
    header = [
        f"{comment} Kiteguard blocklist export ({fmt}), {now.isoformat(timespec='seconds')}",
        f"{comment} {len(export.blocked)} blocked names, {len(export.allowed)} exceptions;"
        f" {export.url_entries} URL-prefix entries cannot be expressed in DNS and are left out",
    ]
    blocked = export.blocked if fmt == "hosts" else prune_covered(export.blocked)
    body = _RENDERERS[fmt](blocked, export.allowed, now)
    return "\n".join([*header, *body, ""])


def _hosts(blocked: Sequence[str], allowed: Sequence[str], now: datetime) -> list[str]:
    return [f"0.0.0.0 {name}" for name in blocked]


def _dnsmasq(blocked: Sequence[str], allowed: Sequence[str], now: datetime) -> list[str]:
    # address=/d/0.0.0.0 answers the domain and every subdomain; server=/d/# sends a name back upstream.
    lines = [f"address=/{name}/0.0.0.0" for name in blocked]
    return lines + [f"server=/{name}/#" for name in allowed]


def _unbound(blocked: Sequence[str], allowed: Sequence[str], now: datetime) -> list[str]:
    lines = ["server:"]
    lines += [f'    local-zone: "{name}." always_null' for name in blocked]
    return lines + [f'    local-zone: "{name}." transparent' for name in allowed]


def _rpz(blocked: Sequence[str], allowed: Sequence[str], now: datetime) -> list[str]:
    serial = now.strftime("%Y%m%d%H")
    lines = [
        "$TTL 300",
        f"@ IN SOA localhost. root.localhost. ({serial} 3600 600 86400 300)",
        "  IN NS localhost.",
    ]
    for name in allowed:
        lines += [f"{name} CNAME rpz-passthru.", f"*.{name} CNAME rpz-passthru."]
    for name in blocked:
        lines += [f"{name} CNAME .", f"*.{name} CNAME ."]
    return lines


def _adguard(blocked: Sequence[str], allowed: Sequence[str], now: datetime) -> list[str]:
    return [f"||{name}^" for name in blocked] + [f"@@||{name}^" for name in allowed]


_RENDERERS = {"hosts": _hosts, "dnsmasq": _dnsmasq, "unbound": _unbound, "rpz": _rpz, "adguard": _adguard}
