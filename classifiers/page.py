"""One call for the proxy: the verdict on an HTML response body, or None when it is not judged.

The add-on calls ``verdict_for_page`` only for responses that no list decided. It is pure
apart from loading the model once, never raises for hostile bodies, and reads at most the
first ``CAP_BYTES`` of the (possibly compressed) body.
"""

from __future__ import annotations

import threading
from pathlib import Path

from kiteguard.classifiers.extract import CAP_BYTES, extract, inflate
from kiteguard.classifiers.model import Classifier, Verdict

JUDGED_TYPES = ("text/html", "application/xhtml+xml")
MIN_TEXT_CHARS = 40  # too little text to judge fairly; the lists and the domain signal still apply

_lock = threading.Lock()
_loaded: dict[Path | None, Classifier] = {}


def load_classifier(folder: Path | None = None) -> Classifier:
    """The model in ``folder`` (default: the shipped one), loaded once per process."""
    with _lock:
        if folder not in _loaded:
            _loaded[folder] = Classifier.load(folder)
        return _loaded[folder]


def is_judged(content_type: str | None) -> bool:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    return media in JUDGED_TYPES


def verdict_for_page(body: bytes, content_type: str | None, sensitivity: str = "balanced", *,
                     content_encoding: str | None = None, model: Classifier | None = None,
                     cap: int = CAP_BYTES) -> Verdict | None:
    """Judge a page from its first bytes; None for non-HTML or near-empty pages."""
    if not is_judged(content_type):
        return None
    page = extract(inflate(body, content_encoding, cap), content_type, cap)
    text = page.text()
    if len(text) < MIN_TEXT_CHARS:
        return None
    return (model or load_classifier()).classify(text, sensitivity)
