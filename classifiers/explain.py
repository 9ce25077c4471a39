"""Which words pushed a text toward a category, in words a parent can read.

A linear model's push is the sum of its features' weights. Each word owns its word features
and the character n-grams inside it; each pair of words also owns its pair features. We score
words and pairs by how much more they pull toward the category than toward "safe", and keep
the strongest non-overlapping phrases, in the normalised spelling (teen-code rewritten).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kiteguard.classifiers.features import Prepared, char_tokens
from kiteguard.classifiers.labels import LABELS, SAFE

if TYPE_CHECKING:
    from kiteguard.classifiers.model import Classifier

_WORDS = re.compile(r"[^\W_]+")
MAX_PHRASES = 5
MAX_WORDS = 400  # enough for a page's opening; explaining must stay cheap


def explain_phrases(prepared: Prepared, model: Classifier, category: str) -> tuple[str, ...]:
    normal = _WORDS.findall(prepared.normal)[:MAX_WORDS]
    bare = _WORDS.findall(prepared.bare)[:MAX_WORDS]
    if len(normal) != len(bare):
        normal = bare
    toward, away = LABELS.index(category), LABELS.index(SAFE)
    index, weights = model.featuriser.index, model.weights
    config = model.config
    memo: dict[str, float] = {}

    def push(tokens: list[str]) -> float:
        columns = [index(token) for token in tokens]
        return float((weights[columns, toward] - weights[columns, away]).sum())

    def word_push(position: int) -> float:
        key = normal[position]
        if key not in memo:
            tokens = ["w" + key, "b" + bare[position]] + char_tokens(bare[position], config.char_min, config.char_max)
            memo[key] = push(tokens)
        return memo[key]

    candidates: list[tuple[float, int, int]] = []
    for position in range(len(normal)):
        candidates.append((word_push(position), position, position + 1))
        if position + 1 < len(normal):
            pair = push([f"w{normal[position]} {normal[position + 1]}", f"b{bare[position]} {bare[position + 1]}"])
            score = pair + word_push(position) + word_push(position + 1)
            candidates.append((score, position, position + 2))
    candidates.sort(reverse=True)
    chosen: list[str] = []
    used: set[int] = set()
    for score, start, end in candidates:
        if score <= 0 or len(chosen) >= MAX_PHRASES:
            break
        span = set(range(start, end))
        phrase = " ".join(normal[start:end])
        if span & used or any(phrase in earlier for earlier in chosen):
            continue
        used |= span
        chosen.append(phrase)
    return tuple(chosen)
