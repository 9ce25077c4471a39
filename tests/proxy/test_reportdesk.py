"""The block page's "Report this page", through the real proxy: the parent gets the report, forgeries nothing."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

from kgtest import Upstream, run_cli, start_routed_kiteguard

POLICY = """
language = "en"
timezone = "Asia/Ho_Chi_Minh"
default_profile = "an"

[[profiles]]
name = "an"
deny = ["scary.test"]
"""


def form_fields(page: str) -> dict[str, str]:
    form = page[page.index('action="/__kiteguard/report"'):]
    return {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)[:3]}


def test_a_child_reports_a_page_and_the_parent_sees_it(kiteguard_home: Path, upstream: Upstream) -> None:
    kiteguard_home.mkdir(parents=True)
    policy = kiteguard_home.parent / "policy.toml"
    policy.write_text(POLICY)
    assert run_cli(kiteguard_home, "policy", "import", str(policy)).returncode == 0
    running = start_routed_kiteguard(kiteguard_home, upstream)
    try:
        page = running.fetch("https://scary.test/thread/9")
        assert page.status == 403 and "Report this page" in page.text
        for reason in ("bullying", "child_sexual", "scam", "other"):
            assert f'value="{reason}"' in page.text
        fields = form_fields(page.text)
        body = urlencode({**fields, "reason": "bullying", "message": "they keep calling me names"}).encode()
        sent = running.fetch("https://scary.test/__kiteguard/report", data=body, method="POST",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert sent.status == 200 and "Thank you for telling us" in sent.text
        forged = urlencode({**fields, "sig": "0" * 32, "reason": "scam"}).encode()
        refused = running.fetch("https://scary.test/__kiteguard/report", data=forged, method="POST",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert refused.status == 400
    finally:
        running.stop()
    with sqlite3.connect(kiteguard_home / "kiteguard.sqlite3") as db:
        reports = db.execute("SELECT profile, url, reason, message FROM reports").fetchall()
        alerts = db.execute("SELECT kind FROM alerts WHERE kind = 'report'").fetchall()
    assert reports == [("an", "https://scary.test/thread/9", "bullying", "they keep calling me names")]
    assert len(alerts) == 1
