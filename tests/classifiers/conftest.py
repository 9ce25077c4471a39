from __future__ import annotations

from pathlib import Path

import pytest

from kiteguard.classifiers.corpus import read_examples
from kiteguard.classifiers.model import Classifier
from kiteguard.classifiers.train import TrainConfig, train

SEED_SET = Path(__file__).parent / "fixtures" / "seed.jsonl"


@pytest.fixture(scope="session")
def seed_set() -> Path:
    return SEED_SET


@pytest.fixture(scope="session")
def seed_model() -> Classifier:
    """A small model trained on our hand-written seed set: fast, and enough to exercise the API."""
    return train(read_examples(SEED_SET), TrainConfig(seed=7, safe_bias=0.0))  # too few texts for a prior
