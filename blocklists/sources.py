"""A catalogue of public lists worth subscribing to. Nothing here is fetched until a parent adds it.

Each entry records where the list lives, what it is for, its format and its licence, so the
settings page and ``kiteguard lists catalogue`` can show parents what they are choosing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    name: str
    url: str
    category: str | None  # None: UT1 archives name their own category folders
    format: str | None  # None: detected (UT1 archives, gzip)
    licence: str
    note: str = ""


_UT1 = "https://dsi.ut-capitole.fr/blacklists/download/{}.tar.gz"
_UT1_LICENCE = "CC BY-SA 4.0 (UT1, Fabrice Prigent, Université Toulouse 1 Capitole)"
_HOSTSVN = "https://raw.githubusercontent.com/bigdargon/hostsVN/master/extensions/{}"
_SW = "https://raw.githubusercontent.com/ShadowWhisperer/BlockLists/master/Lists/{}"
_BLP = "https://blocklistproject.github.io/Lists/{}.txt"
_SINF = "https://raw.githubusercontent.com/Sinfonietta/hostfiles/master/{}"

_UT1_NAMES = ("adult", "gambling", "agressif", "drogue", "dating", "social_networks", "games", "audio-video",
              "chat", "vpn", "redirector", "phishing", "malware")

# key, name, URL, category, format, licence, note
_TABLE: tuple[tuple[str, str, str, str | None, str | None, str, str], ...] = (
    # Vietnamese lists first: first users are Vietnamese families
    ("hostsvn-adult", "hostsVN adult (Vietnam)", _HOSTSVN.format("adult/hosts-VN"), "adult", "hosts", "MIT",
     "Vietnamese adult sites, kept by bigdargon"),
    ("hostsvn-gambling", "hostsVN gambling (Vietnam)", _HOSTSVN.format("gambling/hosts-VN"), "gambling",
     "hosts", "MIT", "Vietnamese betting sites"),
    ("hostsvn-threat", "hostsVN scams (Vietnam)", _HOSTSVN.format("threat/hosts-VN"), "phishing", "hosts",
     "MIT", "fake banks, fake prizes and scams aimed at Vietnamese users"),
    # UT1, the Toulouse university lists used by schools
    *((f"ut1-{name}", f"UT1 {name}", _UT1.format(name), None, None, _UT1_LICENCE, "") for name in _UT1_NAMES),
    # International lists
    ("shadowwhisperer-adult", "ShadowWhisperer adult", _SW.format("Adult"), "adult", "plain",
     "Unlicense", ""),
    ("shadowwhisperer-gambling", "ShadowWhisperer gambling", _SW.format("Gambling"), "gambling", "plain",
     "Unlicense", ""),
    ("shadowwhisperer-dating", "ShadowWhisperer dating", _SW.format("Dating"), "dating", "plain", "Unlicense",
     ""),
    ("shadowwhisperer-shock", "ShadowWhisperer shock", _SW.format("Shock"), "violence", "plain", "Unlicense",
     "gore and shock sites"),
    ("blocklistproject-porn", "Block List Project porn", _BLP.format("porn"), "adult", "hosts",
     "Unlicense", ""),
    ("blocklistproject-gambling", "Block List Project gambling", _BLP.format("gambling"), "gambling", "hosts",
     "Unlicense", ""),
    ("blocklistproject-drugs", "Block List Project drugs", _BLP.format("drugs"), "drugs", "hosts",
     "Unlicense", ""),
    ("blocklistproject-phishing", "Block List Project phishing", _BLP.format("phishing"), "phishing", "hosts",
     "Unlicense", ""),
    ("blocklistproject-malware", "Block List Project malware", _BLP.format("malware"), "malware", "hosts",
     "Unlicense", ""),
    ("sinfonietta-porn", "Sinfonietta pornography", _SINF.format("pornography-hosts"), "adult",
     "hosts", "MIT", ""),
    ("sinfonietta-social", "Sinfonietta social", _SINF.format("social-hosts"), "social", "hosts", "MIT", ""),
    ("hagezi-bypass", "HaGeZi DoH/VPN/proxy bypass",
     "https://raw.githubusercontent.com/hagezi/dns-blocklists/main/domains/doh-vpn-proxy-bypass.txt",
     "proxy_vpn", "plain", "GPL-3.0", "stops children switching to a VPN or private DNS"),
)

CATALOGUE: tuple[CatalogueEntry, ...] = tuple(CatalogueEntry(*row) for row in _TABLE)


def find_entry(key: str) -> CatalogueEntry | None:
    return next((entry for entry in CATALOGUE if entry.key == key), None)
