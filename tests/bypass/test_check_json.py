"""`kiteguard check --json` shows safe-search rewrites and bypass blocks, exactly as the proxy applies them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bypass_policy import import_bypass_policy

from kgtest import run_cli


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_bypass_policy(tmp_path_factory.mktemp("check"))


def check(home: Path, url: str, profile: str) -> dict:
    result = run_cli(home, "check", url, "--profile", profile, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("url", "rewritten", "header"),
    [
        ("https://www.google.com/search?q=x&safe=off", "https://www.google.com/search?q=x&safe=active", None),
        ("https://www.google.com.vn/search?q=x&safe=off", "https://www.google.com.vn/search?q=x&safe=active", None),
        ("https://www.bing.com/search?q=x", "https://www.bing.com/search?q=x&adlt=strict",
         ("Cookie", "SRCHHPGUSR=ADLT=STRICT")),
        ("https://duckduckgo.com/?q=x", "https://duckduckgo.com/?q=x&kp=1", None),
        ("https://www.youtube.com/watch?v=a", None, ("YouTube-Restrict", "Strict")),
        ("https://m.youtube.com/watch?v=a", None, ("YouTube-Restrict", "Strict")),
    ],
)
def test_safe_search_on_shows_the_rewrite(
    home: Path, url: str, rewritten: str | None, header: tuple[str, str] | None
) -> None:
    shown = check(home, url, "child")
    assert shown["action"] == "allow"
    assert [reason["source"] for reason in shown["reasons"]] == ["safesearch"]
    assert shown["rewrite"]["url"] == rewritten
    if header:
        assert shown["rewrite"]["headers"][header[0]] == header[1]
    # what a grown-up gets for the same URL: nothing rewritten
    plain = check(home, url, "grown-up")
    assert plain["rewrite"] is None and plain["reasons"] == []


@pytest.mark.parametrize(
    "url",
    [
        "https://dns.google/dns-query",
        "https://mozilla.cloudflare-dns.com/dns-query",
        "https://dns.quad9.net/dns-query",
        "https://doh.opendns.com/dns-query",
        "https://example--bad-vn.translate.goog/",
    ],
)
def test_bypass_routes_show_a_bypass_reason(home: Path, url: str) -> None:
    shown = check(home, url, "child")
    assert shown["action"] == "block"
    assert shown["reasons"][0]["source"] == "bypass"
