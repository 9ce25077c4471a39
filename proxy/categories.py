"""The fourteen category ids. They are stable: policy files, lists and events use them."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "adult",
    "gambling",
    "violence",
    "drugs",
    "self_harm",
    "hate_bullying",
    "malware",
    "phishing",
    "proxy_vpn",
    "dating",
    "social",
    "games",
    "video",
    "chat",
)

CATEGORY_SET = frozenset(CATEGORIES)


def is_category(name: str) -> bool:
    return name in CATEGORY_SET


def category_order(name: str) -> int:
    """Position in the canonical order, so exports list categories the same way every time."""
    return CATEGORIES.index(name)
