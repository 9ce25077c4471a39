"""Measure the classifier: (a) a held-out split of our corpus, (b) every third-party corpus.

    python -m kiteguard.classifiers.evaluate [--model DIR] [--corpora DIR] [--sets a,b] [--out FILE]

Prints one JSON object. (a) trains a fresh model on the training part of our corpus with the
fixed seed and scores the held-out part; (b) scores the shipped model (never trained on any
third-party text) on each corpus mapped to our labels, next to the e2guardian keyword baseline
for English sets. Operating point: the "balanced" thresholds.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_recall_fscore_support

from kiteguard.classifiers import thirdparty
from kiteguard.classifiers.corpus import CORPUS_DIR, Example, corpus_files, handwritten_texts, load_corpus, split
from kiteguard.classifiers.domains import MIN_SCORE, DomainModel
from kiteguard.classifiers.keywords import PhraseScorer
from kiteguard.classifiers.labels import LABELS, SAFE, UNSAFE
from kiteguard.classifiers.model import Classifier
from kiteguard.classifiers.normalise import strip_diacritics
from kiteguard.classifiers.train import SEED, TrainConfig, train

E2G_LISTS = "e2guardian_phraselists/phraselists/ukenglish"


def predict(model: Classifier, texts: Sequence[str], sensitivity: str = "balanced",
            batch: int = 512) -> tuple[list[str], np.ndarray]:
    probs = np.vstack([model.probabilities(list(texts[i:i + batch])) for i in range(0, len(texts), batch)]) \
        if texts else np.zeros((0, len(LABELS)))
    categories = [model.decide(dict(zip(LABELS, row, strict=False)), sensitivity) for row in probs]
    return categories, probs


def _r(value: Any) -> float:
    return round(float(value), 4)


def _accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return _r(np.mean([g == q for g, q in zip(gold, predicted, strict=True)])) if gold else 0.0


def _flip_rate(first: Sequence[str], second: Sequence[str]) -> float:
    """How often a text and its variant fall on different sides of safe / flagged."""
    return _r(np.mean([(a != SAFE) != (b != SAFE) for a, b in zip(first, second, strict=True)]))


def multiclass_report(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    p, r, f, n = precision_recall_fscore_support(gold, predicted, labels=list(LABELS), zero_division=0)
    return {
        "per_category": {label: {"precision": _r(p[i]), "recall": _r(r[i]), "f1": _r(f[i]), "support": int(n[i])}
                         for i, label in enumerate(LABELS)},
        "macro_f1": _r(f1_score(gold, predicted, labels=list(LABELS), average="macro", zero_division=0)),
        "accuracy": _r(np.mean([g == q for g, q in zip(gold, predicted, strict=False)])),
    }


def held_out(corpus_dir: Path = CORPUS_DIR, seed: int = SEED, config: TrainConfig | None = None) -> dict[str, Any]:
    """Train on our corpus and score a held-out fifth of it, drawn from the hand-written lines only."""
    examples = load_corpus(corpus_files(corpus_dir))
    train_part, test_part = split(examples, seed, handwritten=handwritten_texts(corpus_dir))
    model = train(train_part, config or TrainConfig(seed=seed))
    return score_examples(model, test_part) | {"train_examples": len(train_part)}


# Candidate `safe` priors (logits) for choose_safe_bias; a negative one leans toward flagging.
PRIORS = (-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 2.5)
HARD_NEGATIVE_LIMIT = 0.08  # chosen below the 10 % target: the folds hold few hard negatives each


def choose_safe_bias(corpus_dir: Path = CORPUS_DIR, seed: int = SEED, folds: int = 3,
                     repeats: int = 2) -> dict[str, Any]:
    """Choose the `safe` prior by cross-validation on the training part's hand-written lines.

    The held-out test lines are never seen: each fold trains on every generated line and the
    other folds' hand-written lines, and the prior with the best pooled macro-F1 that flags at
    most ``HARD_NEGATIVE_LIMIT`` of the hard negatives wins (balanced threshold unchanged).
    The folds are drawn ``repeats`` times with different shuffles and pooled: with one draw,
    the hard-negative rate of a prior moved by a point between draws, enough to change the choice.
    """
    examples = load_corpus(corpus_files(corpus_dir))
    handwritten = handwritten_texts(corpus_dir)
    train_part, _ = split(examples, seed, handwritten=handwritten)
    generated = [e for e in train_part if e.text not in handwritten]
    config = TrainConfig(seed=seed, safe_bias=0.0)
    scored: list[Example] = []
    logits: list[np.ndarray] = []
    for repeat in range(repeats):
        written = sorted((e for e in train_part if e.text in handwritten), key=lambda e: e.text)
        random.Random(seed + repeat).shuffle(written)
        for fold in range(folds):
            held = written[fold::folds]
            kept = [e for i, e in enumerate(written) if i % folds != fold]
            model = train(generated + kept, config)
            logits.append(np.log(np.clip(model.probabilities([e.text for e in held]), 1e-12, None)))
            scored += held
    pooled = np.vstack(logits)
    grid = []
    for bias in PRIORS:
        shifted = pooled.copy()
        shifted[:, LABELS.index(SAFE)] += bias
        probs = np.exp(shifted - shifted.max(axis=1, keepdims=True))
        probs /= probs.sum(axis=1, keepdims=True)
        predicted = [model.decide(dict(zip(LABELS, row, strict=False)), "balanced") for row in probs]
        report = multiclass_report([e.label for e in scored], predicted)
        hard = [q != SAFE for q, e in zip(predicted, scored, strict=True) if e.hard_negative]
        grid.append({"safe_bias": bias, "macro_f1": report["macro_f1"], "fp_rate_hard_negatives": _r(np.mean(hard))})
    allowed = [g for g in grid if g["fp_rate_hard_negatives"] <= HARD_NEGATIVE_LIMIT] or grid
    return {"grid": grid, "chosen": max(allowed, key=lambda g: g["macro_f1"])["safe_bias"]}


def score_examples(model: Classifier, test: list[Example]) -> dict[str, Any]:
    predicted, _ = predict(model, [e.text for e in test])
    gold = [e.label for e in test]
    report = multiclass_report(gold, predicted)
    for lang in ("vi", "en"):
        rows = [i for i, e in enumerate(test) if e.lang == lang]
        report[f"accuracy_{lang}"] = _r(np.mean([gold[i] == predicted[i] for i in rows])) if rows else None
    # Diacritics: the same Vietnamese texts, as written and with every accent stripped.
    accented = [e for e in test if e.lang == "vi" and strip_diacritics(e.text) != e.text]
    with_marks, _ = predict(model, [e.text for e in accented])
    without, _ = predict(model, [strip_diacritics(e.text) for e in accented])
    report["accuracy_vi_with_diacritics"] = _accuracy([e.label for e in accented], with_marks)
    report["accuracy_vi_without_diacritics"] = _accuracy([e.label for e in accented], without)
    safe = [i for i, e in enumerate(test) if e.label == SAFE]
    hard = [i for i, e in enumerate(test) if e.hard_negative]
    report["fp_rate_safe"] = _r(np.mean([predicted[i] != SAFE for i in safe])) if safe else None
    report["fp_rate_hard_negatives"] = _r(np.mean([predicted[i] != SAFE for i in hard])) if hard else None
    report["hard_negatives"] = len(hard)
    report["test_examples"] = len(test)
    return report


def binary_report(gold: Sequence[bool], flagged: Sequence[bool]) -> dict[str, Any]:
    p, r, f, _ = precision_recall_fscore_support(gold, flagged, labels=[True, False], zero_division=0)
    return {"precision": _r(p[0]), "recall": _r(r[0]), "f1": _r(f[0]),
            "macro_f1": _r(f1_score(gold, flagged, labels=[True, False], average="macro", zero_division=0)),
            "positives": int(sum(gold)), "rows": len(gold)}


def score_set(model: Classifier, data: thirdparty.EvalSet, keywords: PhraseScorer | None) -> dict[str, Any]:
    predicted, probs = predict(model, data.texts)
    result: dict[str, Any] = {"name": data.name, "language": data.language, "rows": len(data.texts)}
    if data.note:
        result["note"] = data.note
    baseline = [keywords.classify(t) for t in data.texts] if keywords and data.language == "en" else None
    if not data.categories:  # a safe-only set: how often would a child be wrongly blocked?
        result["fp_rate"] = _r(np.mean([c != SAFE for c in predicted]))
        result["fp_by_category"] = {c: int(sum(q == c for q in predicted)) for c in UNSAFE if c in predicted}
        if baseline is not None:
            result["keyword_fp_rate"] = _r(np.mean([c != SAFE for c in baseline]))
        return result
    for category in data.categories:
        rows = [i for i in range(len(data.texts)) if data.known is None or category in data.known[i]]
        gold = [category in data.gold[i] for i in rows]
        column = probs[rows, LABELS.index(category)]
        entry = {"any_flag": binary_report(gold, [predicted[i] != SAFE for i in rows]),
                 "exact_category": binary_report(gold, [predicted[i] == category for i in rows]),
                 "auprc": _r(average_precision_score(gold, column)) if any(gold) else None}
        if baseline is not None:
            entry["keyword_baseline"] = binary_report(gold, [baseline[i] == category for i in rows])
        result[category] = entry
    return result


def robustness(model: Classifier, root: Path) -> dict[str, Any]:
    """How often a decision flips between a text and its normalised or accent-stripped form."""
    out: dict[str, Any] = {}
    pairs = thirdparty.vilexnorm_pairs(root)
    raw, _ = predict(model, [a for a, _ in pairs])
    clean, _ = predict(model, [b for _, b in pairs])
    out["vilexnorm_flip_rate"] = _flip_rate(raw, clean)
    for key in ("vihsd_dedup", "victsd"):
        texts = thirdparty.LABELLED_SETS[key](root).texts
        marked, _ = predict(model, texts)
        bare, _ = predict(model, [strip_diacritics(t) for t in texts])
        out[f"{key}_stripped_flip_rate"] = _flip_rate(marked, bare)
    return out


UT1_CATEGORIES = {"gambling": "gambling", "drugs": "drogue", "violence": "agressif"}
UT1_ORDINARY = ("press", "sports", "shopping")


def domain_signal(root: Path, seed: int = SEED, limit: int = 3000) -> dict[str, Any]:
    """The name-only signal on UT1: learn from a seeded half of each list, score the other half."""
    rng = random.Random(seed)

    def halves(names: list[str]) -> tuple[list[str], list[str]]:
        names = sorted(set(names))
        rng.shuffle(names)
        return names[::2], names[1::2][:limit]

    learn, test = {}, {}
    for category, folder in UT1_CATEGORIES.items():
        learn[category], test[category] = halves(thirdparty.ut1_domains(root, folder))
    ordinary_learn, ordinary_test = halves([n for f in UT1_ORDINARY for n in thirdparty.ut1_domains(root, f)])
    model = DomainModel(seed).fit(learn, ordinary_learn)
    report: dict[str, Any] = {"min_score": MIN_SCORE}
    for category, names in test.items():
        hits = [model.hint(name) for name in names]
        report[f"{category}_recall"] = _r(np.mean([h is not None and h.category == category for h in hits]))
    report["ordinary_fp_rate"] = _r(np.mean([model.hint(name) is not None for name in ordinary_test]))
    report["ordinary_names"] = len(ordinary_test)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiteguard.classifiers.evaluate")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped one)")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR)
    parser.add_argument("--corpora", type=Path, default=thirdparty.DEFAULT_ROOT)
    parser.add_argument("--sets", default=",".join(thirdparty.LABELLED_SETS), help="comma-separated set names")
    parser.add_argument("--skip-held-out", action="store_true")
    parser.add_argument("--choose-safe-bias", action="store_true",
                        help="only cross-validate the safe prior on the training part and print the grid")
    parser.add_argument("--out", type=Path, help="also write the JSON report here")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {}
    if args.choose_safe_bias:
        sys.stdout.write(json.dumps(choose_safe_bias(args.corpus), indent=2) + "\n")
        return 0
    if not args.skip_held_out:
        report["held_out"] = held_out(args.corpus)
    if args.corpora.is_dir():
        model = Classifier.load(args.model)
        report["model"] = model.info.version
        keywords = PhraseScorer.from_folder(args.corpora / E2G_LISTS)
        wanted = [name for name in args.sets.split(",") if name]
        report["third_party"] = {name: score_set(model, thirdparty.LABELLED_SETS[name](args.corpora), keywords)
                                 for name in wanted}
        report["robustness"] = robustness(model, args.corpora)
        report["domain_signal"] = domain_signal(args.corpora)
    else:
        report["third_party"] = f"skipped: {args.corpora} is absent"
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
