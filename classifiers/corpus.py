"""Reading our own training corpus (``classifiers/corpus/{label}.{lang}.jsonl``) and splitting it."""

from __future__ import annotations

import hashlib
import json
import random
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiteguard.classifiers.labels import LABELS

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


class CorpusError(Exception):
    """A corpus line is not an example we can train on; the message names file and line."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    lang: str = "vi"
    kind: str = "page"
    style: str = "diacritics"
    hard_negative: bool = False


def read_examples(path: Path) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                example = Example(str(raw["text"]), str(raw["label"]), str(raw.get("lang", "vi")),
                                  str(raw.get("kind", "page")), str(raw.get("style", "diacritics")),
                                  bool(raw.get("hard_negative", False)))
            except (ValueError, KeyError, TypeError) as error:
                raise CorpusError(f"{path}:{number}: not a corpus example ({error})") from error
            if example.label not in LABELS:
                raise CorpusError(f"{path}:{number}: unknown label {example.label!r}")
            examples.append(example)
    return examples


def corpus_files(folder: Path = CORPUS_DIR) -> list[Path]:
    return sorted(path for path in folder.glob("*.jsonl") if path.name.split(".", 1)[0] in LABELS)


def load_corpus(paths: Iterable[Path]) -> list[Example]:
    return [example for path in paths for example in read_examples(path)]


def fingerprint(paths: Iterable[Path]) -> str:
    """A short hash of the corpus bytes, recorded in the model so a model names its data."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def handwritten_texts(folder: Path = CORPUS_DIR) -> frozenset[str]:
    """The lines written one by one in ``source/``; every other corpus text came from a phrase bank."""
    texts: set[str] = set()
    for path in sorted((folder / "source").glob("*.txt")):
        with path.open(encoding="utf-8") as handle:
            texts.update(unicodedata.normalize("NFC", line.strip()) for line in handle
                         if line.strip() and not line.startswith("@ "))
    return frozenset(texts)


def split(examples: list[Example], seed: int, held_out: float = 0.2,
          handwritten: frozenset[str] | None = None) -> tuple[list[Example], list[Example]]:
    """A deterministic split, stratified by label, language and hard-negative flag.

    With ``handwritten``, only those texts can be held out and every generated text trains:
    lines generated from one phrase bank share phrases, so a random split would score the
    model on near-copies of its training lines. Each group still holds out ``held_out`` of
    its size (or all its hand-written lines, when fewer).
    """
    groups: dict[tuple[str, str, bool], list[Example]] = defaultdict(list)
    for example in examples:
        groups[(example.label, example.lang, example.hard_negative)].append(example)
    rng = random.Random(seed)
    train: list[Example] = []
    test: list[Example] = []
    for key in sorted(groups):
        members = sorted(groups[key], key=lambda e: e.text)
        rng.shuffle(members)
        cut = round(len(members) * held_out)
        if handwritten is not None:
            train += [e for e in members if e.text not in handwritten]
            members = [e for e in members if e.text in handwritten]
        test += members[:cut]
        train += members[cut:]
    return train, test
