"""Hashed features: word n-grams with and without diacritics, and character n-grams.

Three namespaces share one hashed vector:
- ``w`` words and word pairs of the normalised text (precise when diacritics are present);
- ``b`` the same on diacritic-stripped text (so "tai xiu" and "tài xỉu" meet);
- ``c`` character n-grams of the stripped text, across word boundaries, which catch
  glued words ("taixiu88", "phimsex") and spellings the normaliser does not know.

Hashing keeps the artefact free of a vocabulary and makes features for unseen words free.
The same token list also drives the explanation, so what a parent reads is what the model used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils import murmurhash3_32

from kiteguard.classifiers.normalise import normalise, strip_diacritics

_WORDS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class FeatureConfig:
    n_features: int = 2**19
    char_min: int = 3
    char_max: int = 5
    max_chars: int = 3000  # longer texts are cut: the first screenful says what a page is

    def to_json(self) -> dict[str, int]:
        return {"n_features": self.n_features, "char_min": self.char_min, "char_max": self.char_max,
                "max_chars": self.max_chars}

    @classmethod
    def from_json(cls, raw: dict[str, int]) -> FeatureConfig:
        return cls(int(raw["n_features"]), int(raw["char_min"]), int(raw["char_max"]), int(raw["max_chars"]))


@dataclass(frozen=True)
class Prepared:
    """A text in the two forms the features read."""

    normal: str
    bare: str


def prepare(text: str, config: FeatureConfig) -> Prepared:
    normal = normalise(text[: config.max_chars])
    return Prepared(normal, strip_diacritics(normal))


def word_tokens(words: list[str], prefix: str) -> list[str]:
    tokens = [prefix + word for word in words]
    tokens += [f"{prefix}{a} {b}" for a, b in zip(words, words[1:])]
    return tokens


def char_tokens(bare: str, low: int, high: int) -> list[str]:
    padded = f" {bare} "
    tokens: list[str] = []
    for size in range(low, high + 1):
        tokens += ["c" + padded[i:i + size] for i in range(len(padded) - size + 1)]
    return tokens


def _as_is(tokens: list[str]) -> list[str]:
    return tokens


class Featuriser:
    """Turns texts into the hashed sparse matrix the linear model reads."""

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config
        self._hasher = HashingVectorizer(
            analyzer=_as_is, n_features=config.n_features, alternate_sign=False,
            norm="l2", dtype=np.float32,
        )

    def analyse(self, text: str) -> list[str]:
        prepared = prepare(text, self.config)
        return self.tokens(prepared)

    def tokens(self, prepared: Prepared) -> list[str]:
        normal_words = _WORDS.findall(prepared.normal)
        bare_words = _WORDS.findall(prepared.bare)
        return (word_tokens(normal_words, "w") + word_tokens(bare_words, "b")
                + char_tokens(" ".join(bare_words), self.config.char_min, self.config.char_max))

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        return self._hasher.transform([self.analyse(text) for text in texts])

    def vector(self, tokens: list[str]) -> sparse.csr_matrix:
        """One l2-normalised row for an already analysed text."""
        return self._hasher.transform([tokens])

    def index(self, token: str) -> int:
        """The column a token lands in, computed as sklearn's FeatureHasher does."""
        return abs(murmurhash3_32(token, seed=0, positive=False)) % self.config.n_features
