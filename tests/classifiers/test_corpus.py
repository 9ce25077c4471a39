"""The training corpus: every file parses, is labelled consistently, meets its floor and has no repeats."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "classifiers" / "corpus"
LABELS = ("adult", "gambling", "violence", "drugs", "self_harm", "hate_bullying", "safe")
LANGS = ("vi", "en")
FLOORS = {"vi": 300, "en": 200}
KEYS = {"text", "label", "lang", "kind", "style", "hard_negative"}


@functools.cache
def load_compose():
    # compose.py is a script beside the data, not part of the package; dataclasses need it in sys.modules.
    spec = importlib.util.spec_from_file_location("kiteguard_corpus_compose", CORPUS / "compose.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def read(label: str, lang: str) -> list[dict]:
    with (CORPUS / f"{label}.{lang}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


FILES = [(label, lang) for label in LABELS for lang in LANGS]


@pytest.mark.parametrize(("label", "lang"), FILES)
def test_file_is_well_formed_and_meets_its_floor(label, lang):
    rows = read(label, lang)
    assert len(rows) >= FLOORS[lang]
    for row in rows:
        assert set(row) == KEYS
        assert row["label"] == label and row["lang"] == lang
        assert row["kind"] in ("page", "chat")
        assert row["style"] in ("diacritics", "plain", "teencode", "mixed")
        assert isinstance(row["hard_negative"], bool)
        assert row["hard_negative"] is False or label == "safe"
        assert row["text"].strip() == row["text"] and row["text"]
        assert unicodedata.normalize("NFC", row["text"]) == row["text"]


@pytest.mark.parametrize(("label", "lang"), FILES)
def test_file_has_no_exact_and_few_near_duplicates(label, lang):
    compose = load_compose()
    rows = read(label, lang)
    folded = [compose.fold(row["text"]) for row in rows]
    assert len(set(folded)) == len(folded), [t for t, n in Counter(folded).items() if n > 1]
    near = {j for _, j in compose.near_duplicates([row["text"] for row in rows])}
    assert len(near) / len(rows) < 0.05


# Vietnamese must cover every way children actually type, and pages as well as chat.
@pytest.mark.parametrize("label", LABELS)
def test_vietnamese_covers_every_style_and_kind(label):
    rows = read(label, "vi")
    styles = Counter(row["style"] for row in rows)
    assert {"diacritics", "plain", "teencode", "mixed"} <= set(styles)
    assert styles["diacritics"] > len(rows) / 3
    assert {row["kind"] for row in rows} == {"page", "chat"}


@pytest.mark.parametrize("lang", LANGS)
def test_safe_has_a_large_share_of_hard_negatives(lang):
    rows = read("safe", lang)
    assert sum(row["hard_negative"] for row in rows) >= 0.4 * len(rows)


def test_composing_again_reproduces_the_committed_files():
    compose = load_compose()
    for label, lang in FILES:
        built = [json.loads(example.to_json()) for example in compose.build(label, lang)]
        assert built == read(label, lang), f"{label}.{lang}.jsonl is stale: run classifiers/corpus/compose.py"


@pytest.mark.parametrize("lang", LANGS)
def test_no_text_carries_two_labels(lang):
    compose = load_compose()
    labels_by_text: dict[str, set[str]] = {}
    for label in LABELS:
        for row in read(label, lang):
            labels_by_text.setdefault(compose.fold(row["text"]), set()).add(label)
    assert [text for text, labels in labels_by_text.items() if len(labels) > 1] == []
