"""The quality floor: a model trained with the fixed seed on our corpus, scored on the held-out split."""

from __future__ import annotations

import numpy as np
import pytest

from kiteguard.classifiers.corpus import CORPUS_DIR, corpus_files, handwritten_texts, load_corpus, read_examples, split
from kiteguard.classifiers.evaluate import held_out
from kiteguard.classifiers.train import SEED, TrainConfig, train


@pytest.fixture(scope="module")
def report() -> dict:  # type: ignore[type-arg]
    if not corpus_files(CORPUS_DIR):
        pytest.fail(f"no training corpus in {CORPUS_DIR}")
    return held_out(CORPUS_DIR)


# The target is 0.90. The held-out lines are hand-written only (generated lines share
# phrase banks with training lines), and there the model reaches 0.909 with 5.0 % of hard
# negatives flagged (docs/classifier.md). Training is seeded and deterministic, so the floor is
# the target itself.
MACRO_F1_FLOOR = 0.90


def test_macro_f1_on_held_out_split(report: dict) -> None:  # type: ignore[type-arg]
    assert report["macro_f1"] >= MACRO_F1_FLOOR, report["per_category"]


def test_at_most_one_hard_negative_in_ten_is_flagged(report: dict) -> None:  # type: ignore[type-arg]
    assert report["hard_negatives"] >= 30
    assert report["fp_rate_hard_negatives"] <= 0.10


def test_accents_cost_at_most_five_points(report: dict) -> None:  # type: ignore[type-arg]
    gap = report["accuracy_vi_with_diacritics"] - report["accuracy_vi_without_diacritics"]
    assert gap <= 0.05


def test_held_out_texts_are_hand_written_and_generated_ones_all_train() -> None:
    # Phrase-bank lines share phrases: holding some out would score the model on near-copies.
    # Today every file is above its floor, so the corpus has no generated line: pretend every
    # third text was generated to check the rule itself.
    examples = load_corpus(corpus_files(CORPUS_DIR))
    handwritten = {example.text for i, example in enumerate(examples) if i % 3} & handwritten_texts(CORPUS_DIR)
    train_part, test_part = split(examples, SEED, handwritten=handwritten)
    assert all(example.text in handwritten for example in test_part)
    generated = [example for example in examples if example.text not in handwritten]
    training = set(train_part)
    assert generated and all(example in training for example in generated)
    assert len(train_part) + len(test_part) == len(examples)
    assert 0.10 <= len(test_part) / len(examples) <= 0.25


def test_training_is_reproducible(seed_set) -> None:  # type: ignore[no-untyped-def]
    examples = read_examples(seed_set)
    first, second = train(examples, TrainConfig(seed=3)), train(examples, TrainConfig(seed=3))
    assert first.tokens == second.tokens
    assert np.array_equal(first.weights, second.weights)


def test_training_refuses_a_corpus_missing_a_label(seed_set) -> None:  # type: ignore[no-untyped-def]
    examples = [e for e in read_examples(seed_set) if e.label != "drugs"]
    with pytest.raises(ValueError, match="no examples for drugs"):
        train(examples)
