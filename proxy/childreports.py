"""What the extension records for a child besides requests: reports, chat-check counts, time left.

Requests for time or a site belong to ``requests``; this module adds what only the extension
sends. Reports go to the parent (the Reports page reads the ``reports`` table); for "think
before you send" only a per-day count is kept, never the text.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from . import timerules
from .policy import RequestFacts
from .runtime import Runtime
from .store import Store
from .urls import InvalidHost, parse_url

REPORT_REASONS = ("bullying", "child_sexual", "scam", "other")
MESSAGE_MAX = 500
URL_MAX = 2000


class ReportError(ValueError):
    """A report or request from the extension is not valid; the message names the bad value."""


def check_url(url: object) -> str:
    text = str(url or "")
    if len(text) > URL_MAX:
        raise ReportError(f"url is longer than {URL_MAX} characters")
    try:
        parsed = parse_url(text)
    except (InvalidHost, ValueError):
        raise ReportError(f"url {text[:80]!r} is not a web address") from None
    if "://" not in text or parsed.scheme not in ("http", "https"):
        raise ReportError(f"url {text[:80]!r} is not a web address")
    return text


def add_report(store: Store, profile: str, url: object, reason: object, message: object, now: datetime) -> int:
    if reason not in REPORT_REASONS:
        raise ReportError(f"reason {reason!r} is not one of {', '.join(REPORT_REASONS)}")
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO reports (at, profile, url, reason, message) VALUES (?, ?, ?, ?, ?)",
            (now.isoformat(), profile, check_url(url), reason, " ".join(str(message or "").split())[:MESSAGE_MAX]),
        )
        return int(cursor.lastrowid or 0)


def count_chat_check(store: Store, profile: str, now: datetime, tz: ZoneInfo, flagged: bool) -> None:
    day = timerules.local_day(now, tz).isoformat()
    with store.transaction() as db:
        db.execute(
            "INSERT INTO chat_checks (day, profile, checked, flagged) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (day, profile) DO UPDATE SET checked = checked + 1, flagged = flagged + excluded.flagged",
            (day, profile, int(flagged)),
        )


def time_left(runtime: Runtime, profile_name: str, now: datetime) -> dict[str, int]:
    """Minutes left today per category that has a quota (categories without one are unlimited)."""
    profile = runtime.profile(profile_name)
    day = timerules.local_day(now, runtime.tz)
    left = {}
    for category in profile.quotas.categories():
        quota = timerules.quota_minutes(profile, category, now, runtime.tz)
        if quota is None:
            continue
        allowed = quota + runtime.usage.bonus_minutes(profile.name, category, day)
        left[category] = max(0, int(allowed - runtime.usage.used_minutes(profile.name, category, day)))
    return left


def category_for_time(runtime: Runtime, profile_name: str, url: str | None, now: datetime) -> str | None:
    """Which category "more time" is for when the child did not say: the one limiting the page they
    are on, else the category with the least time left today, else None (nothing is limited)."""
    if url:
        try:
            decision = runtime.decide(RequestFacts(url=parse_url(url)), profile_name, now)
        except (InvalidHost, ValueError):
            decision = None
        primary = decision.primary if decision else None
        if decision and decision.action == "block" and primary and primary.source in ("quota", "schedule"):
            if decision.category:
                return decision.category
    left = time_left(runtime, profile_name, now)
    return min(left, key=lambda category: (left[category], category)) if left else None
