"""Reports: what the children reported, and an export a parent can send to the 111 hotline.

Reports are recorded by the extension feature; this page reads them through its
``list_reports(store)``. The export asks for the password again: it carries addresses the
children visited and their own words.
"""

from __future__ import annotations

import csv
import importlib
import io
from datetime import datetime
from types import ModuleType
from typing import Any

from aiohttp import web

from . import keys
from .auth import check_password
from .rendering import refused, render, say

MODULES = ("kiteguard.proxy.reports", "kiteguard.proxy.childrequests")


def _source() -> ModuleType | None:
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "list_reports"):
            return module
    return None


def list_reports(request: web.Request) -> list[Any]:
    module = _source()
    return list(module.list_reports(request.app[keys.RUNTIME].store)) if module else []


def _when(at: datetime, request: web.Request) -> str:
    return at.astimezone(request.app[keys.RUNTIME].tz).strftime("%Y-%m-%d %H:%M")


async def reports_page(request: web.Request) -> web.Response:
    reports = [{"report": report, "when": _when(report.at, request)} for report in list_reports(request)]
    return render(request, "reports.html", {"available": _source() is not None, "reports": reports})


def export_csv(request: web.Request, reports: list[Any]) -> str:
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
