"""Every page renders for a signed-in parent, in both languages."""

from __future__ import annotations

import pytest

from kiteguard.proxy.web.rendering import MENU

PAGES = [href for href, _ in MENU]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
async def test_every_page_renders_in_both_languages(parent, path: str, language: str) -> None:
    parent.client.session.cookie_jar.update_cookies({"kg_lang": language})
    reply = await parent.client.get(path)
    html = await reply.text()
    assert reply.status == 200, html[:2000]
    assert f'<html lang="{language}">' in html
    assert reply.headers["Cache-Control"] == "no-store"
