"""The block page's "Report this page": a child tells a parent about something frightening.

The form posts to ``/__kiteguard/report`` on the blocked page's own host, with a signature over
the profile, host, page and expiry, so no other page can file reports in a child's name. A
report lands in the reports table (the parent's Reports page, and its export for hotline 111)
and raises an alert.
"""

from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import parse_qs

from . import childreports
from .askdesk import Answer
from .pages.timepages import render_ask_answer, render_report_form
from .runtime import Runtime
from .urls import InvalidHost, Url, parse_url

REPORT_PATH = "/__kiteguard/report"
FORM_SECONDS = 60 * 60
MAX_BODY = 8 * 1024


def report_form(runtime: Runtime, url: Url, profile: str) -> str:
    exp = str(int(time.time()) + FORM_SECONDS)
    sig = runtime.sign("report", profile, url.host, url.text, exp)
    return render_report_form(runtime.household.language, action=REPORT_PATH, to=url.text, exp=exp, sig=sig,
                              reasons=childreports.REPORT_REASONS)


def file_report(runtime: Runtime, profile: str, host: str, body: bytes, now: datetime) -> Answer:
    """Store a signed report and alert the parent; anything else is refused without storing."""
    language = runtime.household.language
    fields = {key: values[0] for key, values in parse_qs(body[:MAX_BODY].decode("utf-8", "replace")).items()}
    to, exp, sig = (fields.get(key, "") for key in ("to", "exp", "sig"))
    try:
        valid = (len(body) <= MAX_BODY and exp.isdigit() and int(exp) > time.time()
                 and runtime.verify(sig, "report", profile, host, to, exp) and parse_url(to).host == host)
    except (ValueError, InvalidHost):
        valid = False
    reason = fields.get("reason", "")
    if not valid or reason not in childreports.REPORT_REASONS:
        return Answer(400, render_ask_answer("report.refused", language, "javascript:history.back()"))
    childreports.add_report(runtime.store, profile, to, reason, fields.get("message", ""), now)
    runtime.store_alert_later("report", f"a report ({reason}) about {host}", profile)
    return Answer(200, render_ask_answer("report.thanks", language, to))
