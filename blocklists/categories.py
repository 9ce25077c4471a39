"""Which of Kiteguard's 14 categories a third-party list belongs to.

UT1/squidGuard folders and hostsVN extensions name their categories themselves; this table maps
those names (and their upstream aliases) onto our ids. Names with no fitting category (shopping,
bank, press, ...) map to None and are left out of an import, which then says so.
docs/blocklists.md shows the same table for parents.
"""

from __future__ import annotations

from kiteguard.proxy.categories import CATEGORY_SET

UT1_CATEGORIES: dict[str, str] = {
    # sexual content
    "adult": "adult",
    "porn": "adult",
    "mixed_adult": "adult",
    "lingerie": "adult",
    # betting
    "gambling": "gambling",
    "arjel": "gambling",
    # violence and dangerous how-tos
    "agressif": "violence",
    "aggressive": "violence",
    "violence": "violence",
    "dangerous_material": "violence",
    # drugs
    "drogue": "drugs",
    "drugs": "drugs",
    # hate and sects
    "sect": "hate_bullying",
    # malicious sites
    "malware": "malware",
    "cryptojacking": "malware",
    "stalkerware": "malware",
    "ddos": "malware",
    "hacking": "malware",
    "dialer": "malware",
    "phishing": "phishing",
    # ways around the filter
    "vpn": "proxy_vpn",
    "redirector": "proxy_vpn",
    "proxy": "proxy_vpn",
    "strict_redirector": "proxy_vpn",
    "strong_redirector": "proxy_vpn",
    "doh": "proxy_vpn",
    "residential-proxies": "proxy_vpn",
    "dynamic-dns": "proxy_vpn",
    "remote-control": "proxy_vpn",
    "shortener": "proxy_vpn",
    # the rest
    "dating": "dating",
    "social_networks": "social",
    "games": "games",
    "audio-video": "video",
    "chat": "chat",
}

HOSTSVN_EXTENSIONS: dict[str, str] = {
    "adult": "adult",
    "gambling": "gambling",
    "threat": "phishing",
}


def category_for(folder: str) -> str | None:
    """Our category for a UT1/hostsVN folder name, a category id itself, or None."""
    name = folder.strip().lower()
    if name in CATEGORY_SET:
        return name
    return UT1_CATEGORIES.get(name) or HOSTSVN_EXTENSIONS.get(name)


def require_category(name: str) -> str:
    """Validate a --category value, accepting UT1/hostsVN names too."""
    category = category_for(name)
    if category is None:
        choices = ", ".join(sorted(CATEGORY_SET))
        raise ValueError(f"{name!r} is not a category; choose one of {choices}")
    return category
