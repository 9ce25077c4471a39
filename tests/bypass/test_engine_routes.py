"""Every bypass route, judged by the engine itself (the add-on and `kiteguard check` call the same code).

Routes that also have a through-the-proxy test are in test_proxy_routes.py; docs/bypass.md lists both.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kiteguard.proxy.grants import Grant, GrantBook
from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.policy import Context, ListHit, RequestFacts, decide
from kiteguard.proxy.urls import parse_url

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)  # 16:00 in Hà Nội, a Monday
CHILD = Profile(name="child", block=("adult", "proxy_vpn"), warn=("dating",), safe_search=True,
                youtube_restrict="strict", deny=("example-bad.vn",))
STRICT_IP = Profile(name="strict", block=("adult",), block_ip_urls=True)
PARENT = Profile(name="parent")
HOUSEHOLD = Household(default_profile="child", profiles=(CHILD, STRICT_IP, PARENT))


class Lists:
    """A tiny real lookup: adult.example is adult, date.example is dating."""

    TABLE = {"adult.example": "adult", "date.example": "dating", "webproxy.example": "proxy_vpn"}

    def lookup(self, host: str, path: str) -> list[ListHit]:
        category = self.TABLE.get(host)
        return [ListHit(category, host, "test-list")] if category else []


def judge(url: str, profile: Profile = CHILD, grants: GrantBook | None = None, **facts: object):  # noqa: ANN201
    ctx = Context(household=HOUSEHOLD, now=NOW, lists=Lists(), grants=grants or GrantBook())
    return decide(RequestFacts(url=parse_url(url), **facts), profile, ctx)  # type: ignore[arg-type]


# -- DNS over HTTPS ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://dns.google/dns-query",
        "https://cloudflare-dns.com/dns-query",
        "https://mozilla.cloudflare-dns.com/dns-query",
        "https://1.1.1.1/dns-query",
        "https://dns.quad9.net/dns-query",
        "https://doh.opendns.com/dns-query",
        "https://dns.adguard-dns.com/dns-query",
        "https://dns.nextdns.io/abc123",
    ],
)
def test_doh_endpoints_are_blocked(url: str) -> None:
    decision = judge(url)
    assert decision.action == "block"
    assert decision.primary is not None and decision.primary.source == "bypass"
    assert "DNS over HTTPS" in decision.primary.detail


def test_doh_by_media_type_on_an_unknown_host_is_blocked() -> None:
    decision = judge("https://resolver.example/q", method="POST", content_type="application/dns-message")
    assert decision.action == "block"


def test_a_parent_allow_rule_for_a_resolver_is_respected() -> None:
    profile = Profile(name="child", block=("adult",), allow=("dns.google",))
    assert judge("https://dns.google/dns-query", profile).action == "allow"


def test_profiles_that_filter_nothing_are_not_held_back() -> None:
    assert judge("https://dns.google/dns-query", PARENT).action == "allow"


# -- translate proxies, archives and caches ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://example--bad-vn.translate.goog/",
        "https://translate.google.com/translate?u=https://example-bad.vn/",
        "https://web.archive.org/web/2024/https://example-bad.vn/",
        "https://archive.ph/newest/https://example-bad.vn/",
        "https://webcache.googleusercontent.com/search?q=cache:example-bad.vn/",
        "https://web.archive.org/web/2024/https://adult-example.translate.goog/",
        "https://adult-example.translate.goog/videos",
    ],
)
def test_wrapped_copies_of_blocked_sites_are_blocked(url: str) -> None:
    decision = judge(url)
    assert decision.action == "block"
    assert [reason.source for reason in decision.reasons][:1] == ["bypass"]
    assert "opened through" in decision.reasons[0].detail
    assert decision.reasons[1].source in ("custom", "blocklist")


def test_wrapped_copies_of_allowed_sites_stay_usable() -> None:
    assert judge("https://en-wikipedia-org.translate.goog/wiki/Hanoi?_x_tr_sl=en&_x_tr_tl=vi").action == "allow"


def test_a_wrapped_warning_site_warns_and_continuing_lifts_it() -> None:
    url = "https://date-example.translate.goog/"
    assert judge(url).action == "warn"
    grants = GrantBook()
    grants.add(Grant("child", "date-example.translate.goog", "continue", NOW.replace(hour=23)))
    assert judge(url, grants=grants).action == "allow"


def test_a_parent_approval_of_the_wrapped_page_lifts_its_block() -> None:
    url = "https://adult-example.translate.goog/"
    grants = GrantBook()
    grants.add(Grant("child", "adult-example.translate.goog", "parent", NOW.replace(hour=23)))
    assert judge(url, grants=grants).action == "allow"


def test_an_unreadable_wrapped_address_is_blocked_for_children() -> None:
    decision = judge("https://bad---vn.translate.goog/")
    assert decision.action == "block" and decision.primary is not None
    assert "cannot be read" in decision.primary.detail


# -- web proxies and VPN sites, and spellings of a blocked name --------------------------------------


def test_web_proxy_and_vpn_sites_are_blocked_by_their_category() -> None:
    decision = judge("https://webproxy.example/browse?u=example-bad.vn")
    assert decision.action == "block" and decision.category == "proxy_vpn"


@pytest.mark.parametrize(
    "url",
    ["https://EXAMPLE-BAD.VN/", "https://example-bad.vn./", "https://example-bad.vn:8443/", "https://www.example-bad.vn/"],
)
def test_other_spellings_of_a_denied_name_are_denied(url: str) -> None:
    assert judge(url).action == "block"


# -- bare-IP URLs -----------------------------------------------------------------------------------


def test_a_blocked_site_reached_by_its_ip_address_is_blocked() -> None:
    decision = judge("https://203.0.113.9/", names=("example-bad.vn",))
    assert decision.action == "block" and decision.primary is not None
    assert decision.primary.detail == "example-bad.vn reached by its IP address (203.0.113.9)"


@pytest.mark.parametrize(
    ("profile", "url", "action"),
    [
        (STRICT_IP, "http://203.0.113.9/", "block"),
        (CHILD, "http://203.0.113.9/", "allow"),  # block_ip_urls is off for this profile
        (STRICT_IP, "http://192.168.1.1/", "allow"),  # the home router is not a bypass route
        (STRICT_IP, "http://3405803785/", "block"),  # 203.0.113.9 spelled as one number
    ],
)
def test_bare_ip_urls_follow_the_profile(profile: Profile, url: str, action: str) -> None:
    assert judge(url, profile).action == action


# -- safe search, as the engine reports it (the per-engine table is in test_check_json.py) ------------


def test_coccoc_results_are_flagged_for_content_judging() -> None:
    decision = judge("https://coccoc.com/search?query=x")
    assert dict(decision.extra).get("judge_results") is True


def test_a_warned_search_page_still_gets_its_rewrite() -> None:
    profile = Profile(name="child", warn=("video",), youtube_restrict="moderate")
    ctx = Context(household=HOUSEHOLD, now=NOW, lists=_VideoList())
    decision = decide(RequestFacts(url=parse_url("https://www.youtube.com/")), profile, ctx)
    assert decision.action == "warn" and decision.rewrite is not None
    assert decision.rewrite.headers == (("YouTube-Restrict", "Moderate"),)


class _VideoList:
    def lookup(self, host: str, path: str) -> list[ListHit]:
        return [ListHit("video", "youtube.com", "test-list")] if host.endswith("youtube.com") else []
