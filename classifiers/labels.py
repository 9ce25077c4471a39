"""The classifier's output labels and the sensitivities a profile can choose."""

from __future__ import annotations

LABELS: tuple[str, ...] = ("adult", "gambling", "violence", "drugs", "self_harm", "hate_bullying", "safe")
UNSAFE: tuple[str, ...] = LABELS[:-1]
SAFE = "safe"
SENSITIVITIES: tuple[str, ...] = ("strict", "balanced", "relaxed")
LANGUAGES: tuple[str, ...] = ("vi", "en", "other")
