"""Readers for the third-party evaluation corpora, mapped to our labels as their READMEs say.

These sets are research/evaluation-only: they are read here to measure the model and are
never written into the repository or the shipped artefact. Each reader returns an
``EvalSet`` of (text, gold label) pairs; ``known`` lists, for multi-label sets, which labels
were actually annotated on each row (a missing key in the OpenAI set means "unknown").
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import tarfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HATE = "hate_bullying"
DEFAULT_ROOT = Path(os.environ.get("KITEGUARD_CORPORA", "/work/shared/data/corpora"))
SAMPLE_SEED = 20240601


@dataclass(frozen=True)
class EvalSet:
    name: str
    language: str
    texts: tuple[str, ...]
    gold: tuple[frozenset[str], ...]  # the unsafe labels of each row; empty = safe
    known: tuple[frozenset[str], ...] | None = None  # per row, labels annotated (None: all)
    note: str = ""
    categories: tuple[str, ...] = field(default=())  # the unsafe labels this set can speak about


def _csv_rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _binary(name: str, language: str, rows: list[tuple[str, bool]], note: str = "") -> EvalSet:
    return EvalSet(name, language, tuple(t for t, _ in rows),
                   tuple(frozenset({HATE}) if positive else frozenset() for _, positive in rows),
                   note=note, categories=(HATE,))


def vihsd(root: Path, deduplicated: bool) -> EvalSet:
    """ViHSD test: OFFENSIVE and HATE -> hate_bullying. De-duplicated = without rows seen in train."""
    test = [(r["free_text"], r["label_id"] != "0") for r in _csv_rows(root / "vihsd/test.csv")]
    if not deduplicated:
        return _binary("ViHSD test", "vi", test)
    seen = {r["free_text"].strip().lower() for r in _csv_rows(root / "vihsd/train.csv")}
    kept: list[tuple[str, bool]] = []
    for text, positive in test:
        key = text.strip().lower()
        if key not in seen:
            seen.add(key)
            kept.append((text, positive))
    return _binary("ViHSD test (de-duplicated)", "vi", kept, f"{len(test) - len(kept)} duplicate rows removed")


def victsd(root: Path) -> EvalSet:
    rows = [(r["Comment"], r["Toxicity"] == "1") for r in _csv_rows(root / "uit_victsd/ViCTSD_test.csv")]
    return _binary("UIT-ViCTSD test", "vi", rows)


def vihos(root: Path) -> EvalSet:
    rows = [(r["content"], r["index_spans"].strip() not in ("", "[]")) for r in _csv_rows(root / "vihos/test/test.csv")]
    return _binary("ViHOS test (comment level)", "vi", rows, "scored alone; never mixed with ViHSD")


def davidson(root: Path) -> EvalSet:
    source = _csv_rows(root / "davidson_hate_offensive/labeled_data.csv.gz")
    rows = [(r["tweet"], r["class"] in ("0", "1")) for r in source]
    rng = random.Random(SAMPLE_SEED)
    by_class = {True: [r for r in rows if r[1]], False: [r for r in rows if not r[1]]}
    sample = [row for group in by_class.values() for row in rng.sample(group, len(group) // 10)]
    return _binary("Davidson 2017 (seeded 10 %)", "en", sample, "hate and offensive -> hate_bullying")


def tweeteval(root: Path, task: str) -> EvalSet:
    folder = root / "tweeteval_hate_offensive" / task
    texts = (folder / "test_text.txt").read_text(encoding="utf-8").split("\n")
    labels = (folder / "test_labels.txt").read_text(encoding="utf-8").split("\n")
    rows = [(text, label.strip() == "1") for text, label in zip(texts, labels, strict=False) if label.strip()]
    return _binary(f"TweetEval {task} test", "en", rows)


def ethos(root: Path) -> EvalSet:
    source = _csv_rows(root / "ethos/Ethos_Dataset_Binary.csv", delimiter=";")
    rows = [(r["comment"], float(r["isHate"]) >= 0.5) for r in source]
    return _binary("ETHOS binary", "en", rows)


OPENAI_MAP = {"S": "adult", "S3": "adult", "V": "violence", "V2": "violence", "SH": "self_harm",
              "H": HATE, "H2": HATE, "HR": HATE}


def openai_moderation(root: Path) -> EvalSet:
    texts, gold, known = [], [], []
    with gzip.open(root / "openai_moderation_eval/samples-1680.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.append(row["prompt"])
            gold.append(frozenset(OPENAI_MAP[k] for k in OPENAI_MAP if row.get(k) == 1))
            known.append(frozenset(OPENAI_MAP[k] for k in OPENAI_MAP if k in row))
    return EvalSet("OpenAI moderation", "en", tuple(texts), tuple(gold), tuple(known),
                   categories=("adult", "violence", "self_harm", HATE))


def ag_news(root: Path) -> EvalSet:
    with gzip.open(root / "ag_news_test/test.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    texts = tuple(f"{title}. {body}".replace("\\", " ").replace(" #39;", "'") for _, title, body in rows)
    return EvalSet("AG News test", "en", texts, tuple(frozenset() for _ in texts), note="all safe (news)")


def vntc(root: Path) -> EvalSet:
    texts = []
    with tarfile.open(root / "vntc_news_sample/vntc_test_sample_200_per_topic.tar.gz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".txt"):
                raw = archive.extractfile(member).read()  # type: ignore[union-attr]
                texts.append(_decode_article(raw))
    return EvalSet("VNTC news sample", "vi", tuple(texts), tuple(frozenset() for _ in texts), note="all safe (news)")


def _decode_article(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    return io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8", errors="replace").read()


def vilexnorm_pairs(root: Path) -> list[tuple[str, str]]:
    return [(r["original"], r["normalized"]) for r in _csv_rows(root / "vilexnorm/test.csv")]


def ut1_domains(root: Path, category: str) -> list[str]:
    folder = root / "ut1_blacklists_subset" / category
    path = folder / "domains.gz" if (folder / "domains.gz").exists() else folder / "domains"
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


LABELLED_SETS: dict[str, Callable[[Path], EvalSet]] = {
    "vihsd": lambda root: vihsd(root, deduplicated=False),
    "vihsd_dedup": lambda root: vihsd(root, deduplicated=True),
    "victsd": victsd,
    "vihos": vihos,
    "davidson": davidson,
    "tweeteval_hate": lambda root: tweeteval(root, "hate"),
    "tweeteval_offensive": lambda root: tweeteval(root, "offensive"),
    "ethos": ethos,
    "openai": openai_moderation,
    "vntc": vntc,
    "ag_news": ag_news,
}
SAFE_SETS = ("vntc", "ag_news")
