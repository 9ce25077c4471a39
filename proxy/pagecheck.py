"""Judging pages that no list knows, by what they say (no mitmproxy here; the add-on calls it).

Only an allowed ``text/html`` page of a site that no list, custom rule or help-site rule
decided is read. The verdict depends on the page and the profile's sensitivity; the action
on the profile's ``block`` and ``warn`` lists. Verdicts are cached per URL and sensitivity for
a while, so a reload costs nothing.

Per host, too: reading a page costs about as much CPU as mitmproxy's whole handling of a request,
and a child mostly browses many pages of one site. Once a host has given CLEAN_STREAK clean pages
in a row, only one page in SAMPLE_EVERY of it is read until CACHE_SECONDS pass without a read; any
flagged page resets the host to "read every page". Lists and custom rules still judge every
request. A classifier failure is logged and allows the page: the classifier never blocks on its
own account, while the lists still apply.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from kiteguard.classifiers.domains import DomainModel
from kiteguard.classifiers.labels import UNSAFE
from kiteguard.classifiers.model import Classifier, Verdict
from kiteguard.classifiers.page import load_classifier, verdict_for_page

from .helpsites import is_help_site
from .household import Profile
from .policy import custom_rule
from .reasons import Decision, Reason

log = logging.getLogger(__name__)
CACHE_SECONDS = 10 * 60
CACHE_ENTRIES = 2048
CLEAN_STREAK = 5
SAMPLE_EVERY = 8


@dataclass(frozen=True)
class PageVerdict:
    decision: Decision
    explain: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The phrases for the block page, quoted, in the model's normalised spelling."""
        return ", ".join(f"“{phrase}”" for phrase in self.explain)


def wants_judging(profile: Profile, host: str, decided: dict[str, object], grant: str | None) -> bool:
    """Whether a response is one the classifier should read at all."""
    if decided.get("action") != "allow" or decided.get("category") is not None:
        return False  # a list, rule or time limit already spoke for this site
    if grant == "parent" or is_help_site(host) or custom_rule(profile, host) is not None:
        return False
    return any(profile.action_for(category) != "allow" for category in UNSAFE)


def host_of(url: str) -> str:
    return urlsplit(url).hostname or ""


class PageJudge:
    def __init__(self, load: Callable[[], Classifier] = load_classifier,
                 clock: Callable[[], float] = time.monotonic,
                 domains: Callable[[], DomainModel | None] = lambda: None) -> None:
        self._load = load
        self._domains = domains  # the model learned from the installed lists' names, if there is one
        self._clock = clock
        self._cache: OrderedDict[tuple[str, str], tuple[float, Verdict | None]] = OrderedDict()
        self._hosts: OrderedDict[tuple[str, str], HostRecord] = OrderedDict()

    def judge(self, url: str, body: bytes, content_type: str | None, content_encoding: str | None,
              profile: Profile, grant: str | None = None) -> PageVerdict | None:
        """The warn or block for this page, or None to let it through."""
        verdict = self._verdict(url, body, content_type, content_encoding, profile.sensitivity)
        if verdict is None or not verdict.flagged:
            return None
        action = profile.action_for(verdict.category)
        if action == "allow" or (action == "warn" and grant == "continue"):
            return None
        score = verdict.scores[verdict.category]
        reasons = [Reason("classifier", verdict.category, f"page text scored {score:.0%} {verdict.category}",
                          rule=f"classifier ({profile.sensitivity})")]
        names = self._domains()
        hint = names.hint(host_of(url)) if names is not None else None
        if hint is not None and hint.category == verdict.category:  # the name agrees: said, and said to be weak
            reasons.append(Reason("classifier", hint.category, hint.describe(), rule="site name (weak signal)"))
        decision = Decision(action, verdict.category, tuple(reasons))  # type: ignore[arg-type]
        return PageVerdict(decision, verdict.explain)

    def _verdict(self, url: str, body: bytes, content_type: str | None, content_encoding: str | None,
                 sensitivity: str) -> Verdict | None:
        key, now = (url, sensitivity), self._clock()
        cached = self._cache.get(key)
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            self._cache.move_to_end(key)
            return cached[1]
        host = self._host_record(host_of(url), sensitivity, now)
        if host.skip_this_page():
            return None
        try:
            verdict = verdict_for_page(body, content_type, sensitivity, content_encoding=content_encoding,
                                       model=self._load())
        except Exception:  # the classifier never blocks on its own: log it and let the lists decide
            log.exception("the page classifier failed; the page is allowed")
            return None
        self._cache[key] = (now, verdict)
        if len(self._cache) > CACHE_ENTRIES:
            self._cache.popitem(last=False)
        host.note(verdict.flagged, now)
        return verdict

    def _host_record(self, host: str, sensitivity: str, now: float) -> HostRecord:
        key = (host, sensitivity)
        record = self._hosts.get(key)
        if record is None or now - record.last_read >= CACHE_SECONDS:
            record = self._hosts[key] = HostRecord(last_read=now)
        self._hosts.move_to_end(key)
        if len(self._hosts) > CACHE_ENTRIES:
            self._hosts.popitem(last=False)
        return record


@dataclass
class HostRecord:
    """How a host's recent pages read: a run of clean pages earns sampling, a flagged one ends it."""

    last_read: float
    clean_streak: int = 0
    skipped: int = 0

    def skip_this_page(self) -> bool:
        if self.clean_streak < CLEAN_STREAK or self.skipped >= SAMPLE_EVERY - 1:
            self.skipped = 0
            return False
        self.skipped += 1
        return True

    def note(self, flagged: bool, now: float) -> None:
        self.last_read = now
        self.clean_streak = 0 if flagged else self.clean_streak + 1
