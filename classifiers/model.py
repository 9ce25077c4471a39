"""The shipped classifier: a versioned artefact of linear weights over hashed features.

The artefact is two files in one folder, never a pickle (loading one must not run code):
- ``model.json``: format version, labels, feature settings, thresholds, training facts;
- ``weights.npz``: the tokens seen in training (newline-joined UTF-8), one row of weights per
  token (one weight per label, float16) and the intercepts.

Probabilities are a softmax over the seven labels. A text is given the most probable unsafe
category whose probability reaches that category's threshold for the chosen sensitivity.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kiteguard.classifiers.concepts import EMPTY, Lexicon, LexiconError, from_stored
from kiteguard.classifiers.explain import explain_phrases
from kiteguard.classifiers.features import FeatureConfig, Prepared, length_scale, prepare, tokens_of
from kiteguard.classifiers.labels import LABELS, SAFE, SENSITIVITIES, UNSAFE
from kiteguard.classifiers.language import guess_language

FORMAT_VERSION = 1
DEFAULT_DIR = Path(__file__).resolve().parent / "model"
DEFAULT_THRESHOLDS: dict[str, float] = {"strict": 0.45, "balanced": 0.6, "relaxed": 0.75}


class ModelError(Exception):
    """The artefact is missing, corrupt, or of a format this version cannot read."""


@dataclass(frozen=True)
class Verdict:
    category: str  # the flagged unsafe category, or "safe"
    scores: Mapping[str, float]
    language: str
    explain: tuple[str, ...] = ()
    sensitivity: str = "balanced"

    @property
    def flagged(self) -> bool:
        return bool(self.category != SAFE)

    def to_json(self) -> dict[str, Any]:
        return {"category": self.category, "scores": {k: round(v, 4) for k, v in self.scores.items()},
                "language": self.language, "explain": list(self.explain)}


@dataclass(frozen=True)
class ModelInfo:
    version: str
    trained_on: Mapping[str, Any] = field(default_factory=dict)


class Classifier:
    def __init__(self, token_text: str, weights: np.ndarray, intercepts: np.ndarray, config: FeatureConfig,
                 thresholds: Mapping[str, Mapping[str, float]], info: ModelInfo, lexicon: Lexicon = EMPTY) -> None:
        """``token_text``: the tokens seen in training, newline-joined, as the artefact stores them."""
        tokens = token_text.split("\n") if token_text else []
        if weights.shape != (len(tokens), len(LABELS)):
            raise ModelError(f"weights have shape {weights.shape}, expected ({len(tokens)}, {len(LABELS)})")
        # Row 0 is all zeros and stands for every token the model never saw.
        self.weights = np.vstack([np.zeros((1, len(LABELS)), dtype=np.float32), weights.astype(np.float32)])
        # Kept for saving as one UTF-8 blob: 350,000 small str objects held ~25 MB more, and the text
        # itself (wide characters: pictograph tokens) four times the bytes. Judging finds rows by
        # hash (below), never by a dict.
        self._token_blob = token_text.encode("utf-8")
        # The hot path finds rows by the tokens' 64-bit string hashes in a sorted array: the set of a
        # text's tokens has already computed them, and a vectorised binary search over one contiguous
        # array is several times faster than a dictionary look-up per token, which waits on memory
        # for every probe. Python's str hash is salted per process, so the array is built at load.
        # Two different tokens sharing a 64-bit hash is ~1e-11 likely per page; it would only lend
        # one unseen token another token's weights.
        hashes = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens))
        order = np.argsort(hashes, kind="stable")
        self._hashes = np.append(hashes[order], np.iinfo(np.int64).max)  # a sentinel keeps positions in range
        self._hash_rows = np.append(order + 1, 0).astype(np.intp)
        self.intercepts = intercepts.astype(np.float32)
        self.config = config
        self.lexicon = lexicon  # the concept lexicon the model was trained with travels with it
        self.thresholds = {s: dict(thresholds[s]) for s in SENSITIVITIES}
        self.info = info

    @property
    def tokens(self) -> list[str]:
        return self._token_blob.decode("utf-8").split("\n") if self._token_blob else []

    # -- judging -------------------------------------------------------------------------

    def rows_of(self, tokens: Collection[str], in_order: bool = True) -> np.ndarray:
        """The weight rows of these tokens (0 for a token the model never saw)."""
        keys = np.fromiter(map(hash, tokens), dtype=np.int64, count=len(tokens))
        if not in_order:
            keys.sort()  # sorted keys let each binary search start where the last one ended: fewer cache misses
        found = self._hashes.searchsorted(keys)
        rows: np.ndarray = np.where(self._hashes[found] == keys, self._hash_rows[found], 0)
        return rows

    def _probabilities(self, prepared: Prepared) -> np.ndarray:
        distinct = set(tokens_of(prepared, self.config, self.lexicon))
        rows = self.rows_of(distinct, in_order=False)  # a sum does not care about order
        logits = self.weights.take(rows, axis=0).sum(axis=0) * length_scale(len(distinct), self.config)
        logits += self.intercepts
        exp = np.exp(logits - logits.max())
        probabilities: np.ndarray = exp / exp.sum()
        return probabilities

    def probabilities(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        return np.vstack([self._probabilities(prepare(text, self.config)) for text in texts])

    def classify(self, text: str, sensitivity: str = "balanced", explain: bool = True) -> Verdict:
        prepared = prepare(text, self.config)
        scores = {label: float(p) for label, p in zip(LABELS, self._probabilities(prepared), strict=False)}
        category = self.decide(scores, sensitivity)
        phrases: tuple[str, ...] = ()
        if explain and category != SAFE:
            phrases = explain_phrases(prepared, self, category)
        return Verdict(category, scores, guess_language(prepared.normal), phrases, sensitivity)

    def decide(self, scores: Mapping[str, float], sensitivity: str) -> str:
        if sensitivity not in self.thresholds:
            raise ValueError(f"sensitivity {sensitivity!r} is not one of {', '.join(SENSITIVITIES)}")
        limits = self.thresholds[sensitivity]
        above = [(scores[label], label) for label in UNSAFE if scores[label] >= limits[label]]
        return str(max(above)[1]) if above else SAFE

    # -- artefact ------------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the artefact atomically: a reader sees the old model or the new one, never half."""
        folder.mkdir(parents=True, exist_ok=True)
        blob = np.frombuffer(self._token_blob, dtype=np.uint8)
        lexicon = np.frombuffer(self.lexicon.to_text().encode("utf-8"), dtype=np.uint8)
        meta = {
            "format": FORMAT_VERSION, "version": self.info.version, "labels": list(LABELS),
            "features": self.config.to_json(), "thresholds": self.thresholds,
            "trained_on": dict(self.info.trained_on),
        }
        _write_atomic(folder / "weights.npz", lambda handle: np.savez_compressed(
            handle, tokens=blob, weights=self.weights[1:].astype(np.float16), intercepts=self.intercepts,
            concepts=lexicon))
        _write_atomic(folder / "model.json",
                      lambda handle: handle.write(json.dumps(meta, indent=2, ensure_ascii=False).encode()))

    @classmethod
    def load(cls, folder: Path | None = None) -> Classifier:
        folder = folder or DEFAULT_DIR
        try:
            meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
            with np.load(folder / "weights.npz", allow_pickle=False) as arrays:
                blob, weights, intercepts = arrays["tokens"], arrays["weights"], arrays["intercepts"]
                # A model saved before concepts existed has no lexicon and was trained without one.
                concepts = arrays["concepts"].tobytes().decode("utf-8") if "concepts" in arrays else ""
            token_text = blob.tobytes().decode("utf-8")
            lexicon = from_stored(concepts) if concepts else EMPTY
        except (OSError, ValueError, KeyError, UnicodeDecodeError, LexiconError) as error:
            raise ModelError(f"cannot read the classifier model in {folder}: {error}") from error
        if meta.get("format") != FORMAT_VERSION or tuple(meta.get("labels", ())) != LABELS:
            raise ModelError(f"model in {folder} has format {meta.get('format')!r}; "
                             f"this version reads {FORMAT_VERSION}")
        info = ModelInfo(str(meta.get("version", "")), meta.get("trained_on", {}))
        return cls(token_text, weights, intercepts, FeatureConfig.from_json(meta["features"]), meta["thresholds"], info,
                   lexicon)


def _write_atomic(path: Path, write: Any) -> None:
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False)
    try:
        with handle:
            write(handle)
        os.chmod(handle.name, 0o644)  # a shipped artefact, readable by every user of the machine
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise
