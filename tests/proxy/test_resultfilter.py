from __future__ import annotations

import pytest

from kiteguard.proxy.resultfilter import MAX_HOSTS, hide_blocked_results

BLOCKED = {"example-bad.vn", "adult.example"}


def blocked(host: str) -> bool:
    return host in BLOCKED


@pytest.mark.parametrize(
    ("link", "hidden"),
    [
        # results that lead to blocked sites are blurred and lose their address
        ('<a class="r" href="https://example-bad.vn/page">Bad</a>', True),
        ("<a href='http://ADULT.example/x?a=1&amp;b=2'>x</a>", True),
        # everything else is left exactly as it was
        ('<a class="r" href="https://vi.wikipedia.org/wiki/Mèo">Mèo</a>', False),
        ('<a href="https://coccoc.com/search?query=x">next page</a>', False),
        ('<a href="/search?query=x&page=2">2</a>', False),
        ('<link href="https://example-bad.vn/style.css">', False),
    ],
)
def test_links_to_blocked_sites_are_blurred(link: str, hidden: bool) -> None:
    page = f"<html><body><div>{link}<p>snippet</p></div></body></html>"
    result = hide_blocked_results(page, "coccoc.com", blocked)
    assert ("data-kiteguard=\"hidden\"" in result.text) == hidden
    if hidden:
        assert "example-bad.vn/page" not in result.text and "ADULT.example" not in result.text
        assert "about:blank" in result.text and "blur(" in result.text and result.hidden_hosts
    else:
        assert result.text == page and result.hidden_hosts == ()


def test_each_site_is_judged_once_and_the_rest_of_the_page_is_untouched() -> None:
    calls: list[str] = []

    def judge(host: str) -> bool:
        calls.append(host)
        return host == "example-bad.vn"

    page = '<p>Kết quả</p><a href="https://example-bad.vn/1">1</a><a href="https://example-bad.vn/2">2</a>'
    result = hide_blocked_results(page, "coccoc.com", judge)
    assert calls == ["example-bad.vn"] and result.hidden_hosts == ("example-bad.vn",)
    assert result.text.startswith("<p>Kết quả</p>") and result.text.count("about:blank") == 2


def test_a_page_with_very_many_sites_is_judged_up_to_a_bound() -> None:
    page = "".join(f'<a href="https://site{i}.example/">{i}</a>' for i in range(MAX_HOSTS + 20))
    calls: list[str] = []
    hide_blocked_results(page, "coccoc.com", lambda host: bool(calls.append(host)))
    assert len(calls) == MAX_HOSTS
