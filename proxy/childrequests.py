"""What a child asks of a parent (more time, a site), what a child reports, and time left today.

The store is the hand-over point. The extension API adds requests; the parent's side (the
settings page, or anything else in the household's hands) calls ``answer_request``, which
only records the answer. The running service then applies every answer exactly once
(``apply_answers``: bonus minutes or a parent grant, in memory and on disk) and tells the
child's browsers. So an answer takes effect the same way whoever gives it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import timerules
from .policy import RequestFacts
from .runtime import Runtime
from .store import Store
from .urls import InvalidHost, parse_url

REQUEST_KINDS = ("time", "site")
REPORT_REASONS = ("bullying", "child_sexual", "scam", "other")
MAX_MINUTES = 240
SITE_GRANT_MINUTES = 60  # a site approved without a duration stays open for an hour
MESSAGE_MAX = 500
URL_MAX = 2000
RECENT = timedelta(hours=24)


class RequestError(ValueError):
    """A request or report the extension sent is not valid; the message names the bad value."""


@dataclass(frozen=True)
class ChildRequest:
    id: int
    at: datetime
    profile: str
    kind: str
    category: str | None
    minutes: int | None
    url: str | None
    message: str
    status: str
    answer: str
    granted_minutes: int | None

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id, "at": self.at.isoformat(), "kind": self.kind, "category": self.category,
            "minutes": self.minutes, "url": self.url, "message": self.message, "status": self.status,
            "answer": self.answer, "granted_minutes": self.granted_minutes,
        }


def check_url(url: object) -> str:
    text = str(url or "")
    if len(text) > URL_MAX:
        raise RequestError(f"url is longer than {URL_MAX} characters")
    try:
        parsed = parse_url(text)
    except (InvalidHost, ValueError):
        raise RequestError(f"url {text[:80]!r} is not a web address") from None
    if parsed.scheme not in ("http", "https"):
        raise RequestError(f"url {text[:80]!r} is not a web address")
    return text


def _message(value: object) -> str:
    return " ".join(str(value or "").split())[:MESSAGE_MAX]


def add_request(store: Store, profile: str, kind: str, *, minutes: object = None, category: object = None,
                url: object = None, message: object = "", now: datetime) -> ChildRequest:
    if kind not in REQUEST_KINDS:
        raise RequestError(f"kind {kind!r} is not one of {', '.join(REQUEST_KINDS)}")
    wanted: int | None = None
    if kind == "time":
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= MAX_MINUTES:
            raise RequestError(f"minutes {minutes!r} is not a whole number from 1 to {MAX_MINUTES}")
        wanted = minutes
    checked_url = check_url(url) if (kind == "site" or url) else None
    host = parse_url(checked_url).host if checked_url else None
    cat = str(category) if isinstance(category, str) and category else None
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO requests (at, profile, kind, category, minutes, host, url, message) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now.isoformat(), profile, kind, cat, wanted, host, checked_url, _message(message)),
        )
        request_id = int(cursor.lastrowid or 0)
    return get_request(store, request_id)


def get_request(store: Store, request_id: int) -> ChildRequest:
    rows = store.query("SELECT * FROM requests WHERE id = ?", (request_id,))
    if not rows:
        raise LookupError(f"there is no request {request_id}")
    return _request(rows[0])


def recent_requests(store: Store, profile: str, now: datetime) -> list[ChildRequest]:
    rows = store.query(
        "SELECT * FROM requests WHERE profile = ? AND at >= ? ORDER BY id DESC LIMIT 20",
        (profile, (now - RECENT).isoformat()),
    )
    return [_request(row) for row in rows]


def answer_request(store: Store, request_id: int, approve: bool, *, minutes: int | None = None,
                   answer: str = "", now: datetime) -> ChildRequest:
    """The parent's answer. Only a pending request can be answered; the service applies it."""
    if minutes is not None and not 1 <= minutes <= 24 * 60:
        raise RequestError(f"minutes {minutes!r} is not from 1 to {24 * 60}")
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE requests SET status = ?, decided_at = ?, granted_minutes = ?, answer = ? "
            "WHERE id = ? AND status = 'pending'",
            ("approved" if approve else "denied", now.isoformat(), minutes if approve else None,
             _message(answer), request_id),
        )
        if cursor.rowcount != 1:
            raise LookupError(f"request {request_id} does not exist or was already answered")
    return get_request(store, request_id)


def apply_answers(runtime: Runtime) -> list[ChildRequest]:
    """Put every new answer into effect once; returns them so the child's browsers can be told."""
    store = runtime.store
    rows = store.query("SELECT * FROM requests WHERE status != 'pending' AND applied_at IS NULL ORDER BY id")
    applied = []
    for request in (_request(row) for row in rows):
        if request.status == "approved":
            _grant(runtime, request)
        with store.transaction() as db:
            db.execute("UPDATE requests SET applied_at = ? WHERE id = ?", (runtime.now().isoformat(), request.id))
        applied.append(request)
    return applied


def _grant(runtime: Runtime, request: ChildRequest) -> None:
    now = runtime.now()
    if request.kind == "site" and request.url:
        host = parse_url(request.url).host
        runtime.grant(request.profile, host, "parent", request.granted_minutes or SITE_GRANT_MINUTES)
        return
    minutes = request.granted_minutes or request.minutes or 0
    day = timerules.local_day(now, runtime.tz)
    for category in _time_categories(runtime, request):
        runtime.usage.add_bonus(request.profile, category, day, minutes)


def _time_categories(runtime: Runtime, request: ChildRequest) -> tuple[str, ...]:
    """The category the child asked about, else the one limiting the page they were on, else all limited ones."""
    if request.category:
        return (request.category,)
    if request.url:
        decision = runtime.decide(RequestFacts(url=parse_url(request.url)), request.profile)
        if decision.action == "block" and decision.primary and decision.primary.source == "quota" and decision.category:
            return (decision.category,)
    return runtime.profile(request.profile).quotas.categories()


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


def add_report(store: Store, profile: str, url: object, reason: object, message: object, now: datetime) -> int:
    if reason not in REPORT_REASONS:
        raise RequestError(f"reason {reason!r} is not one of {', '.join(REPORT_REASONS)}")
    with store.transaction() as db:
        cursor = db.execute(
            "INSERT INTO reports (at, profile, url, reason, message) VALUES (?, ?, ?, ?, ?)",
            (now.isoformat(), profile, check_url(url), reason, _message(message)),
        )
        return int(cursor.lastrowid or 0)


def count_chat_check(store: Store, profile: str, now: datetime, tz: object, flagged: bool) -> None:
    """Only a count is kept for "think before you send": never the text."""
    day = timerules.local_day(now, tz).isoformat()  # type: ignore[arg-type]
    with store.transaction() as db:
        db.execute(
            "INSERT INTO chat_checks (day, profile, checked, flagged) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (day, profile) DO UPDATE SET checked = checked + 1, flagged = flagged + excluded.flagged",
            (day, profile, int(flagged)),
        )


def _request(row: sqlite3.Row) -> ChildRequest:
    return ChildRequest(
        id=row["id"], at=datetime.fromisoformat(row["at"]), profile=row["profile"], kind=row["kind"],
        category=row["category"], minutes=row["minutes"], url=row["url"], message=row["message"],
        status=row["status"], answer=row["answer"], granted_minutes=row["granted_minutes"],
    )
