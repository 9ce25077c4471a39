"""Browsers: pair a child's browser with a one-time code, see it, revoke it (extension feature)."""

from __future__ import annotations

import re

import pytest

from kiteguard.proxy.web import keys


async def test_pair_then_revoke(parent) -> None:  # noqa: ANN001
    pytest.importorskip("kiteguard.proxy.pairing", reason="pairing comes with the extension feature's branch")
    reply = await parent.post("/browsers/pair", {"profile": "child"})
    html = await reply.text()
    code = re.search(r'class="code">(\d{6})<', html)
    assert reply.status == 200 and code, html[-2000:]
    book = parent.client.app[keys.PAIRINGS]
    pairing = book.redeem(code.group(1), "Chromium trên máy bàn")
    listed = await (await parent.client.get("/browsers")).text()
    assert "Chromium trên máy bàn" in listed
    await parent.post("/browsers/revoke", {"token_id": pairing.token_id})
    assert book.authenticate(pairing.token) is None
    assert "Chromium trên máy bàn" not in await (await parent.client.get("/browsers")).text()


async def test_without_pairing_the_page_says_so(parent) -> None:  # noqa: ANN001
    if keys.PAIRINGS in parent.client.app:
        return  # this build pairs browsers: covered above
    html = await (await parent.client.get("/browsers")).text()
    assert "not installed in this version" in html
    assert (await parent.post("/browsers/pair", {"profile": "child"})).status == 404
