"""Block and warn pages, written for a child, in the household language.

Pages are self-contained: inline CSS, no scripts required, no third-party resources, so they
work on any host the proxy answers for and leak nothing to anyone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import jinja2

from ..household import DAYS
from ..i18n import category_name, translate
from ..reasons import Decision


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kiteguard.proxy.pages", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _why(decision: Decision, language: str) -> str:
    reason = decision.primary
    source = reason.source if reason else "error"
    return translate(f"block.why.{source}", language, category=category_name(decision.category, language))


def render_block_page(
    decision: Decision, host: str, language: str, tz: ZoneInfo, *, extra_html: str = "", explain: str = "",
    now: datetime | None = None,
) -> str:
    t = _translator(language)
    reopens = ""
    if decision.reopens_at is not None:
        when = _clock(decision.reopens_at, tz) if now is None else local_time(decision.reopens_at, tz, now, language)
        reopens = t("block.reopens", time=when)
    return _environment().get_template("block.html").render(
        t=t,
        host=host,
        category=category_name(decision.category, language) if decision.category else None,
        why=_why(decision, language),
        reopens=reopens,
        explain=explain,
        extra_html=extra_html,
    )


def render_warn_page(decision: Decision, host: str, language: str, continue_url: str) -> str:
    t = _translator(language)
    return _environment().get_template("warn.html").render(
        t=t,
        host=host,
        category=category_name(decision.category, language),
        continue_url=continue_url,
    )


def render_message_page(message_key: str, language: str) -> str:
    t = _translator(language)
    return _environment().get_template("message.html").render(t=t, message=t(message_key))


def _translator(language: str):  # noqa: ANN202 - a closure handed to templates
    def t(key: str, **params: object) -> str:
        return translate(key, language, **params)

    return t


def _clock(instant: datetime, tz: ZoneInfo) -> str:
    local = instant.astimezone(tz)
    return local.strftime("%H:%M %d/%m")


def local_time(instant: datetime, tz: ZoneInfo, now: datetime, language: str) -> str:
    """"21:00 today", "06:30 tomorrow" or "16:00 on Monday 30/11", in the household's time zone."""
    t = _translator(language)
    local, today = instant.astimezone(tz), now.astimezone(tz).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return t("time.today", time=clock)
    if local.date() == today + timedelta(days=1):
        return t("time.tomorrow", time=clock)
    return t("time.on_day", time=clock, day=t(f"day.{DAYS[local.weekday()]}"), date=local.strftime("%d/%m"))
