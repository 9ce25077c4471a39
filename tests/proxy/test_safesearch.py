from __future__ import annotations

import pytest

from kiteguard.proxy.household import Profile
from kiteguard.proxy.safesearch import enforce, force_params, merge_header
from kiteguard.proxy.urls import parse_url

SAFE = Profile(name="child", safe_search=True)
OFF = Profile(name="adult")
STRICT_YT = Profile(name="teen", youtube_restrict="strict")
MODERATE_YT = Profile(name="teen", youtube_restrict="moderate")


def rewritten(url: str, profile: Profile = SAFE) -> str | None:
    found = enforce(parse_url(url), profile)
    assert found is not None, f"safe search did not touch {url}"
    return found.rewrite.url if found.rewrite else None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Google, every country domain, web / images / video search
        ("https://www.google.com/search?q=cats", "https://www.google.com/search?q=cats&safe=active"),
        ("https://www.google.com.vn/search?q=m%C3%A8o&safe=off", "https://www.google.com.vn/search?q=m%C3%A8o&safe=active"),
        ("https://google.co.uk/search?safe=images&q=x", "https://google.co.uk/search?q=x&safe=active"),
        ("https://www.google.de/search?q=x&tbm=isch&safe=off", "https://www.google.de/search?q=x&tbm=isch&safe=active"),
        ("https://www.google.fr/search?q=x&tbm=vid", "https://www.google.fr/search?q=x&tbm=vid&safe=active"),
        ("https://www.google.com/search?q=x&udm=2&SAFE=off", "https://www.google.com/search?q=x&udm=2&safe=active"),
        ("https://images.google.com/imghp?hl=vi", "https://images.google.com/imghp?hl=vi&safe=active"),
        ("https://www.google.cat/webhp", "https://www.google.cat/webhp?safe=active"),
        # several safe= values, one of them active: all collapse to one
        ("https://www.google.com/search?safe=active&safe=off&q=x", "https://www.google.com/search?q=x&safe=active"),
        # Bing, DuckDuckGo, Yandex
        ("https://www.bing.com/search?q=x&adlt=off", "https://www.bing.com/search?q=x&adlt=strict"),
        ("https://www.bing.com/images/search?q=x", "https://www.bing.com/images/search?q=x&adlt=strict"),
        ("https://duckduckgo.com/?q=x&kp=-2", "https://duckduckgo.com/?q=x&kp=1"),
        ("https://html.duckduckgo.com/html/?q=x", "https://html.duckduckgo.com/html/?q=x&kp=1"),
        ("https://yandex.ru/search/?text=x", "https://yandex.ru/search/?text=x&family=yes"),
        ("https://yandex.com.tr/images/search?text=x&family=no", "https://yandex.com.tr/images/search?text=x&family=yes"),
    ],
)
def test_search_requests_are_rewritten_to_their_safe_form(url: str, expected: str) -> None:
    assert rewritten(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        # already safe: nothing to rewrite, but the reason still says safe search applies
        "https://www.google.com.vn/search?q=x&safe=active",
        "https://duckduckgo.com/?kp=1&q=x",
        "https://yandex.ru/search/?family=yes&text=x",
    ],
)
def test_already_safe_requests_keep_their_url(url: str) -> None:
    found = enforce(parse_url(url), SAFE)
    assert found is not None and found.reason.source == "safesearch"
    assert found.rewrite is None


@pytest.mark.parametrize(
    "url",
    [
        # look-alikes and other Google services are left alone
        "https://www.google.com.evil.example/search?q=x",
        "https://mygoogle.com/search?q=x",
        "https://mail.google.com/search?q=x",
        "https://www.google.com/images/branding/logo.png",
        "https://www.google.com/maps?q=x",
        "https://notbing.com/search?q=x",
        "https://example.vn/search?q=x",
        # YouTube needs its own setting, not safe_search
        "https://www.youtube.com/results?search_query=x",
    ],
)
def test_other_hosts_and_paths_are_untouched(url: str) -> None:
    assert enforce(parse_url(url), SAFE) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.google.com/search?q=x&safe=off",
        "https://www.google.com.vn/search?q=x",
        "https://www.bing.com/search?q=x",
        "https://duckduckgo.com/?q=x",
        "https://yandex.ru/search/?text=x",
        "https://www.youtube.com/watch?v=abc",
        "https://coccoc.com/search?query=x",
    ],
)
def test_profile_with_safe_search_off_gets_nothing(url: str) -> None:
    assert enforce(parse_url(url), OFF) is None


def test_bing_also_gets_its_strict_cookie() -> None:
    found = enforce(parse_url("https://www.bing.com/search?q=x"), SAFE)
    assert found is not None and found.rewrite is not None
    assert ("Cookie", "SRCHHPGUSR=ADLT=STRICT") in found.rewrite.headers


@pytest.mark.parametrize(
    ("profile", "url", "header"),
    [
        (STRICT_YT, "https://www.youtube.com/watch?v=abc", "Strict"),
        (STRICT_YT, "https://m.youtube.com/", "Strict"),
        (STRICT_YT, "https://music.youtube.com/", "Strict"),
        (STRICT_YT, "https://youtubei.googleapis.com/youtubei/v1/search", "Strict"),
        (STRICT_YT, "https://youtube.googleapis.com/v/abc", "Strict"),
        (STRICT_YT, "https://www.youtube-nocookie.com/embed/abc", "Strict"),
        (MODERATE_YT, "https://www.youtube.com/", "Moderate"),
        (MODERATE_YT, "https://m.youtube.com/results?search_query=x", "Moderate"),
    ],
)
def test_youtube_gets_the_restrict_header(profile: Profile, url: str, header: str) -> None:
    found = enforce(parse_url(url), profile)
    assert found is not None and found.rewrite is not None
    assert found.rewrite.headers == (("YouTube-Restrict", header),)
    assert found.rewrite.url is None


def test_youtube_restrict_does_not_depend_on_safe_search() -> None:
    assert enforce(parse_url("https://www.youtube.com/"), Profile(name="p", safe_search=True)) is None
    assert enforce(parse_url("https://www.google.com/search?q=x"), STRICT_YT) is None


def test_coccoc_results_are_marked_for_content_judging() -> None:
    found = enforce(parse_url("https://coccoc.com/search?query=x"), SAFE)
    assert found is not None and found.judge_results and found.rewrite is None
    assert "Cốc Cốc" in found.reason.detail
    assert enforce(parse_url("https://coccoc.com/webhp"), SAFE) is None


def test_other_parameters_keep_their_exact_bytes() -> None:
    url = parse_url("https://www.google.com/search?q=a%20b+c&oq=%E1%BA%A1&safe=off#frag")
    assert force_params(url, {"safe": "active"}) == "https://www.google.com/search?q=a%20b+c&oq=%E1%BA%A1&safe=active"


@pytest.mark.parametrize(
    ("existing", "wanted", "sent"),
    [
        # no cookies yet
        (None, "SRCHHPGUSR=ADLT=STRICT", "SRCHHPGUSR=ADLT=STRICT"),
        # other cookies survive, so the child stays logged in
        ("MUID=abc; _EDGE_S=x", "SRCHHPGUSR=ADLT=STRICT", "MUID=abc; _EDGE_S=x; SRCHHPGUSR=ADLT=STRICT"),
        # the field is overridden inside Bing's settings cookie, the other fields kept
        ("SRCHHPGUSR=SRCHLANG=vi&ADLT=OFF&BRW=W; MUID=abc", "SRCHHPGUSR=ADLT=STRICT",
         "SRCHHPGUSR=SRCHLANG=vi&BRW=W&ADLT=STRICT; MUID=abc"),
    ],
)
def test_cookie_rewrites_merge_with_the_childs_cookies(existing: str | None, wanted: str, sent: str) -> None:
    assert merge_header("Cookie", existing, wanted) == sent


def test_other_headers_are_replaced() -> None:
    assert merge_header("YouTube-Restrict", "Moderate", "Strict") == "Strict"
