from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from kiteguard.classifiers.concepts import CONCEPTS_DIR, EMPTY, LexiconError, build, parse, read_folder, shipped
from kiteguard.classifiers.corpus import Example
from kiteguard.classifiers.explain import explain_phrases
from kiteguard.classifiers.features import FeatureConfig, prepare, tokens_of
from kiteguard.classifiers.model import Classifier, ModelError
from kiteguard.classifiers.train import TrainConfig, train

LEXICON = build(parse("""
# test lexicon
@ blade
dao găm
mã tấu
knife
machete
@ stab
đâm
@ bring_weapon
mang theo dao
""".splitlines(), "test"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one or several words, in either language
        ("nó rút dao găm ra", {"c:blade"}),
        ("he pulled a MACHETE", {"c:blade"}),
        ("tối nay mang theo dao nhé", {"c:bring_weapon"}),
        # text typed without accents matches the entries' stripped forms
        ("no rut ma tau ra", {"c:blade"}),
        ("dam no di", {"c:stab"}),
        # accented text matches only the accents written: "dám" (dare) is not "đâm" (stab)
        ("mày dám không", set()),
        # whole words only
        ("knifed", set()),
        ("dao", set()),
    ],
)
def test_entries_emit_their_concept(text: str, expected: set[str]) -> None:
    config = FeatureConfig()
    tokens = tokens_of(prepare(text, config), config, LEXICON)
    assert {token for token in tokens if token.startswith("c:")} == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("dao găm\n@ blade", "line 1"),  # an entry before any concept
        ("@ Blade!\nknife", "line 1"),  # a name that is not lower-case ASCII
        ("@ blade\nknife\n@ blade\nmachete", "line 3"),  # a concept defined twice
        ("@ blade\na very long kitchen knife", "line 2"),  # more than four words
        ("@ blade\n!!!", "line 2"),  # no word at all
    ],
)
def test_a_malformed_file_is_refused_with_its_line(text: str, problem: str) -> None:
    with pytest.raises(LexiconError, match=f"test:{problem.split()[1]}:"):
        parse(text.splitlines(), "test")


def test_a_concept_defined_in_two_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("@ blade\nknife\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("@ blade\nmachete\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="b.txt"):
        read_folder(tmp_path)


def test_the_shipped_lexicon_reads_and_each_file_keeps_to_its_prefix() -> None:
    lexicon = shipped()
    assert len(lexicon.concepts) >= 150
    for path in sorted(CONCEPTS_DIR.glob("*.txt")):
        names = re.findall(r"^@ (\S+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        assert len({name.split("_", 1)[0] for name in names}) == 1, path.name


def _examples() -> list[Example]:
    violent = ["he brought a knife to school", "i will stab you with my knife", "knife fight after class",
               "bring your knife tonight", "the knife is for you"]
    safe = ["we had rice for dinner", "the match was fun today", "my cat sleeps all day", "homework is due friday",
            "see you at the library", "the bus was late again"]
    return ([Example(text, "violence", "en", "chat", "plain", False) for text in violent]
            + [Example(text, "safe", "en", "chat", "plain", False) for text in safe]
            + [Example(f"{label} sample text {i}", label, "en", "chat", "plain", False)
               for label in ("adult", "gambling", "drugs", "self_harm", "hate_bullying") for i in range(2)])


def test_a_word_never_seen_in_training_counts_through_its_concept() -> None:
    """Training knows "knife" only; a threat with a machete is caught because both are blades."""
    config = TrainConfig(seed=3, safe_bias=0.0)
    with_concepts = train(_examples(), config, lexicon=LEXICON)
    without = train(_examples(), config, lexicon=EMPTY)
    text = "bring a machete"
    assert with_concepts.classify(text).scores["violence"] > without.classify(text).scores["violence"] + 0.1
    # and the explanation names the word that carried the concept
    phrases = explain_phrases(prepare(text, with_concepts.config), with_concepts, "violence")
    assert any("machete" in phrase for phrase in phrases[:1])


def test_the_lexicon_travels_with_the_saved_model(tmp_path: Path) -> None:
    model = train(_examples(), TrainConfig(seed=3, safe_bias=0.0), lexicon=LEXICON)
    model.save(tmp_path)
    loaded = Classifier.load(tmp_path)
    assert loaded.lexicon.concepts == LEXICON.concepts
    texts = ["bring a machete", "no rut ma tau ra", "we had rice"]
    np.testing.assert_allclose(loaded.probabilities(texts), model.probabilities(texts), atol=1e-6)


def test_a_model_saved_before_concepts_reads_without_them(tmp_path: Path) -> None:
    model = train(_examples(), TrainConfig(seed=3, safe_bias=0.0), lexicon=EMPTY)
    model.save(tmp_path)
    with np.load(tmp_path / "weights.npz") as arrays:
        old = {key: arrays[key] for key in arrays.files if key != "concepts"}
    np.savez_compressed(tmp_path / "weights.npz", **old)
    assert Classifier.load(tmp_path).lexicon.concepts == {}


def test_a_damaged_stored_lexicon_is_a_clear_model_error(tmp_path: Path) -> None:
    train(_examples(), TrainConfig(seed=3, safe_bias=0.0), lexicon=LEXICON).save(tmp_path)
    with np.load(tmp_path / "weights.npz") as arrays:
        damaged = {key: arrays[key] for key in arrays.files}
    damaged["concepts"] = np.frombuffer(b"knife\n@ blade\n", dtype=np.uint8)
    np.savez_compressed(tmp_path / "weights.npz", **damaged)
    with pytest.raises(ModelError, match="concept lexicon is damaged"):
        Classifier.load(tmp_path)
