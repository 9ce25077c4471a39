"""Pages for time rules: the ask-a-parent form on block pages, its answer, and the notice shown
a few minutes before time runs out (when no extension is there to show it)."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from ..i18n import category_name
from .render import _environment, _translator, local_time

MINUTE_CHOICES = (15, 30, 60)


def render_ask_form(language: str, *, action: str, kind: str, category: str, to: str, exp: str, sig: str) -> str:
    return _environment().get_template("ask.html").render(
        t=_translator(language), action=action, kind=kind, category=category, to=to, exp=exp, sig=sig,
        minute_choices=MINUTE_CHOICES,
    )


def render_report_form(language: str, *, action: str, to: str, exp: str, sig: str, reasons: tuple[str, ...]) -> str:
    return _environment().get_template("report.html").render(
        t=_translator(language), action=action, to=to, exp=exp, sig=sig, reasons=reasons
    )


def render_ask_answer(message_key: str, language: str, back_url: str) -> str:
    t = _translator(language)
    return _environment().get_template("asked.html").render(t=t, message=t(message_key), back_url=back_url)


def render_notice_page(notice: dict[str, object], language: str, tz: ZoneInfo, now: datetime,
                       continue_url: str) -> str:
    t = _translator(language)
    ends_at = datetime.fromisoformat(str(notice["ends_at"]))
    category = notice.get("category")
    what = t(f"notice.what.{notice['kind']}", category=category_name(str(category) if category else None, language),
             time=local_time(ends_at, tz, now, language))
    return _environment().get_template("notice.html").render(
        t=t, minutes=math.ceil(float(str(notice["minutes_left"]))), what=what, continue_url=continue_url
    )

