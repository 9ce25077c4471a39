"""Reports: the children's reports on Today and Reports, and the export for the 111 hotline."""

from __future__ import annotations

import csv
import io

PASSWORD = "correct horse 42"
# The extension feature's table (its migration); created here only when this build lacks it.
REPORTS_TABLE = """CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY, at TEXT NOT NULL, profile TEXT NOT NULL, url TEXT NOT NULL,
    reason TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', seen INTEGER NOT NULL DEFAULT 0)"""


async def test_without_reports_the_page_says_so(parent, runtime) -> None:  # noqa: ANN001
    if runtime.store.query("SELECT name FROM sqlite_master WHERE name = 'reports'"):
        return  # this build records reports: covered below
    html = await (await parent.client.get("/reports")).text()
    assert "not installed in this version" in html


async def test_reports_are_announced_listed_and_exported(parent, runtime) -> None:  # noqa: ANN001
    with runtime.store.transaction() as db:
        db.execute(REPORTS_TABLE)
        db.execute("INSERT INTO reports (at, profile, url, reason, message) VALUES (?, ?, ?, ?, ?)",
                   (runtime.now().isoformat(), "child", "https://chat.example/room/7", "bullying",
                    "Họ chửi con, \"đồ ngốc\""))
    today = await (await parent.client.get("/")).text()
    assert "1 new report(s)" in today
    page = await (await parent.client.get("/reports")).text()
    assert "https://chat.example/room/7" in page and "bullying" in page and "2026-11-30 10:00" in page
    assert "new report" not in await (await parent.client.get("/")).text()

    refused = await parent.post("/reports/export", {"password": "not it"})
    assert refused.status == 303
    exported = await parent.post("/reports/export", {"password": PASSWORD})
    assert exported.status == 200 and "attachment" in exported.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO((await exported.read()).decode("utf-8-sig"))))
    assert rows[0] == ["When", "Web address", "Category", "The child's words", "Child"]
    assert rows[1] == ["2026-11-30 10:00", "https://chat.example/room/7", "bullying", "Họ chửi con, \"đồ ngốc\"",
                       "child"]
