"""Which words pushed a text toward a category, in words a parent can read.

A linear model's push is the sum of its features' weights. Each word owns its word features,
the character n-grams inside it and the concepts it is an entry of; each pair of words also owns
its pair features and the concepts of two-word entries. We score
words and pairs by how much more they pull toward the category than toward "safe", and keep
the strongest non-overlapping phrases, in the normalised spelling (teen-code rewritten).
"""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from kiteguard.classifiers.features import Prepared, char_tokens
from kiteguard.classifiers.labels import LABELS, SAFE
from kiteguard.classifiers.normalise import WORDS

if TYPE_CHECKING:
    from kiteguard.classifiers.model import Classifier

MAX_PHRASES = 5
MAX_WORDS = 80  # enough for a page's opening; explaining must stay cheap


def explain_phrases(prepared: Prepared, model: Classifier, category: str) -> tuple[str, ...]:
    normal = WORDS.findall(prepared.normal)[:MAX_WORDS]
    bare = WORDS.findall(prepared.bare)[:MAX_WORDS]
    if len(normal) != len(bare):
        normal = bare
    if not normal:
        return ()
    config = model.config
    accented = prepared.accented
    concepts_of = model.lexicon.tokens_of_phrase
    # Every word's and pair's tokens go into one flat list, summed per segment in one numpy call.
    segments: list[list[str]] = []
    word_segment: dict[str, int] = {}
    for word, plain in zip(normal, bare, strict=False):
        if word not in word_segment:
            word_segment[word] = len(segments)
            segments.append(["w:" + word, "b:" + plain, *concepts_of(word, accented)]
                            + char_tokens(plain, config.char_min, config.char_max))
    pair_start = len(segments)
    for position in range(len(normal) - 1):
        pair = f"{normal[position]} {normal[position + 1]}"
        segments.append([f"w:{pair}", f"b:{bare[position]} {bare[position + 1]}", *concepts_of(pair, accented)])
    rows = model.rows_of(list(chain.from_iterable(segments)))
    offsets = np.cumsum([0] + [len(segment) for segment in segments[:-1]])
    # The push of only the rows this text uses: the whole weight matrix is ~400,000 rows.
    delta = model.weights[rows, LABELS.index(category)] - model.weights[rows, LABELS.index(SAFE)]
    push = np.add.reduceat(delta, offsets).tolist()
    word_push = [push[word_segment[word]] for word in normal]
    candidates = [(word_push[i], i, i + 1) for i in range(len(normal))]
    candidates += [(push[pair_start + i] + word_push[i] + word_push[i + 1], i, i + 2) for i in range(len(normal) - 1)]
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
