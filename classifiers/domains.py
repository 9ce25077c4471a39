"""A weak signal from a site's name alone: "nhacaiuytin88.com" reads like gambling.

It is learned from the names in the installed block lists (each list's category) against
ordinary names, as character n-grams of the name without its public suffix. A name is
evidence, never proof: the hint is labelled weak wherever it is shown, and it never blocks
on its own; it can only add its voice to what a page's text already says.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.naive_bayes import ComplementNB

from kiteguard.classifiers.labels import SAFE

_SECOND_LEVEL = frozenset({"com", "net", "org", "edu", "gov", "co", "ac", "info", "biz", "name", "pro"})
_SEPARATORS = re.compile(r"[.\-_]+")
MIN_SCORE = 0.8  # below this a name says nothing worth showing


@dataclass(frozen=True)
class DomainHint:
    category: str
    score: float
    weak: bool = True  # always: a name alone is a weak signal

    def describe(self) -> str:
        return f"the site's name looks like {self.category} ({self.score:.0%}, weak signal)"


def name_part(host: str) -> str:
    """The part of a host name that a person chose: "www.nhacai88.com.vn" -> "nhacai88"."""
    labels = [label for label in host.lower().rstrip(".").split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    if labels and labels[0] in ("www", "m", "mobile"):
        labels = labels[1:]
    return " ".join(_SEPARATORS.sub(" ", label) for label in labels[-2:])


class DomainModel:
    def __init__(self, seed: int = 20261128) -> None:
        self._vectoriser = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**18,
                                             alternate_sign=False, norm=None)
        self._model = ComplementNB(alpha=0.5)
        self._seed = seed
        self.categories: tuple[str, ...] = ()

    def fit(self, names: Mapping[str, Iterable[str]], ordinary: Iterable[str],
            per_category: int = 20_000) -> DomainModel:
        """Learn from host names per category and from ordinary (safe) names.

        Large lists are sampled (seeded) so a 30,000-name gambling list cannot drown the rest.
        """
        rng = random.Random(self._seed)
        texts: list[str] = []
        labels: list[str] = []
        for category, hosts in sorted(names.items()) + [(SAFE, ordinary)]:
            parts = sorted({part for part in map(name_part, hosts) if part})
            if len(parts) > per_category:
                parts = rng.sample(parts, per_category)
            texts += parts
            labels += [category] * len(parts)
        if len(set(labels)) < 2:
            raise ValueError("the domain model needs names from at least one category and ordinary names")
        self._model.fit(self._vectoriser.transform(texts), labels)
        self.categories = tuple(str(label) for label in self._model.classes_)
        return self

    def hint(self, host: str, min_score: float = MIN_SCORE) -> DomainHint | None:
        probabilities = self.scores([host])[0]
        best = int(np.argmax(probabilities))
        category, score = self.categories[best], float(probabilities[best])
        if category == SAFE or score < min_score:
            return None
        return DomainHint(category, score)

    def scores(self, hosts: list[str]) -> np.ndarray:
        probabilities: np.ndarray = self._model.predict_proba(
            self._vectoriser.transform([name_part(host) for host in hosts]))
        return probabilities
