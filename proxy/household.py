"""The household policy model: immutable values that every part of Kiteguard reads.

The TOML file (``policyfile``), the settings page and the engine all speak this model, so
the page and the file can never disagree. Parsing and validation live in ``policyfile``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_GROUPS: dict[str, tuple[str, ...]] = {
    "weekday": ("mon", "tue", "wed", "thu", "fri"),
    "weekend": ("sat", "sun"),
}
LANGUAGES: tuple[str, ...] = ("vi", "en")
SENSITIVITIES: tuple[str, ...] = ("strict", "balanced", "relaxed")
YOUTUBE_MODES: tuple[str, ...] = ("off", "moderate", "strict")


@dataclass(frozen=True)
class TimeWindow:
    """A half-open interval [start, end) on the given days; it may cross midnight.

    A window that crosses midnight belongs to the day on which it starts.
    """

    days: tuple[str, ...]
    start: time
    end: time

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start


@dataclass(frozen=True)
class CategoryWindow:
    """A category is allowed only inside its windows."""

    category: str
    window: TimeWindow


@dataclass(frozen=True)
class Quotas:
    """Minutes per category per day.

    ``daily`` applies every day; ``overrides`` maps a day name or a group ("weekday",
    "weekend") to per-category minutes. A single day beats its group, which beats ``daily``.
    """

    daily: tuple[tuple[str, int], ...] = ()
    overrides: tuple[tuple[str, tuple[tuple[str, int], ...]], ...] = ()

    def minutes_for(self, category: str, day: str) -> int | None:
        """The quota for a category on a day ("mon".."sun"), or None when unlimited."""
        by_key = dict(self.overrides)
        for key in (day, _group_of(day)):
            minutes = dict(by_key.get(key, ())).get(category)
            if minutes is not None:
                return minutes
        return dict(self.daily).get(category)

    def categories(self) -> tuple[str, ...]:
        names = {name for name, _ in self.daily}
        for _, table in self.overrides:
            names.update(name for name, _ in table)
        return tuple(sorted(names))

    def __bool__(self) -> bool:
        return bool(self.daily or self.overrides)


def _group_of(day: str) -> str:
    return "weekend" if day in DAY_GROUPS["weekend"] else "weekday"


@dataclass(frozen=True)
class Profile:
    name: str
    block: tuple[str, ...] = ()
    warn: tuple[str, ...] = ()
    safe_search: bool = False
    youtube_restrict: str = "off"
    sensitivity: str = "balanced"
    block_ip_urls: bool = False
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    offline: tuple[TimeWindow, ...] = ()
    windows: tuple[CategoryWindow, ...] = ()
    quotas: Quotas = field(default_factory=Quotas)

    def action_for(self, category: str) -> str:
        """What the profile does with a category: block, warn or allow."""
        if category in self.block:
            return "block"
        if category in self.warn:
            return "warn"
        return "allow"


@dataclass(frozen=True)
class Household:
    language: str = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    default_profile: str = "default"
    retention_days: int = 30
    log_full_urls: bool = False
    profiles: tuple[Profile, ...] = (Profile(name="default"),)

    def profile(self, name: str | None) -> Profile:
        """The named profile; an unknown or missing name gets the default profile, never a looser one."""
        for profile in self.profiles:
            if profile.name == name:
                return profile
        return self.default()

    def default(self) -> Profile:
        for profile in self.profiles:
            if profile.name == self.default_profile:
                return profile
        raise LookupError(f"default profile {self.default_profile!r} is missing")  # validation prevents this

    def profile_names(self) -> tuple[str, ...]:
        return tuple(profile.name for profile in self.profiles)
