"""Concept tokens: the words and phrases that play one role share one feature.

A bag of words knows only the words it was trained on: a threat written with a weapon's name
the corpus never used weighs nothing. The lexicon in ``data/concepts/`` (written by us) groups
words and phrases by role, in both languages ("mã tấu", "machete", "dao phay" are all a blade),
and every member found in a text also emits ``c:<concept>``. The model learns one weight per
concept from every training text that uses any member, so unseen members count through it, and
Vietnamese and English lines teach each other.

Entries are matched as whole-word sequences of the normalised text: accented text against the
entries as written, unaccented text against their stripped forms (as the ``w:``/``b:`` word
tokens are), so "đâm" never fires on "dám".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiteguard.classifiers.normalise import BARE, WORDS, normalise

CONCEPTS_DIR = Path(__file__).resolve().parent / "data" / "concepts"
_NAME = re.compile(r"[a-z0-9_]+")
MAX_WORDS = 4


class LexiconError(ValueError):
    """A concept file that does not follow the format; the message names the file and line."""


@dataclass(frozen=True)
class Table:
    """Phrase (words joined by spaces) to the concepts it belongs to."""

    phrases: dict[str, tuple[str, ...]]
    keys: frozenset[str]  # the phrases again, as a set: a set intersection walks the smaller side
    long_starts: frozenset[str]  # the first two words of every entry of three words or more
    longest: int  # words in the longest phrase


@dataclass(frozen=True)
class Lexicon:
    concepts: dict[str, frozenset[str]]  # name to normalised entries, as written (accented)
    accented: Table
    bare: Table

    def tokens(self, words: list[str], accented: bool) -> set[str]:
        """The ``c:`` tokens of a text's normalised words; ``accented``: the text carries diacritics."""
        table = self.accented if accented else self.bare
        # Single words and pairs are joined and intersected with the entries in C; longer runs only
        # where a pair begins some longer entry, which few do: a page's opening costs ~30 µs.
        pairs = list(map(" ".join, zip(words, words[1:], strict=False)))
        runs = set(words).union(pairs)
        for start, pair in enumerate(pairs):
            if pair in table.long_starts:
                runs.update(" ".join(words[start:start + size]) for size in range(3, table.longest + 1))
        found: set[str] = set()
        for phrase in runs & table.keys:
            found.update(table.phrases[phrase])
        return {"c:" + name for name in found}

    def tokens_of_phrase(self, phrase: str, accented: bool) -> list[str]:
        """The ``c:`` tokens of one whole entry (for explanations): "mã tấu" -> ["c:blade"]."""
        table = self.accented if accented else self.bare
        return ["c:" + name for name in table.phrases.get(phrase, ())]

    def to_text(self) -> str:
        """The lexicon in its own file format, as a model artefact stores it."""
        return "".join(f"@ {name}\n" + "".join(f"{entry}\n" for entry in sorted(self.concepts[name]))
                       for name in sorted(self.concepts))


def parse(lines: list[str], source: str) -> dict[str, set[str]]:
    """Concept name to its normalised entries; raises ``LexiconError`` on any malformed line."""
    concepts: dict[str, set[str]] = {}
    current: set[str] | None = None
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            name = line[1:].strip()
            if not _NAME.fullmatch(name) or name in concepts:
                raise LexiconError(f"{source}:{number}: bad or repeated concept name {name!r}")
            current = concepts[name] = set()
            continue
        words = WORDS.findall(normalise(line))  # teen-code in an entry may expand to more words
        if current is None or not words or len(WORDS.findall(line)) > MAX_WORDS:
            raise LexiconError(f"{source}:{number}: an entry of 1–{MAX_WORDS} words under an '@ name' line "
                               f"was expected, got {line!r}")
        current.add(" ".join(words))
    return concepts


def from_stored(text: str) -> Lexicon:
    """The lexicon a model artefact carries (``Lexicon.to_text``): entries already normalised.

    Normalising again would cost a fifth of a second at every load; the stored text is checked
    only for its shape, and a damaged one raises ``LexiconError``.
    """
    concepts: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in text.splitlines():
        if line.startswith("@ "):
            current = concepts.setdefault(line[2:], set())
        elif current is not None and line:
            current.add(line)
        else:
            raise LexiconError(f"the model's stored concept lexicon is damaged near {line[:40]!r}")
    return build(concepts)


def _table(concepts: dict[str, set[str]], strip: bool) -> Table:
    # Built at every model load, so kept lean: names in sorted order give each phrase a sorted
    # tuple without sorting, and a name repeats only right after itself (two entries of one
    # concept that strip to the same form).
    phrases: dict[str, list[str]] = {}
    for name in sorted(concepts):
        for entry in concepts[name]:
            names = phrases.setdefault(entry.translate(BARE) if strip else entry, [])
            if not names or names[-1] != name:
                names.append(name)
    spaces = {phrase: phrase.count(" ") for phrase in phrases}
    long_starts = frozenset(phrase[:phrase.index(" ", phrase.index(" ") + 1)]
                            for phrase, count in spaces.items() if count >= 2)
    return Table({phrase: tuple(names) for phrase, names in phrases.items()}, frozenset(phrases),
                 long_starts, max(spaces.values(), default=0) + 1)


def build(concepts: dict[str, set[str]]) -> Lexicon:
    return Lexicon({name: frozenset(entries) for name, entries in concepts.items()},
                   _table(concepts, strip=False), _table(concepts, strip=True))


EMPTY = build({})  # what a model trained before concepts existed reads with


def read_folder(folder: Path) -> dict[str, set[str]]:
    concepts: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        for name, entries in parse(path.read_text(encoding="utf-8").splitlines(), path.name).items():
            if name in concepts:
                raise LexiconError(f"{path.name}: concept {name!r} is also defined in another file")
            concepts[name] = entries
    return concepts


@cache
def shipped() -> Lexicon:
    return build(read_folder(CONCEPTS_DIR))
