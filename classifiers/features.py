"""Features: word n-grams with and without diacritics, and character n-grams.

Four kinds of token describe a text:
- ``w:`` words and word pairs of the normalised text (precise when diacritics are present);
- ``b:`` the same on diacritic-stripped text, for texts typed with accents (so "tài xỉu"
  also lights the features that training's accent-stripped copies taught as "tai xiu");
- bare character n-grams of the stripped text, across word boundaries, which catch glued
  words ("taixiu88", "phimsex") and spellings the normaliser does not know. They never
  contain ":", so they cannot collide with word tokens;
- ``e:`` pictographs (🍃, 💊, 🔞), which the word pattern drops;
- ``c:`` concepts: every word or phrase of the concept lexicon found in the text also emits
  its concept ("mã tấu" and "machete" both emit ``c:vh_blade``; see ``concepts.py``).

Each distinct token counts once (binary), and a text's vector is scaled by
(number of distinct tokens) ** -0.4, so long texts do not drown short ones, yet more
evidence still adds up. Training values a word token (and a word pair) at twice a character
n-gram; that factor is folded into the stored weights, so judging needs no kind of token.

Training hashes tokens into a fixed space with sklearn's HashingVectorizer: memory stays
bounded whatever the corpus size. The artefact then keeps a table from each token seen in
training to its hashed column's weights, so judging a page is a dictionary look-up per
token, with no hashing on the hot path. Tokens never seen in training weigh nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kiteguard.classifiers.concepts import Lexicon
from kiteguard.classifiers.normalise import BARE, WORDS, normalise

if TYPE_CHECKING:
    from scipy import sparse

# Pictographs, which ``WORDS`` drops: dealers' menus and adult promos speak in 🍃 ❄️ 💊 🍑 🔞.
# Variation selectors and skin tones are left out, so "❄️" and "❄" are one token.
_EMOJI = re.compile("[\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001f3fa\U0001f400-\U0001faff]")


@dataclass(frozen=True)
class FeatureConfig:
    n_features: int = 2**20
    char_min: int = 3
    char_max: int = 4  # 3–5-grams did no better in cross-validation, and cost a third more tokens
    max_chars: int = 500  # longer texts are cut: the opening of a page says what it is
    char_chars: int = 250  # character n-grams read only the opening, for speed
    emoji: int = 1  # 1: each distinct pictograph is a token ("e:🍃")
    # A text's vector is divided by (distinct tokens) ** (norm_percent / 100). 40 rather than the
    # usual 50 (unit length) lets a longer text's evidence add up: +0.005 cross-validated macro-F1.
    norm_percent: int = 40

    def to_json(self) -> dict[str, int]:
        return {"n_features": self.n_features, "char_min": self.char_min, "char_max": self.char_max,
                "max_chars": self.max_chars, "char_chars": self.char_chars, "emoji": self.emoji,
                "norm_percent": self.norm_percent}

    @classmethod
    def from_json(cls, raw: dict[str, int]) -> FeatureConfig:
        # A model saved before a setting existed was trained as these values say.
        legacy = {"emoji": 0, "norm_percent": 50}
        return cls(**{key: int(raw[key] if key in raw else legacy[key]) for key in cls().to_json()})


@dataclass(frozen=True)
class Prepared:
    """A text in the two forms the features read."""

    normal: str
    bare: str

    @property
    def accented(self) -> bool:
        """Typed with diacritics: stripping them changed something."""
        return self.bare != self.normal


def prepare(text: str, config: FeatureConfig) -> Prepared:
    normal = normalise(text[: config.max_chars])
    return Prepared(normal, normal.translate(BARE))  # already composed: skip strip_diacritics' NFC pass


def word_tokens(words: list[str], prefix: str) -> list[str]:
    tokens = [prefix + word for word in words]
    tokens += [f"{prefix}{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return tokens


def char_tokens(bare: str, low: int, high: int) -> list[str]:
    padded = f" {bare} "
    tokens: list[str] = []
    for size in range(low, high + 1):
        tokens += [padded[i:i + size] for i in range(len(padded) - size + 1)]
    return tokens


def tokens_of(prepared: Prepared, config: FeatureConfig, lexicon: Lexicon) -> list[str]:
    normal_words = WORDS.findall(prepared.normal)
    tokens = word_tokens(normal_words, "w:")
    accented = prepared.accented
    if accented:  # stripped words add nothing to text typed without accents
        bare_words = WORDS.findall(prepared.bare)
        tokens += word_tokens(bare_words, "b:")
    else:
        bare_words = normal_words
    if config.emoji:
        tokens += ["e:" + symbol for symbol in set(_EMOJI.findall(prepared.normal))]
    tokens += lexicon.tokens(normal_words, accented)
    return tokens + char_tokens(" ".join(bare_words)[: config.char_chars], config.char_min, config.char_max)


def length_scale(distinct: int, config: FeatureConfig) -> float:
    """What a text's token vector is multiplied by, in training and in judging alike."""
    return float(max(1, distinct) ** (-config.norm_percent / 100))


def _as_is(tokens: list[str]) -> list[str]:
    return tokens


class Hasher:
    """Training-side: token lists to the hashed, scaled sparse matrix the linear model fits."""

    def __init__(self, config: FeatureConfig, lexicon: Lexicon) -> None:
        # Imported here: judging never needs scikit-learn, and importing it costs about a second.
        from sklearn.feature_extraction.text import HashingVectorizer

        self.config = config
        self.lexicon = lexicon
        self._vectoriser = HashingVectorizer(analyzer=_as_is, n_features=config.n_features, binary=True,
                                             alternate_sign=False, norm=None, dtype=np.float32)

    def analyse(self, text: str) -> list[str]:
        return tokens_of(prepare(text, self.config), self.config, self.lexicon)

    def transform(self, token_lists: list[list[str]], sizes: list[int]) -> sparse.csr_matrix:
        """Hash token lists; ``sizes`` are each text's distinct token counts before any pruning."""
        from scipy import sparse

        matrix = self._vectoriser.transform(token_lists).tocsr()
        scale = np.array([length_scale(size, self.config) for size in sizes], dtype=np.float32)
        return sparse.diags(scale) @ matrix

    def column(self, token: str) -> int:
        """The column a token lands in, computed as sklearn's FeatureHasher does."""
        from sklearn.utils import murmurhash3_32

        return int(abs(murmurhash3_32(token, seed=0, positive=False))) % self.config.n_features
