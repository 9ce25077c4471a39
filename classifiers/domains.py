"""A weak signal from a site's name alone: "nhacaiuytin88.com" reads like gambling.

It is learned from the names in the installed block lists (each list's category) against
ordinary names, as character n-grams of the name without its public suffix. A name is
evidence, never proof: the hint is labelled weak wherever it is shown, and it never blocks
on its own; it can only add its voice to what a page's text already says.
"""

from __future__ import annotations

import os
import random
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiteguard.classifiers.labels import SAFE

_SECOND_LEVEL = frozenset({"com", "net", "org", "edu", "gov", "co", "ac", "info", "biz", "name", "pro"})
_SEPARATORS = re.compile(r"[.\-_]+")
MIN_SCORE = 0.8  # below this a name says nothing worth showing
N_FEATURES = 2**18


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


def name_features(part: str) -> list[int]:
    """Hashed character 3- to 5-grams of each word, padded with a space on both sides."""
    features = []
    for word in part.split():
        padded = f" {word} ".encode()
        for size in (3, 4, 5):
            features += [zlib.crc32(padded[start:start + size]) % N_FEATURES
                         for start in range(len(padded) - size + 1)]
    return features


class DomainModel:
    def __init__(self, seed: int = 20261128) -> None:
        self._seed = seed
        self.categories: tuple[str, ...] = ()
        self._weights = np.zeros((0, N_FEATURES), dtype=np.float32)  # log-probabilities, one row per category

    def fit(self, names: Mapping[str, Iterable[str]], ordinary: Iterable[str],
            per_category: int = 20_000) -> DomainModel:
        """Learn from host names per category and from ordinary (safe) names.

        Large lists are sampled (seeded) so a 30,000-name gambling list cannot drown the rest.
        """
        rng = random.Random(self._seed)
        texts: list[str] = []
        labels: list[str] = []
        for category, hosts in sorted(names.items()) + [(SAFE, ordinary)]:
            parts = sorted({part for part in map(name_part, _thinned(hosts, 2 * per_category)) if part})
            if len(parts) > per_category:
                parts = rng.sample(parts, per_category)
            texts += parts
            labels += [category] * len(parts)
        if len(set(labels)) < 2:
            raise ValueError("the domain model needs names from at least one category and ordinary names")
        self.categories = tuple(sorted(set(labels)))
        self._weights = _complement_weights(texts, labels, self.categories)
        return self

    def save(self, path: Path) -> None:
        """Write the weights (no pickle), atomically: a running proxy may be reading the old file."""
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "wb") as handle:
            np.savez_compressed(handle, categories=np.array(self.categories), weights=self._weights)
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path) -> DomainModel:
        model = cls()
        with np.load(path, allow_pickle=False) as arrays:
            model.categories = tuple(str(category) for category in arrays["categories"])
            model._weights = arrays["weights"].astype(np.float32)
        if model._weights.shape != (len(model.categories), N_FEATURES):
            raise ValueError(f"{path} is not a site-name model of this version")
        return model

    def hint(self, host: str, min_score: float = MIN_SCORE) -> DomainHint | None:
        probabilities = self.scores([host])[0]
        best = int(np.argmax(probabilities))
        category, score = self.categories[best], float(probabilities[best])
        if category == SAFE or score < min_score:
            return None
        return DomainHint(category, score)

    def scores(self, hosts: list[str]) -> np.ndarray:
        """Probabilities per category, as ComplementNB gives them (its scores, normalised)."""
        joint = np.stack([self._weights[:, name_features(name_part(host))].sum(axis=1) for host in hosts])
        joint -= joint.max(axis=1, keepdims=True)
        probabilities: np.ndarray = np.exp(joint)
        return probabilities / probabilities.sum(axis=1, keepdims=True)


def _thinned(hosts: Iterable[str], about: int) -> list[str]:
    """About ``about`` of the hosts, picked by a hash of each name: the same names whatever their
    order, and a million-name list is not taken apart name by name only to be sampled."""
    hosts = list(hosts)
    stride = len(hosts) // about
    if stride < 2:
        return hosts
    return [host for host in hosts if zlib.crc32(host.encode()) % stride == 0]


def _complement_weights(texts: list[str], labels: list[str], categories: tuple[str, ...],
                        smoothing: float = 0.5) -> np.ndarray:
    """Complement naive Bayes (Rennie et al. 2003), as scikit-learn's ComplementNB computes it.

    Each category is scored by how unlike the *other* categories' names a name is, which is
    steadier than plain naive Bayes when one list is far longer than another. Written out with
    numpy so that learning at every compile, inside ``kiteguard run``, never loads scikit-learn.
    """
    counts = np.zeros((len(categories), N_FEATURES), dtype=np.float64)
    for row, category in enumerate(categories):
        features = [index for text, label in zip(texts, labels, strict=True) if label == category
                    for index in name_features(text)]
        counts[row] = np.bincount(np.asarray(features, dtype=np.intp), minlength=N_FEATURES)
    complement = counts.sum(axis=0) + smoothing - counts
    weights = -np.log(complement / complement.sum(axis=1, keepdims=True))
    return weights.astype(np.float32)
