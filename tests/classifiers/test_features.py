from __future__ import annotations

import pytest

from kiteguard.classifiers.concepts import EMPTY
from kiteguard.classifiers.features import FeatureConfig, prepare, tokens_of


def _pictographs(text: str, config: FeatureConfig) -> set[str]:
    return {token for token in tokens_of(prepare(text, config), config, EMPTY) if token.startswith("e:")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a dealer's emoji menu: each pictograph is a token, with or without its variation selector
        ("hàng về 🍃 ❄️ 💊, ib", {"e:🍃", "e:❄", "e:💊"}),
        ("🍑🍑🍑 link in bio", {"e:🍑"}),
        # words and punctuation give none
        ("tài xỉu nạp đầu 200% =))", set()),
    ],
)
def test_pictographs_are_tokens(text: str, expected: set[str]) -> None:
    assert _pictographs(text, FeatureConfig()) == expected


def test_a_model_saved_before_the_newer_settings_reads_as_it_was_trained() -> None:
    old = {"n_features": 2**20, "char_min": 3, "char_max": 4, "max_chars": 500, "char_chars": 250}
    config = FeatureConfig.from_json(old)
    assert (config.emoji, config.norm_percent) == (0, 50)
    assert _pictographs("hàng về 🍃", config) == set()
