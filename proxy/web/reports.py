"""Reports: what the children reported, and an export a parent can send to the 111 hotline.

Reports are recorded by the extension feature in its ``reports`` table; this page only reads
them (and says so plainly when this build has no reports). The export asks for the password
again: it carries addresses the children visited and their own words.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web

from ..store import Store
from . import keys
from .auth import check_password
from .rendering import refused, render, say

MAX_SHOWN = 500


@dataclass(frozen=True)
class ChildReport:
    id: int
    at: datetime
    profile: str
    url: str
    reason: str
    message: str
    seen: bool


def reports_available(store: Store) -> bool:
    """Whether this build records reports (the extension feature's ``reports`` table)."""
    return bool(store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'reports'"))


def read_reports(store: Store, *, unseen_only: bool = False) -> list[ChildReport]:
    if not reports_available(store):
        return []
    sql = "SELECT * FROM reports" + (" WHERE seen = 0" if unseen_only else "") + " ORDER BY id DESC LIMIT ?"
    return [
        ChildReport(row["id"], datetime.fromisoformat(row["at"]), row["profile"], row["url"], row["reason"],
                    row["message"], bool(row["seen"]))
        for row in store.query(sql, (MAX_SHOWN,))
    ]


def list_reports(request: web.Request) -> list[ChildReport]:
    return read_reports(request.app[keys.RUNTIME].store)


def _when(at: datetime, request: web.Request) -> str:
    return at.astimezone(request.app[keys.RUNTIME].tz).strftime("%Y-%m-%d %H:%M")


async def reports_page(request: web.Request) -> web.Response:
    store = request.app[keys.RUNTIME].store
    reports = [{"report": report, "when": _when(report.at, request)} for report in read_reports(store)]
    if any(not row["report"].seen for row in reports):
        with store.transaction() as db:  # shown to the parent: Today stops announcing them
            db.execute("UPDATE reports SET seen = 1 WHERE seen = 0")
    return render(request, "reports.html", {"available": reports_available(store), "reports": reports})


def export_csv(request: web.Request, reports: list[ChildReport]) -> str:
    """Date, address, what kind of problem, the child's words, and the child; UTF-8 with a BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([say(request, key) for key in
                     ("web.col.when", "web.col.address", "web.col.category", "web.col.description", "web.col.child")])
    for report in reports:
        writer.writerow([_when(report.at, request), report.url, say(request, f"web.report.{report.reason}"),
                         report.message, report.profile])
    return "\ufeff" + out.getvalue()


async def export(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    problem = check_password(request, str(form.get("password", "")))
    if problem is not None:
        raise refused(request, "/reports", say(request, *problem))
    stamp = request.app[keys.RUNTIME].now().strftime("%Y%m%d-%H%M")
    return web.Response(
        body=export_csv(request, list_reports(request)).encode("utf-8"),
        headers={"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
                 "Content-Disposition": f'attachment; filename="kiteguard-reports-{stamp}.csv"'},
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/reports", reports_page)
    app.router.add_post("/reports/export", export)
