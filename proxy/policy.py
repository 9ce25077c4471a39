"""The decision engine: pure functions from request facts, profile, time and usage to a Decision.

No mitmproxy, aiohttp or SQLite here. The add-on, ``kiteguard check`` and the settings page's
"why is this blocked?" all call ``decide``, so all three agree.

Order of precedence (first match wins):
  1. help pages (hotlines, sex education, anti-bullying) are always allowed;
  2. offline windows block everything else (``schedule``);
  3. the profile's custom rules, the most specific domain winning (``custom``);
  4. grants: "continue" lifts warnings, a parent's approval lifts list blocks;
  5. category lists (``blocklist``): a category in ``block`` blocks, in ``warn`` warns;
  6. category windows (``schedule``) and daily quotas (``quota``), for the request's categories.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from . import timerules
from .grants import GrantBook
from .helpsites import is_help_site
from .household import Household, Profile
from .reasons import ALLOW, Decision, Reason
from .urls import Url, host_suffixes


@dataclass(frozen=True)
class RequestFacts:
    url: Url
    method: str = "GET"
    navigation: bool = True  # a page the child opens, rather than an image or script inside one
    content_type: str | None = None


@dataclass(frozen=True)
class ListHit:
    """One list entry that matched: which category, and which rule of which list, for explanations."""

    category: str
    rule: str
    list_name: str
    line: int | None = None


class CategoryLookup(Protocol):
    def lookup(self, host: str, path: str) -> Sequence[ListHit]: ...


class UsageView(Protocol):
    def used_minutes(self, profile: str, category: str, day: date) -> float: ...

    def bonus_minutes(self, profile: str, category: str, day: date) -> int: ...


class NoLists:
    def lookup(self, host: str, path: str) -> Sequence[ListHit]:
        return ()


class NoUsage:
    def used_minutes(self, profile: str, category: str, day: date) -> float:
        return 0.0

    def bonus_minutes(self, profile: str, category: str, day: date) -> int:
        return 0


@dataclass(frozen=True)
class Context:
    """Everything besides the request that a decision depends on."""

    household: Household
    now: datetime  # aware
    lists: CategoryLookup = field(default_factory=NoLists)
    usage: UsageView = field(default_factory=NoUsage)
    grants: GrantBook = field(default_factory=GrantBook)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.household.timezone)


def decide(request: RequestFacts, profile: Profile, ctx: Context) -> Decision:
    host = request.url.host
    if is_help_site(host):
        return ALLOW
    reopens = timerules.offline_until(profile, ctx.now, ctx.tz)
    if reopens is not None:
        reason = Reason("schedule", None, "offline time", rule="offline")
        return Decision("block", None, (reason,), reopens_at=reopens)

    custom = custom_rule(profile, host)
    if custom is not None and custom[0] == "deny":
        return Decision("block", None, (Reason("custom", None, f"deny {custom[1]}", rule=custom[1]),))
    grant = ctx.grants.strongest(profile.name, host, ctx.now)
    hits = ctx.lists.lookup(host, request.url.path)
    categories = list(dict.fromkeys(hit.category for hit in hits))

    if custom is None and grant != "parent":
        for action in ("block", "warn"):
            if action == "warn" and grant == "continue":
                break
            for hit in hits:
                if profile.action_for(hit.category) == action:
                    reason = Reason("blocklist", hit.category, f"{hit.rule} in {hit.list_name}", rule=hit.rule)
                    return Decision(action, hit.category, (reason,))

    for category in categories:
        limited = time_limit(profile, category, ctx)
        if limited is not None:
            return limited
    return Decision("allow", categories[0] if categories else None)


def custom_rule(profile: Profile, host: str) -> tuple[str, str] | None:
    """("allow"|"deny", domain) for the most specific custom rule covering host, if any."""
    allow, deny = set(profile.allow), set(profile.deny)
    for suffix in host_suffixes(host):
        if suffix in deny:
            return ("deny", suffix)
        if suffix in allow:
            return ("allow", suffix)
    return None


def time_limit(profile: Profile, category: str, ctx: Context) -> Decision | None:
    """A block if the category is outside its windows or over today's quota, else None."""
    closed = timerules.category_closed_until(profile, category, ctx.now, ctx.tz)
    if closed is not None:
        reason = Reason("schedule", category, f"{category} is allowed only at set times", rule="windows")
        return Decision("block", category, (reason,), reopens_at=closed)
    quota = timerules.quota_minutes(profile, category, ctx.now, ctx.tz)
    if quota is None:
        return None
    day = timerules.local_day(ctx.now, ctx.tz)
    allowed = quota + ctx.usage.bonus_minutes(profile.name, category, day)
    used = ctx.usage.used_minutes(profile.name, category, day)
    if used >= allowed:
        reason = Reason("quota", category, f"{used:.0f} of {allowed} minutes used today", rule="quotas")
        return Decision("block", category, (reason,), reopens_at=timerules.next_midnight(ctx.now, ctx.tz))
    return None


def failure(detail: str) -> Decision:
    """Fail closed: an internal error blocks the request and is reported to the parent."""
    return Decision("block", None, (Reason("error", None, detail),))
