"""What a decision says about itself.

Every non-allow decision carries reasons, each with a stable ``source`` string. These strings
are a public contract (``kiteguard check --json``, events, the block page): never rename one,
add a new one instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Action = Literal["allow", "warn", "block"]

SOURCES: tuple[str, ...] = (
    "custom",
    "blocklist",
    "classifier",
    "schedule",
    "quota",
    "safesearch",
    "bypass",
    "error",
)


@dataclass(frozen=True)
class Reason:
    source: str
    category: str | None
    detail: str
    rule: str | None = None  # the rule, list or line that matched, for parents and the block page

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown reason source {self.source!r}")

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "category": self.category, "detail": self.detail}


@dataclass(frozen=True)
class Rewrite:
    url: str | None = None
    headers: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"url": self.url, "headers": dict(self.headers)}


@dataclass(frozen=True)
class Decision:
    action: Action
    category: str | None = None
    reasons: tuple[Reason, ...] = ()
    rewrite: Rewrite | None = None
    reopens_at: datetime | None = None  # when a schedule or quota block lifts, if known
    extra: tuple[tuple[str, Any], ...] = field(default=(), compare=False)

    @property
    def primary(self) -> Reason | None:
        return self.reasons[0] if self.reasons else None

    def to_json(self, url: str, profile: str) -> dict[str, Any]:
        """The `kiteguard check --json` contract."""
        return {
            "url": url,
            "profile": profile,
            "action": self.action,
            "category": self.category,
            "reasons": [reason.to_json() for reason in self.reasons],
            "rewrite": self.rewrite.to_json() if self.rewrite else None,
        }


ALLOW = Decision("allow")
