"""Age presets: sensible starting rules a parent can pick for a child, then adjust.

A preset sets the categories, safe search, YouTube's restricted mode, the classifier's
sensitivity and the daily quotas. It leaves the child's own sites and time windows alone.
"""

from __future__ import annotations

from dataclasses import dataclass

HARMFUL = ("adult", "gambling", "violence", "drugs", "self_harm", "malware", "phishing", "proxy_vpn")


@dataclass(frozen=True)
class Preset:
    id: str
    block: tuple[str, ...]
    warn: tuple[str, ...]
    youtube_restrict: str
    sensitivity: str
    daily: tuple[tuple[str, int], ...]
    weekend: tuple[tuple[str, int], ...]
    block_ip_urls: bool

    def apply(self, profile: dict[str, object]) -> None:
        """Change a profile table (as in the policy file) in place."""
        profile["block"] = list(self.block)
        profile["warn"] = list(self.warn)
        profile["safe_search"] = True
        profile["youtube_restrict"] = self.youtube_restrict
        profile["sensitivity"] = self.sensitivity
        profile["block_ip_urls"] = self.block_ip_urls
        quotas: dict[str, object] = dict(self.daily)
        if self.weekend:
            quotas["weekend"] = dict(self.weekend)
        profile["quotas"] = quotas


PRESETS: tuple[Preset, ...] = (
    Preset("6-9", HARMFUL + ("hate_bullying", "dating", "social", "chat"), ("games", "video"), "strict", "strict",
           (("games", 30), ("video", 45)), (("games", 60), ("video", 60)), True),
    Preset("10-12", HARMFUL + ("dating",), ("hate_bullying", "social", "chat"), "strict", "strict",
           (("social", 30), ("games", 60), ("video", 60)), (("games", 90), ("video", 90)), True),
    Preset("13-15", ("adult", "gambling", "drugs", "self_harm", "malware", "phishing", "proxy_vpn"),
           ("violence", "hate_bullying", "dating"), "moderate", "balanced",
           (("social", 60), ("games", 90), ("video", 90)), (("games", 120), ("video", 120)), False),
    Preset("16-17", ("adult", "gambling", "self_harm", "malware", "phishing"),
           ("violence", "drugs", "hate_bullying", "proxy_vpn", "dating"), "moderate", "relaxed", (), (), False),
)


def preset(preset_id: str) -> Preset:
    for candidate in PRESETS:
        if candidate.id == preset_id:
            return candidate
    raise KeyError(f"unknown age preset {preset_id!r}; known: {', '.join(p.id for p in PRESETS)}")
