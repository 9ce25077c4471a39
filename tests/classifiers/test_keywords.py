from __future__ import annotations

from pathlib import Path

import pytest

from kiteguard.classifiers.keywords import PhraseScorer, parse_rules

# Rules written here in e2guardian's format; the real lists are only read by the evaluation.
RULES = """#listcategory: "test"
< casino ><40>
<jackpot><30>
< free spins >,< deposit ><60>
# a comment
not a rule
"""
GOOD = "< news ><-50>\n"


@pytest.fixture
def scorer() -> PhraseScorer:
    return PhraseScorer(parse_rules(RULES, "gambling") + parse_rules(GOOD, "safe"))


@pytest.mark.parametrize(
    ("text", "scores"),
    [
        ("Casino! casino", {"gambling": 80}),  # each occurrence counts
        ("casinos", {}),  # edge spaces mean whole words
        ("megajackpot", {"gambling": 30}),  # no edge spaces: inside words too
        ("free spins on deposit", {"gambling": 60}),  # a group scores when all its phrases occur
        ("free spins today", {}),
        ("casino news", {"gambling": 40, "safe": -50}),
    ],
)
def test_weights_follow_e2guardian_rules(scorer: PhraseScorer, text: str, scores: dict[str, int]) -> None:
    assert scorer.scores(text) == scores


@pytest.mark.parametrize(
    ("text", "sensitivity", "category"),
    [
        ("casino casino jackpot", "balanced", "gambling"),  # 110 >= 100
        ("casino casino", "balanced", "safe"),  # 80 < 100
        ("casino casino", "strict", "gambling"),  # 80 >= 50
        ("casino casino jackpot news", "balanced", "safe"),  # good phrases subtract
    ],
)
def test_the_naughtiness_limit_decides(scorer: PhraseScorer, text: str, sensitivity: str, category: str) -> None:
    assert scorer.classify(text, sensitivity) == category


def test_the_shared_english_lists_load() -> None:
    folder = Path("/work/shared/data/corpora/e2guardian_phraselists/phraselists/ukenglish")
    if not folder.is_dir():
        pytest.skip("the shared e2guardian phrase lists are absent on this machine")
    scorer = PhraseScorer.from_folder(folder)
    assert len(scorer.rules) > 5000
    assert scorer.classify("online casino gambling blackjack betting jackpot") == "gambling"
