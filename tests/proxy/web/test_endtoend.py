"""End to end in real Chromium, through a real `kiteguard run`: the parent's whole job.

1. sign in; 2. set a quota and a deny rule; 3. see both enforced through the real proxy;
4. the child asks for more time on the block page and the parent approves it; 5. the child's
browsing shows up on the Activity chart. Then screenshots of every page in both languages go
to KITEGUARD_SCREENSHOTS=DIR when it is set (docs/screenshots/ holds the last ones taken).
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

import pytest

from kiteguard.proxy.web.rendering import MENU

from kgtest import run_cli, start_routed_kiteguard

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "ông bà 2026 an toàn"
EXAMPLES = {"/sites": "?url=www.bad.test&profile=child"}  # show an explanation in the screenshot
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def service(tmp_path, upstream, monkeypatch):  # noqa: ANN001, ANN201
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium)")
    home = tmp_path / "home"
    made = run_cli(home, "password", "set", stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    monkeypatch.setenv("KITEGUARD_TEST_CATEGORIES", "video.test=video")
    running = start_routed_kiteguard(home, upstream)
    yield running
    running.stop()


async def open_page(context, url: str):  # noqa: ANN001, ANN201
    """A fresh tab per navigation: a block page must never interrupt the next one."""
    page = await context.new_page()
    reply = await page.goto(url)
    return page, reply


async def test_parent_sets_rules_and_answers_in_chromium(service) -> None:  # noqa: ANN001
    from playwright.async_api import async_playwright

    ui = service.ui
    assert json.loads((service.home / "run.json").read_text())["ui_host"] == "127.0.0.1"  # loopback by default
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        parent = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        child = await browser.new_context(proxy={"server": f"http://127.0.0.1:{service.proxy_port}"})
        page = await parent.new_page()

        # 1. Sign in (the first page sends a stranger to the sign-in form).
        await page.goto(f"{ui}/children")
        assert "/login" in page.url
        await page.get_by_label("Mật khẩu cha mẹ").fill(PASSWORD)
        await page.get_by_role("button", name="Đăng nhập").click()
        await page.wait_for_url(f"{ui}/children")

        # 2. A deny rule and a quota of 0 minutes of video a day.
        await page.goto(f"{ui}/sites")
        await page.locator("#deny-1").fill("bad.test")
        await page.locator("#deny-1").press("Enter")
        await page.get_by_text("Đã lưu").wait_for()
        await page.goto(f"{ui}/time")
        await page.locator("#q-cat-1").select_option("video")
        await page.locator("#q-min-1").fill("0")
        await page.get_by_role("button", name="Đặt giới hạn").click()
        await page.get_by_text("Đã lưu").wait_for()

        # 3. Both hold through the real proxy; other sites still open.
        tab, reply = await open_page(child, "http://ok.test/")
        assert reply.status == 200 and "Hello from ok.test" in await tab.content()
        tab, reply = await open_page(child, "http://www.bad.test/")
        assert reply.status == 403
        tab, reply = await open_page(child, "http://video.test/watch")
        assert reply.status == 403

        # 4. The child asks for more time on the block page; the parent approves 30 minutes.
        await tab.locator("#kg-message").fill("Con xem nốt bài giảng toán")
        await tab.locator("form.ask button").click()
        await tab.wait_for_load_state()
        await page.goto(f"{ui}/requests")
        await page.get_by_text("Con xem nốt bài giảng toán").wait_for()
        await page.get_by_label("Trong bao lâu").select_option("30")
        await page.get_by_role("button", name="Đồng ý").click()
        await page.get_by_text("Đã đồng ý").wait_for()

        # 5. The video site opens, its minute is counted, and the chart shows it.
        await page.goto(f"{ui}/activity")
        assert await page.locator("#a-usage ~ svg, #a-usage + ul + svg").count() == 0
        for _ in range(20):
            tab, reply = await open_page(child, "http://video.test/watch")
            if reply.status == 200:
                break
            await asyncio.sleep(0.5)
        assert reply.status == 200 and "Hello from video.test" in await tab.content()
        for _ in range(20):
            await page.goto(f"{ui}/activity?days=7")
            if await page.locator("section[aria-labelledby=a-usage] svg rect").count():
                break
            await asyncio.sleep(0.5)
        usage = page.locator("section[aria-labelledby=a-usage]")
        assert await usage.locator("svg rect").count() >= 1
        assert "video" in (await usage.locator("table").inner_text()).lower()
        blocks = await page.locator("section[aria-labelledby=a-hosts] table").inner_text()
        assert "bad.test" in blocks

        # Screenshots of every page, in Vietnamese and English, as a grandparent would see them.
        # Every page opens in both languages; its picture is saved only when asked for.
        folder = os.environ.get("KITEGUARD_SCREENSHOTS")

        async def shoot(name: str) -> None:
            if folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

        for language in ("vi", "en"):
            await page.goto(f"{ui}/language?lang={language}&next=/")
            for href, key in MENU:
                reply = await page.goto(f"{ui}{href}{EXAMPLES.get(href, '')}")
                assert reply is not None and reply.ok, href
                await shoot(f"{key.rsplit('.', 1)[1]}-{language}")
        await page.set_viewport_size({"width": 390, "height": 844})  # a phone, on the home Wi-Fi
        await page.goto(f"{ui}/language?lang=vi&next=/")
        for href in ("/", "/time", "/activity"):
            await page.goto(f"{ui}{href}")
            await shoot(f"{'today' if href == '/' else href.strip('/')}-phone-vi")
        await browser.close()
