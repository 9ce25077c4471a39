"""Routes around the filter, recognised from what a request or response looks like.

Each detector is pure and returns a ``Reason("bypass", ...)`` whose detail a parent can read, or
None. The engine (``policy.decide``) and the add-on decide what to do with it. Pages inside
translate proxies, archives and caches are read by ``wrappers``; web proxies and VPN sites are
a list category (``proxy_vpn``), not a detector.

Routes covered here:
- DNS over HTTPS: known resolver host names and IPs, ``/dns-query`` paths, DNS media types;
- bare-IP URLs (public addresses only: the router and printer on the home network are not a route);
- tunnels through CONNECT that carry neither TLS nor HTTP (SSH, SOCKS, VPN protocols);
- QUIC: ``Alt-Svc`` response headers that would move the browser to HTTP/3, around the proxy;
- redirects, whose targets are judged as new requests (``redirect_target``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import MutableMapping
from urllib.parse import urljoin, urlsplit

from .household import Profile
from .reasons import Reason
from .urls import InvalidHost, Url, host_suffixes, is_ip_literal, parse_url

# Resolvers' DoH host names; each entry also covers its subdomains (mozilla.cloudflare-dns.com,
# <id>.dns.nextdns.io, ...). Add new resolvers here and to docs/bypass.md.
DOH_DOMAINS: frozenset[str] = frozenset(
    {
        # Google
        "dns.google", "dns.google.com", "8888.google",
        # Cloudflare, including Mozilla's and Chrome's dedicated names and Zero Trust gateways
        "cloudflare-dns.com", "one.one.one.one", "cloudflare-gateway.com",
        # Quad9
        "dns.quad9.net", "dns9.quad9.net", "dns10.quad9.net", "dns11.quad9.net", "dns12.quad9.net",
        # OpenDNS (Cisco)
        "doh.opendns.com", "doh.familyshield.opendns.com", "doh.sandbox.opendns.com",
        # AdGuard
        "dns.adguard.com", "dns-family.adguard.com", "dns-unfiltered.adguard.com",
        "dns.adguard-dns.com", "family.adguard-dns.com", "unfiltered.adguard-dns.com", "d.adguard-dns.com",
        # NextDNS, Control D, CleanBrowsing, Mullvad, dns0.eu, DNS.SB
        "dns.nextdns.io", "freedns.controld.com", "dns.controld.com", "doh.cleanbrowsing.org",
        "dns.mullvad.net", "doh.mullvad.net", "dns0.eu", "doh.dns.sb", "doh.sb",
        # Asia: Alibaba, Tencent DNSPod, 360
        "dns.alidns.com", "doh.pub", "dns.pub", "doh.360.cn",
        # Others seen in browser and router presets
        "doh.libredns.gr", "dns.switch.ch", "doh.appliedprivacy.net", "dns.digitale-gesellschaft.ch",
        "ordns.he.net", "canadianshield.cira.ca", "doh.xfinity.com", "wikimedia-dns.org",
        "dns.surfsharkdns.com",
    }
)
DOH_IPS: frozenset[str] = frozenset(
    str(ipaddress.ip_address(ip))
    for ip in (
        "8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844",
        "1.1.1.1", "1.0.0.1", "1.1.1.2", "1.0.0.2", "1.1.1.3", "1.0.0.3",
        "2606:4700:4700::1111", "2606:4700:4700::1001",
        "9.9.9.9", "149.112.112.112", "9.9.9.10", "9.9.9.11", "2620:fe::fe", "2620:fe::9",
        "208.67.222.222", "208.67.220.220", "94.140.14.14", "94.140.15.15", "94.140.14.15", "94.140.15.16",
    )
)
DOH_MEDIA_TYPES = ("application/dns-message", "application/dns-json", "application/dns-udpwireformat")
QUIC_ADVERT_HEADERS = ("alt-svc",)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_LAN_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10")
)
_HTTP_STARTS = tuple(
    method.encode() + b" " for method in ("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE")
) + (b"CONNECT ", b"PRI * HTTP/2")


def doh_reason(url: Url, content_type: str | None = None, accept: str | None = None) -> Reason | None:
    """A bypass reason if the request is DNS over HTTPS, which would let a device skip family DNS."""
    rule = None
    if url.host in DOH_IPS:
        rule = url.host
    else:
        rule = next((suffix for suffix in host_suffixes(url.host) if suffix in DOH_DOMAINS), None)
    base = url.path.partition("?")[0]
    if rule is None and (base == "/dns-query" or base.endswith("/dns-query") or "/dns-query/" in base):
        rule = "/dns-query"
    media = ",".join(value.lower() for value in (content_type, accept) if value)
    if rule is None:
        rule = next((media_type for media_type in DOH_MEDIA_TYPES if media_type in media), None)
    if rule is None:
        return None
    detail = f"encrypted DNS (DNS over HTTPS) to {url.host}, which would get around the family filter"
    return Reason("bypass", "proxy_vpn", detail, rule=f"doh:{rule}")


def is_lan_address(host: str) -> bool:
    """True for addresses of devices on the home network (router, printer), which are not a bypass."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in net for net in _LAN_NETWORKS if net.version == address.version)


def disguised_ipv4(host: str) -> str | None:
    """The dotted address behind an IPv4 spelled as one number or in hex (3405803785, 0xcb007109), else None."""
    if is_ip_literal(host) or not all(label.isdigit() or label.startswith("0x") for label in host.split(".")):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))  # pure parsing: no lookup happens
    except OSError:
        return None


def bare_ip_reason(url: Url) -> Reason | None:
    """A bypass reason for a URL that names a public IP address instead of a site."""
    address = url.host if is_ip_literal(url.host) else disguised_ipv4(url.host)
    if address is None or is_lan_address(address):
        return None
    detail = f"a web address written as a bare IP number ({url.host}) instead of a site name"
    return Reason("bypass", None, detail, rule="bare-ip")


_TUNNEL_NAMES = {"ssh": "an SSH connection", "socks": "a SOCKS proxy"}


def tunnel_kind(first_bytes: bytes) -> str:
    """What the first bytes of a CONNECT tunnel carry: tls, http, ssh, socks or other."""
    if len(first_bytes) >= 2 and first_bytes[0] == 0x16 and first_bytes[1] == 0x03:
        return "tls"
    if first_bytes.startswith(_HTTP_STARTS):
        return "http"
    if first_bytes.startswith(b"SSH-"):
        return "ssh"
    if first_bytes[:1] in (b"\x04", b"\x05"):
        return "socks"
    return "other"


def tunnel_reason(first_bytes: bytes, host: str) -> Reason | None:
    """A bypass reason for a tunnel that is neither TLS nor HTTP: SSH, SOCKS, VPN and the like."""
    kind = tunnel_kind(first_bytes)
    if kind in ("tls", "http"):
        return None
    what = _TUNNEL_NAMES.get(kind, "a connection that is not web traffic")
    detail = f"{what} to {host} through the proxy, which could carry anything past the filter"
    return Reason("bypass", "proxy_vpn", detail, rule=f"tunnel:{kind}")


def is_websocket_upgrade(upgrade: str | None) -> bool:
    return upgrade is not None and "websocket" in upgrade.lower()


def strip_quic_adverts(headers: MutableMapping[str, str]) -> list[str]:
    """Remove headers that would move the browser to QUIC (HTTP/3 over UDP, around the proxy)."""
    removed = []
    for name in QUIC_ADVERT_HEADERS:
        if name in headers:
            del headers[name]
            removed.append(name)
    return removed


def redirect_target(url: Url, status: int, location: str | None) -> Url | None:
    """The URL a redirect sends the browser to, to be judged as a request of its own."""
    if status not in REDIRECT_STATUSES or not location:
        return None
    target = urljoin(url.text, location.strip())
    if urlsplit(target).scheme.lower() not in ("http", "https"):
        return None  # mailto:, data: and the like are not fetched through us
    try:
        return parse_url(target)
    except (InvalidHost, ValueError):
        return None  # an unreadable target: the browser cannot follow it either


def filters_anything(profile: Profile) -> bool:
    """Bypass routes matter only for profiles that restrict something (a child's, not a parent's)."""
    return bool(
        profile.block
        or profile.warn
        or profile.safe_search
        or profile.youtube_restrict != "off"
        or profile.block_ip_urls
        or profile.deny
        or profile.offline
        or profile.windows
        or profile.quotas
    )
