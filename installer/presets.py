"""Starting profiles by age group, so a parent gets sensible rules from one answer.

Younger children get more blocked and stricter classifiers; teenagers get warnings where a
younger child gets a block, because a warning they can read and choose from teaches more than
a wall. Every preset blocks what no child should meet; help sites are never blocked (the engine
guarantees that, whatever the profile says).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiteguard.proxy.categories import category_order
from kiteguard.proxy.household import Household, Profile


def _canonical(*names: str) -> tuple[str, ...]:
    """Categories in the canonical order, as the policy file writes them."""
    return tuple(sorted(names, key=category_order))


ALWAYS_BLOCK = ("adult", "gambling", "self_harm", "malware", "phishing")
PRESETS: dict[str, Profile] = {
    "6-9": Profile(
        name="6-9",
        block=_canonical(*ALWAYS_BLOCK, "violence", "drugs", "hate_bullying", "proxy_vpn", "dating", "social", "chat"),
        warn=_canonical("games", "video"),
        safe_search=True, youtube_restrict="strict", sensitivity="strict", block_ip_urls=True,
    ),
    "10-12": Profile(
        name="10-12",
        block=_canonical(*ALWAYS_BLOCK, "violence", "drugs", "hate_bullying", "proxy_vpn", "dating"),
        warn=_canonical("social", "chat", "games"),
        safe_search=True, youtube_restrict="strict", sensitivity="strict", block_ip_urls=True,
    ),
    "13-15": Profile(
        name="13-15",
        block=_canonical(*ALWAYS_BLOCK, "drugs", "proxy_vpn", "dating"),
        warn=_canonical("violence", "hate_bullying"),
        safe_search=True, youtube_restrict="moderate", sensitivity="balanced", block_ip_urls=True,
    ),
    "16-17": Profile(
        name="16-17",
        block=_canonical(*ALWAYS_BLOCK),
        warn=_canonical("violence", "drugs", "hate_bullying", "proxy_vpn", "dating"),
        safe_search=True, youtube_restrict="moderate", sensitivity="relaxed",
    ),
}
@dataclass(frozen=True)
class Child:
    name: str
    preset: str


class ChildError(ValueError):
    """A ``--child`` value that is not NAME:AGE."""


def preset_for_age(age: str) -> str:
    """"9" -> "6-9"; a preset name is returned as is."""
    if age in PRESETS:
        return age
    if not age.isdigit() or not 6 <= int(age) <= 17:
        raise ChildError(age)
    years = int(age)
    return next(name for name in PRESETS if int(name.split("-")[0]) <= years <= int(name.split("-")[1]))


def parse_child(value: str) -> Child:
    name, sep, age = value.rpartition(":")
    if not sep or not name.strip() or len(name.strip()) > 64:
        raise ChildError(value)
    try:
        return Child(name.strip(), preset_for_age(age.strip()))
    except ChildError:
        raise ChildError(value) from None


def household_for(children: tuple[Child, ...], language: str, base: Household) -> Household:
    """The household with one profile per child, keeping every other profile the parent made.

    The first child becomes the default profile, so an unknown device gets a child's rules
    rather than none.
    """
    made = tuple(replace(PRESETS[child.preset], name=child.name) for child in children)
    names = {profile.name for profile in made}
    kept = tuple(profile for profile in base.profiles if profile.name not in names)
    default = made[0].name if made else base.default_profile
    return replace(base, language=language, profiles=(*made, *kept), default_profile=default)
