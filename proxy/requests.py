"""A child's requests to a parent: more time today, or one blocked site, and the parent's answer.

The store is the hand-over point: the block page (and the extension) create requests; the
settings page, the CLI or a parent's PIN on the block page approve or deny them. Approving
applies at once to the runtime it is given (bonus minutes for today only, or a ``parent``
grant); a running proxy picks up approvals made by another process from the store within a
second or two (``timesync``). Every step is recorded as an event.

Exceptions::

    RequestError           unknown id, already decided, or a request that makes no sense
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from . import timerules
from .categories import is_category
from .store import Event, Store
from .urls import InvalidHost, normalise_host

if TYPE_CHECKING:
    from .runtime import Runtime

KINDS = ("time", "site")
STATUSES = ("pending", "approved", "denied")
MAX_MINUTES = 240
SITE_MINUTES = 60  # a site approved without a duration stays open for an hour
MESSAGE_MAX = 300


class RequestError(ValueError):
    """A request that does not exist, was already decided, or is not valid; the message says which."""


@dataclass(frozen=True)
class TimeRequest:
    id: int
    at: datetime
    profile: str
    kind: str
    category: str | None
    minutes: int | None
    host: str | None
    message: str
    status: str
    decided_at: datetime | None
    granted_minutes: int | None


def create_request(
    store: Store,
    *,
    profile: str,
    kind: str,
    category: str | None,
    minutes: int | None,
    host: str | None,
    message: str,
    now: datetime,
) -> int:
    if kind not in KINDS:
        raise RequestError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if category is not None and not is_category(category):
        raise RequestError(f"unknown category {category!r}")
    if kind == "time":
        if category is None:
            raise RequestError("a request for time needs the category it is for")
        _check_minutes(minutes)
    if kind == "site":
        if not host:
            raise RequestError("a request for a site needs the site's host name")
        try:
            host = normalise_host(host)
        except InvalidHost as exc:
            raise RequestError(f"{host!r} is not a host name ({exc})") from None
    text = " ".join(str(message or "").split())[:MESSAGE_MAX]
    with store.transaction() as db:
        request_id = db.execute(
            "INSERT INTO requests (at, profile, kind, category, minutes, host, message) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_stamp(now), profile, kind, category, minutes, host, text),
        ).lastrowid
    _record(store, now, profile, host, category, "request", f"request {request_id}: {_what(kind, minutes, host)}")
    return int(request_id or 0)


def list_requests(store: Store, *, status: str | None = None, profile: str | None = None) -> list[TimeRequest]:
    """Requests, newest first."""
    if status is not None and status not in STATUSES:
        raise RequestError(f"status {status!r} is not one of {', '.join(STATUSES)}")
    sql, params = "SELECT * FROM requests WHERE 1 = 1", []
    if status is not None:
        sql += " AND status = ?"
        params.append(status)
    if profile is not None:
        sql += " AND profile = ?"
        params.append(profile)
    return [_row(row) for row in store.query(sql + " ORDER BY id DESC", params)]


def get_request(store: Store, request_id: int) -> TimeRequest:
    rows = store.query("SELECT * FROM requests WHERE id = ?", (request_id,))
    if not rows:
        raise RequestError(f"there is no request {request_id}")
    return _row(rows[0])


def approve_request(
    runtime: Runtime, request_id: int, *, minutes: int | None = None, now: datetime | None = None
) -> TimeRequest:
    """Say yes. Time: bonus minutes for today only (default: what was asked). Site: open it for
    ``minutes`` (default 60). Call on the event loop when the runtime is serving traffic."""
    now = now or runtime.now()
    request = get_request(runtime.store, request_id)
    if minutes is not None:
        _check_minutes(minutes)
    granted = minutes or (request.minutes if request.kind == "time" else None) or SITE_MINUTES
    _decide(runtime.store, request, "approved", granted, now)
    if request.kind == "time" and request.category:
        day = timerules.local_day(now, runtime.tz)
        runtime.usage.add_bonus(request.profile, request.category, day, granted)
    elif request.host:
        runtime.grant(request.profile, request.host, "parent", granted)
    detail = f"request {request.id} approved: {_what(request.kind, granted, request.host)}"
    _record(runtime.store, now, request.profile, request.host, request.category, "approved", detail)
    done = get_request(runtime.store, request_id)
    announce(runtime, done)
    return done


def deny_request(runtime: Runtime, request_id: int, now: datetime | None = None) -> TimeRequest:
    now = now or runtime.now()
    request = get_request(runtime.store, request_id)
    _decide(runtime.store, request, "denied", None, now)
    _record(runtime.store, now, request.profile, request.host, request.category, "denied",
            f"request {request.id} denied")
    done = get_request(runtime.store, request_id)
    announce(runtime, done)
    return done


def decided_since(store: Store, since: datetime) -> list[TimeRequest]:
    rows = store.query("SELECT * FROM requests WHERE status != 'pending' AND decided_at >= ? ORDER BY id",
                       (_stamp(since),))
    return [_row(row) for row in rows]


def announce(runtime: Runtime, request: TimeRequest) -> None:
    """Tell the child's browsers about an answer, once, whichever process gave it."""
    if request.id in runtime.announced or request.status == "pending":
        return
    runtime.announced.add(request.id)
    runtime.notices.publish(request.profile, {"type": "answer", "id": request.id, "status": request.status,
                                              "kind": request.kind, "granted_minutes": request.granted_minutes})


def _decide(store: Store, request: TimeRequest, status: str, granted: int | None, now: datetime) -> None:
    with store.transaction() as db:
        changed = db.execute(
            "UPDATE requests SET status = ?, decided_at = ?, granted_minutes = ? WHERE id = ? AND status = 'pending'",
            (status, _stamp(now), granted, request.id),
        ).rowcount
    if not changed:
        current = get_request(store, request.id)
        raise RequestError(f"request {request.id} was already {current.status}")


def _check_minutes(minutes: object) -> None:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise RequestError(f"minutes {minutes!r} is not a whole number from 1 to {MAX_MINUTES}")


def _what(kind: str, minutes: int | None, host: str | None) -> str:
    if kind == "time":
        return f"{minutes} more minutes"
    return f"open {host}" + (f" for {minutes} minutes" if minutes else "")


def _record(store: Store, now: datetime, profile: str, host: str | None, category: str | None,
            action: str, detail: str) -> None:
    store.add_events([Event(now.astimezone(timezone.utc), profile, host or "", category, action, "request", detail)])


def _stamp(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).isoformat()


def _row(row: sqlite3.Row) -> TimeRequest:
    return TimeRequest(
        id=row["id"],
        at=datetime.fromisoformat(row["at"]),
        profile=row["profile"],
        kind=row["kind"],
        category=row["category"],
        minutes=row["minutes"],
        host=row["host"],
        message=row["message"],
        status=row["status"],
        decided_at=datetime.fromisoformat(row["decided_at"]) if row["decided_at"] else None,
        granted_minutes=row["granted_minutes"],
    )
