"""The decision engine: pure functions from request facts, profile, time and usage to a Decision.

No mitmproxy, aiohttp or SQLite here. The add-on, ``kiteguard check`` and the settings page's
"why is this blocked?" all call ``decide``, so all three agree.

Order of precedence (first match wins):
  1. help pages (hotlines, sex education, anti-bullying) are always allowed;
  2. offline windows block everything else (``schedule``);
  3. bypass routes, for profiles that filter anything (``bypass``): a page inside a translate
     proxy, archive or cache is judged as the page inside; DNS over HTTPS is blocked; a bare-IP
     URL is judged by the host names the browser sent with it, and blocked if the profile says so;
  4. the profile's custom rules, the most specific domain winning (``custom``);
  5. grants: "continue" lifts warnings, a parent's approval lifts list blocks;
  6. category lists (``blocklist``): a category in ``block`` blocks, in ``warn`` warns;
  7. category windows (``schedule``) and daily quotas (``quota``), for the request's categories.

A request that is allowed or warned about then gets its safe-search rewrite (``safesearch``),
so even a search page the child continued to still returns filtered results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from . import bypass, safesearch, timerules
from .grants import GrantBook
from .helpsites import is_help_site
from .household import Household, Profile
from .reasons import ALLOW, Action, Decision, Reason
from .urls import Url, host_suffixes, is_ip_literal, normalise_host, parse_url
from .wrappers import unwrap_all

TIME_SOURCES = ("schedule", "quota")


@dataclass(frozen=True)
class RequestFacts:
    url: Url
    method: str = "GET"
    navigation: bool = True  # a page the child opens, rather than an image or script inside one
    content_type: str | None = None
    accept: str | None = None
    # Other names the browser gave for the server (the Host header, the TLS SNI); a bare-IP URL
    # is judged by these too, so an IP address is no way around a site's block.
    names: tuple[str, ...] = ()


class ListHit(NamedTuple):
    """One list entry that matched: which category, and which rule of which list, for explanations.

    A named tuple rather than a dataclass: the matcher builds one per hit on the hot path.
    """

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
    decision = _judge(request, profile, ctx)
    if decision.action == "block":
        return decision
    return with_safe_search(decision, request.url, profile)


def with_safe_search(decision: Decision, url: Url, profile: Profile) -> Decision:
    """Add the safe-search rewrite, if any, to an allow or warn decision."""
    enforced = safesearch.enforce(url, profile)
    if enforced is None:
        return decision
    extra = decision.extra + ((("judge_results", True),) if enforced.judge_results else ())
    return replace(decision, reasons=decision.reasons + (enforced.reason,), rewrite=enforced.rewrite, extra=extra)


def _judge(request: RequestFacts, profile: Profile, ctx: Context) -> Decision:
    host = request.url.host
    if is_help_site(host):
        return ALLOW
    reopens = timerules.offline_until(profile, ctx.now, ctx.tz)
    if reopens is not None:
        reason = Reason("schedule", None, "offline time", rule="offline")
        return Decision("block", None, (reason,), reopens_at=reopens)
    if bypass.filters_anything(profile):
        routed = bypass_route(request, profile, ctx)
        if routed is not None:
            return routed

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


def bypass_route(request: RequestFacts, profile: Profile, ctx: Context) -> Decision | None:
    """The decision for a request that takes a route around the filter, or None if it takes none."""
    url = request.url
    layers = unwrap_all(url)
    if layers:
        inner = layers[-1].inner
        outer = layers[-2].inner if len(layers) > 1 and layers[-2].inner else url
        if inner is None:
            return _bypassed("block", "proxy_vpn", layers[-1].describe(outer), layers[-1].route, ())
        judged = decide(replace(request, url=inner, names=()), profile, ctx)
        grant = ctx.grants.strongest(profile.name, url.host, ctx.now)
        if judged.action == "warn" and grant is not None:
            return None  # the child already chose to continue on this wrapped page
        if grant == "parent" and judged.primary is not None and judged.primary.source not in TIME_SOURCES:
            return None  # a parent approved this very page; time rules still apply to it
        if judged.action != "allow":
            return _bypassed(judged.action, judged.category, layers[-1].describe(outer), layers[-1].route,
                             judged.reasons, reopens_at=judged.reopens_at)
        return None
    explicit = custom_rule(profile, url.host)
    if explicit is not None and explicit[0] == "allow":
        return None  # a parent's own allow rule for a resolver or an address is their choice
    doh = bypass.doh_reason(url, request.content_type, request.accept)
    if doh is not None:
        return Decision("block", doh.category, (doh,))
    if is_ip_literal(url.host) or bypass.disguised_ipv4(url.host):
        return _by_ip(request, profile, ctx)
    return None


def _by_ip(request: RequestFacts, profile: Profile, ctx: Context) -> Decision | None:
    url = request.url
    for name in request.names:
        try:
            host = normalise_host(name)
        except ValueError:
            continue
        if host == url.host or is_ip_literal(host):
            continue
        named = parse_url(f"{url.scheme}://{host}:{url.port}{url.path}")
        judged = decide(replace(request, url=named, names=()), profile, ctx)
        if judged.action != "allow":
            detail = f"{host} reached by its IP address ({url.host})"
            return _bypassed(judged.action, judged.category, detail, "bare-ip", judged.reasons,
                             reopens_at=judged.reopens_at)
    reason = bypass.bare_ip_reason(url)
    if reason is not None and profile.block_ip_urls:
        return Decision("block", None, (reason,))
    return None


def _bypassed(action: Action, category: str | None, detail: str, route: str, reasons: tuple[Reason, ...],
              reopens_at: datetime | None = None) -> Decision:
    """A decision led by a ``bypass`` reason that names the route, followed by why the page itself is refused."""
    reason = Reason("bypass", category, detail, rule=route)
    return Decision(action, category, (reason,) + reasons, reopens_at=reopens_at)


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
