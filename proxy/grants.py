"""Temporary exceptions a profile holds: "continue" past a warning, or a site a parent approved.

A "continue" grant lifts warnings only; a "parent" grant lifts list and classifier blocks too.
Neither lifts time rules: a parent gives more time through bonus minutes instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .urls import host_suffixes

GrantKind = Literal["continue", "parent"]


@dataclass(frozen=True)
class Grant:
    profile: str
    host: str  # the host and all its subdomains
    kind: GrantKind
    until: datetime  # aware


class GrantBook:
    """The live grants, kept in memory; the store keeps the durable copy."""

    def __init__(self, grants: tuple[Grant, ...] = ()) -> None:
        self._grants: dict[tuple[str, str], Grant] = {}
        for grant in grants:
            self.add(grant)

    def add(self, grant: Grant) -> None:
        key = (grant.profile, grant.host)
        current = self._grants.get(key)
        if current is None or _rank(grant) >= _rank(current):
            self._grants[key] = grant

    def strongest(self, profile: str, host: str, now: datetime) -> GrantKind | None:
        best: Grant | None = None
        for suffix in host_suffixes(host):
            grant = self._grants.get((profile, suffix))
            if grant and grant.until > now and (best is None or _rank(grant) > _rank(best)):
                best = grant
        return best.kind if best else None

    def prune(self, now: datetime) -> None:
        self._grants = {key: grant for key, grant in self._grants.items() if grant.until > now}

    def __len__(self) -> int:
        return len(self._grants)


def _rank(grant: Grant) -> int:
    return 1 if grant.kind == "parent" else 0
