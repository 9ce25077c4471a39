"""Managed policies for Chrome, Chromium, Edge and Firefox.

They lock the proxy to Kiteguard's PAC file (mandatory: no direct fallback), force-install the
extension so it cannot be disabled, preset its pairing through managed storage (``3rdparty``),
turn off incognito/private and guest browsing, DNS-over-HTTPS and QUIC (which would slip past
an HTTP proxy), and force safe search and YouTube's restricted mode. Policies are machine-wide,
so YouTube gets the strictest level among the children's profiles; the proxy still applies each
profile's own level to the traffic.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiteguard.installer.actions import FileWrite, SystemRoot
from kiteguard.installer.wizard import Step

CHROMIUM_FAMILY: dict[str, str] = {
    "chrome": "/etc/opt/chrome/policies/managed/kiteguard.json",
    "chromium": "/etc/chromium/policies/managed/kiteguard.json",
    "edge": "/etc/opt/edge/policies/managed/kiteguard.json",
}
FIREFOX_FAMILY: dict[str, str] = {
    "firefox": "/etc/firefox/policies/policies.json",
    "firefox-esr": "/usr/lib/firefox-esr/distribution/policies.json",
}
YOUTUBE_LEVELS: dict[str, int] = {"off": 0, "moderate": 1, "strict": 2}


@dataclass(frozen=True)
class ExtensionSource:
    """Where browsers fetch the extension from: Kiteguard serves both packages locally."""

    chrome_id: str
    chrome_update_url: str
    firefox_id: str
    firefox_install_url: str


@dataclass(frozen=True)
class BrowserSettings:
    pac_url: str
    ca_path: str
    extension: ExtensionSource
    pairing: Mapping[str, str] = field(default_factory=dict)
    youtube: str = "strict"
    safe_search: bool = True


def strictest_youtube(levels: list[str]) -> str:
    """The strictest level asked for by any child ("off" when there are none)."""
    return max(levels, key=YOUTUBE_LEVELS.__getitem__, default="off")


def chromium_policy(settings: BrowserSettings) -> dict[str, Any]:
    ext = settings.extension
    return {
        "ProxySettings": {"ProxyMode": "pac_script", "ProxyPacUrl": settings.pac_url, "ProxyPacMandatory": True},
        "IncognitoModeAvailability": 1,
        "BrowserGuestModeEnabled": False,
        "DnsOverHttpsMode": "off",
        "QuicAllowed": False,
        "ForceGoogleSafeSearch": settings.safe_search,
        "ForceYouTubeRestrict": YOUTUBE_LEVELS[settings.youtube],
        "DeveloperToolsAvailability": 1,
        "ExtensionInstallForcelist": [f"{ext.chrome_id};{ext.chrome_update_url}"],
        "ExtensionSettings": {
            ext.chrome_id: {
                "installation_mode": "force_installed",
                "update_url": ext.chrome_update_url,
                "toolbar_pin": "force_pinned",
            }
        },
        "3rdparty": {"extensions": {ext.chrome_id: dict(settings.pairing)}},
    }


def firefox_policies(settings: BrowserSettings) -> dict[str, Any]:
    """Firefox has no safe-search policy: the proxy rewrites search URLs for it instead."""
    ext = settings.extension
    return {
        "Proxy": {"Mode": "autoConfig", "AutoConfigURL": settings.pac_url, "Locked": True},
        "DisablePrivateBrowsing": True,
        "DNSOverHTTPS": {"Enabled": False, "Locked": True},
        "Certificates": {"ImportEnterpriseRoots": True, "Install": [settings.ca_path]},
        "ExtensionSettings": {
            ext.firefox_id: {"installation_mode": "force_installed", "install_url": ext.firefox_install_url}
        },
        "3rdparty": {"Extensions": {ext.firefox_id: dict(settings.pairing)}},
        "Preferences": {"network.http.http3.enable": {"Value": False, "Status": "locked"}},
    }


def merged_firefox_file(existing: str, settings: BrowserSettings) -> str:
    """Our policies over whatever policies.json already held; an unreadable file is replaced."""
    try:
        current = json.loads(existing) if existing.strip() else {}
    except json.JSONDecodeError:
        current = {}
    if not isinstance(current, dict) or not isinstance(current.get("policies", {}), dict):
        current = {}
    policies = {**current.get("policies", {}), **firefox_policies(settings)}
    return _dump({**current, "policies": policies})


def policy_steps(settings: BrowserSettings, target: SystemRoot) -> tuple[Step, ...]:
    steps = [
        Step(
            id=f"policy-{browser}",
            title_key="step.policy_chromium",
            files=(FileWrite(path, _dump(chromium_policy(settings)).encode()),),
        )
        for browser, path in CHROMIUM_FAMILY.items()
    ]
    for browser, path in FIREFOX_FAMILY.items():
        on_disk = target.path(path)
        existing = on_disk.read_text(encoding="utf-8", errors="replace") if on_disk.is_file() else ""
        steps.append(
            Step(
                id=f"policy-{browser}",
                title_key="step.policy_firefox",
                files=(FileWrite(path, merged_firefox_file(existing, settings).encode()),),
            )
        )
    return tuple(steps)


def _dump(data: Mapping[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
