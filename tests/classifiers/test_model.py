from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kiteguard.classifiers.features import prepare, tokens_of
from kiteguard.classifiers.labels import LABELS
from kiteguard.classifiers.model import Classifier, ModelError


def test_scores_are_probabilities_over_the_seven_labels(seed_model: Classifier) -> None:
    verdict = seed_model.classify("Nhà cái uy tín, nạp tiền chơi tài xỉu online")
    assert list(verdict.scores) == list(LABELS)
    assert sum(verdict.scores.values()) == pytest.approx(1.0, abs=1e-4)
    assert verdict.category == "gambling"
    assert verdict.language == "vi"


def test_the_hashed_row_search_scores_as_the_token_table_does(seed_model: Classifier) -> None:
    # Rows are found by string hash on the hot path; the token -> row table is the reference.
    texts = ["nạp tiền chơi tài xỉu", "Tai xiu nap dau 200%", "xem phim sex khong che", "", "hello there",
             "a never-seen token: zqxj" * 40]
    for text in texts:
        prepared = prepare(text, seed_model.config)
        distinct = set(tokens_of(prepared, seed_model.config, seed_model.lexicon))
        logits = seed_model.weights[seed_model.rows_of(list(distinct))].sum(axis=0)
        logits = logits * max(1, len(distinct)) ** (-seed_model.config.norm_percent / 100) + seed_model.intercepts
        expected = np.exp(logits - logits.max())
        assert np.allclose(seed_model.probabilities([text])[0], expected / expected.sum(), atol=1e-6)


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # accents, no accents, dotted out: one verdict
        ("chơi tài xỉu nạp tiền nhà cái", "gambling"),
        ("choi tai xiu nap tien nha cai", "gambling"),
        ("ch.ơ.i t.à.i x.ỉ.u n.h.à c.á.i", "gambling"),
        ("xem phim sex không che", "adult"),
        ("xem phim s3x ko che", "adult"),
    ],
)
def test_spelling_tricks_do_not_change_the_verdict(seed_model: Classifier, text: str, category: str) -> None:
    assert seed_model.classify(text).category == category


def test_explanation_names_the_phrases_that_pushed_the_score(seed_model: Classifier) -> None:
    verdict = seed_model.classify("Hôm nay đi học xong về nhà chơi tài xỉu ở nhà cái", "strict")
    assert verdict.category == "gambling"
    assert any("tài xỉu" in phrase or "nhà cái" in phrase for phrase in verdict.explain)
    assert all("đi học" not in phrase for phrase in verdict.explain)


def test_a_safe_verdict_needs_no_explanation(seed_model: Classifier) -> None:
    verdict = seed_model.classify("Công thức nấu phở bò cho cả nhà")
    assert verdict.category == "safe" and verdict.explain == ()


def test_sensitivity_moves_the_threshold(seed_model: Classifier) -> None:
    text = "tối nay tụi mình đi chơi, nhớ mang tiền"
    scores = seed_model.classify(text).scores
    top = max((label for label in LABELS if label != "safe"), key=scores.__getitem__)
    forced = {**scores, top: 0.5}
    assert seed_model.decide(forced, "strict") == top
    assert seed_model.decide(forced, "balanced") == "safe"
    assert seed_model.decide(forced, "relaxed") == "safe"
    with pytest.raises(ValueError, match="sensitivity 'paranoid'"):
        seed_model.decide(forced, "paranoid")


def test_the_artefact_round_trips_exactly(seed_model: Classifier, tmp_path: Path) -> None:
    seed_model.save(tmp_path)
    loaded = Classifier.load(tmp_path)
    for text in ("chơi tài xỉu", "hello world", ""):
        assert loaded.classify(text).scores == seed_model.classify(text).scores
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "weights.npz"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda folder: (folder / "weights.npz").unlink(), "cannot read the classifier model"),
        (lambda folder: (folder / "weights.npz").write_bytes(b"garbage"), "cannot read the classifier model"),
        (lambda folder: (folder / "model.json").write_text("{"), "cannot read the classifier model"),
        (lambda folder: (folder / "model.json").write_text(json.dumps({"format": 99, "labels": list(LABELS)})),
         "has format 99"),
    ],
)
def test_a_damaged_artefact_is_a_clear_error(seed_model: Classifier, tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    seed_model.save(tmp_path)
    damage(tmp_path)
    with pytest.raises(ModelError, match=message):
        Classifier.load(tmp_path)
