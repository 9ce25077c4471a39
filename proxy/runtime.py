"""The live state that the add-on, the web app and the background tasks share.

It owns the current household policy (reloaded when the store's revision changes, so
`kiteguard policy import` reaches a running proxy), the category lists, today's usage, the
grants and the event log, and it wraps the pure engine so that an internal error fails closed.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from importlib import resources
from zoneinfo import ZoneInfo

from . import policy, requests, timerules
from .activity import ActivityRecorder
from .eventlog import EventLog
from .grants import Grant, GrantBook, GrantKind
from .household import Household, Profile
from .notices import NoticeBoard, TimeWarner
from .parentpin import PinLimiter
from .paths import Home
from .policyfile import dump_policy, parse_policy
from .reasons import Decision
from .store import Event, Store
from .usage import UsageLedger

log = logging.getLogger(__name__)

CONTINUE_MINUTES = 30


def default_policy_text() -> str:
    return resources.files(__package__).joinpath("default_policy.toml").read_text(encoding="utf-8")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def load_household(store: Store) -> tuple[Household, int]:
    """The stored policy, or the embedded default (saved) on first use."""
    stored = store.load_policy()
    if stored is None:
        household = parse_policy(default_policy_text())
        return household, store.save_policy(dump_policy(household))
    return parse_policy(stored.toml), stored.revision


def write_behind(write: Callable[..., object], *args: object, **kwargs: object) -> None:
    """Run a store write in a worker thread when called on the event loop, so a locked or full
    disk never stalls the proxy; elsewhere (the CLI) run it at once. Failures are logged."""

    def guarded() -> None:
        try:
            write(*args, **kwargs)
        except Exception:
            log.exception("could not write %s", getattr(write, "__name__", "to the store"))

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        guarded()
        return
    loop.run_in_executor(None, guarded)


class Runtime:
    def __init__(
        self,
        home: Home,
        store: Store,
        *,
        clock: Callable[[], datetime] = utc_now,
        lists: policy.CategoryLookup | None = None,
    ) -> None:
        self.home = home
        self.store = store
        self.clock = clock
        self.household, self.policy_revision = load_household(store)
        self.lists: policy.CategoryLookup = lists or policy.NoLists()
        self.usage = UsageLedger(store)
        self.grants = GrantBook()
        for profile, host, kind, until in store.live_grants(clock()):
            self.grants.add(Grant(profile, host, kind, until))  # type: ignore[arg-type]
        self.events = EventLog(store)
        self._secret = secrets.token_bytes(32)  # signs "continue" links; new each start by design
        self.browsers: dict[str, str] = {}  # paired browser token id -> profile name
        self.notices = NoticeBoard()
        self.warner = TimeWarner(self.notices, lambda: self.household, self.usage)
        self.activity = ActivityRecorder(store, self.usage, clock=self.now, tz=lambda: self.tz,
                                         category_of=self.category_of)
        self.activity.listeners.append(self.warner.check_category)
        self.pin_limiter = PinLimiter()
        self._data_version = self._store_data_version()
        self._started = self.now()
        self.announced: set[int] = set()  # request ids whose answer the child's browsers were told
        # Told of every recorded decision (profile, decision, facts, action); the extension's live channel listens.
        self.decision_listeners: list[Callable[[str, Decision, policy.RequestFacts, str], None]] = []

    # -- policy --------------------------------------------------------------------------------------

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.household.timezone)

    def now(self) -> datetime:
        return self.clock()

    def reload_policy_if_changed(self) -> bool:
        """Pick up a policy saved by another process. Returns True when a new policy took effect."""
        revision = self.store.policy_revision()
        if revision == self.policy_revision:
            return False
        stored = self.store.load_policy()
        if stored is None:
            return False
        try:
            self.household = parse_policy(stored.toml)
        except ValueError as exc:  # only a validated policy is ever saved, but never apply a broken one
            log.error("stored policy revision %d is invalid, keeping the one in force: %s", stored.revision, exc)
        self.policy_revision = stored.revision
        return True

    def apply_policy(self, household: Household) -> int:
        """Save a validated policy and put it in force at once."""
        self.policy_revision = self.store.save_policy(dump_policy(household), self.now())
        self.household = household
        return self.policy_revision

    def profile(self, name: str | None) -> Profile:
        return self.household.profile(name)

    def profile_for_browser(self, token_id: str | None) -> Profile:
        """The child a tagged browser belongs to; unknown, forged or revoked tags get the default profile."""
        return self.household.profile(self.browsers.get(token_id) if token_id else None)

    def category_of(self, host: str) -> str | None:
        hits = self.lists.lookup(host, "/")
        return hits[0].category if hits else None

    # -- changes made by other processes (the CLI approving a request) -------------------------------

    def _store_data_version(self) -> int:
        return int(self.store.query("PRAGMA data_version")[0][0])  # changes only on other connections' commits

    def refresh_from_store(self) -> bool:
        """Take grants and bonus minutes another process stored. True when something may have changed."""
        version = self._store_data_version()
        if version == self._data_version:
            return False
        self._data_version = version
        now = self.now()
        for profile, host, kind, until in self.store.live_grants(now):
            self.grants.add(Grant(profile, host, kind, until))  # type: ignore[arg-type]
        self.usage.reload_bonus(timerules.local_day(now, self.tz))
        for answered in requests.decided_since(self.store, self._started):
            requests.announce(self, answered)
        return True

    # -- decisions -----------------------------------------------------------------------------------

    def context(self, now: datetime | None = None) -> policy.Context:
        return policy.Context(
            household=self.household,
            now=now or self.now(),
            lists=self.lists,
            usage=self.usage,
            grants=self.grants,
        )

    def decide(self, facts: policy.RequestFacts, profile_name: str | None, now: datetime | None = None) -> Decision:
        try:
            return policy.decide(facts, self.profile(profile_name), self.context(now))
        except Exception as exc:  # fail closed, and tell the parent
            log.exception("decision failed for %s", facts.url.host)
            self.store_alert_later("error", f"decision failed for {facts.url.host}: {exc}")
            return policy.failure(f"internal error: {type(exc).__name__}")

    def record(self, decision: Decision, facts: policy.RequestFacts, profile: str, action: str | None = None) -> None:
        """Log a non-allow decision at host level (full URLs only when the parent opted in)."""
        reason = decision.primary
        self.events.record(
            Event(
                at=self.now().astimezone(timezone.utc),
                profile=profile,
                host=facts.url.host,
                category=decision.category,
                action=action or decision.action,
                source=reason.source if reason else "error",
                detail=reason.detail if reason else "",
                url=facts.url.text if self.household.log_full_urls else None,
            )
        )
        for listener in self.decision_listeners:
            try:
                listener(profile, decision, facts, action or decision.action)
            except Exception:  # a listener must never break the request hook
                log.exception("decision listener failed")

    def store_alert_later(self, kind: str, detail: str, profile: str | None = None) -> None:
        write_behind(self.store.add_alert, kind, detail, profile=profile, now=self.now())

    # -- grants --------------------------------------------------------------------------------------

    def grant(self, profile: str, host: str, kind: GrantKind, minutes: int) -> Grant:
        grant = Grant(profile, host, kind, self.now() + timedelta(minutes=minutes))
        self.grants.add(grant)  # in force at once; the copy on disk only matters after a restart
        write_behind(self.store.save_grant, profile, host, kind, grant.until)
        return grant

    def sign(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def verify(self, signature: str, *parts: str) -> bool:
        return hmac.compare_digest(signature, self.sign(*parts))
