"""An e2guardian-style weighted-phrase scorer: the keyword baseline our model is compared with.

It reads e2guardian's English ``weighted`` phrase lists (GPL, evaluation data only: never
shipped) and applies e2guardian's rule: every occurrence of a phrase adds its weight, a
comma-joined group scores once when all its phrases occur, "good phrases" subtract, and a
page is blocked when its total reaches the naughtiness limit. The category reported is the
one whose phrases weighed most.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

LIST_CATEGORIES: dict[str, str] = {
    "pornography": "adult", "adult": "adult", "nudism": "adult", "personals": "adult",
    "gambling": "gambling", "illegaldrugs": "drugs", "drugadvocacy": "drugs",
    "violence": "violence", "gore": "violence", "weapons": "violence",
    "intolerance": "hate_bullying", "badwords": "hate_bullying", "goodphrases": "safe",
}
LIMITS = {"strict": 50, "balanced": 100, "relaxed": 160}  # e2guardian's usual age profiles
_ENTRY = re.compile(r"^((?:<[^<>]*>\s*,\s*)*<[^<>]*>)\s*<(-?\d+)>")
_PHRASE = re.compile(r"<([^<>]*)>")
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class Rule:
    phrases: tuple[str, ...]
    weight: int
    category: str


def _fold(text: str) -> str:
    # Every gap becomes two spaces and edge spaces in phrases stay single, so " casino "
    # matches twice in "casino casino": each occurrence has a boundary space of its own.
    return "  ".join(_NON_WORD.sub(" ", text.lower()).split())


def _fold_phrase(phrase: str) -> str:
    # Keep e2guardian's edge spaces (word boundaries); fold the inside like page text.
    lead, trail = phrase.startswith(" "), phrase.endswith(" ")
    return (" " if lead else "") + _fold(phrase) + (" " if trail else "")


def parse_rules(text: str, category: str) -> list[Rule]:
    rules = []
    for line in text.splitlines():
        match = _ENTRY.match(line.strip())
        if not match:
            continue
        phrases = tuple(_fold_phrase(p) for p in _PHRASE.findall(match.group(1)))
        if all(p.strip() for p in phrases):
            rules.append(Rule(phrases, int(match.group(2)), category))
    return rules


class PhraseScorer:
    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    @classmethod
    def from_folder(cls, folder: Path) -> PhraseScorer:
        """Load ``phraselists/ukenglish/<list>/weighted*`` for the lists we map to our labels."""
        rules: list[Rule] = []
        for name, category in LIST_CATEGORIES.items():
            for path in sorted((folder / name).glob("weighted*")):
                rules += parse_rules(path.read_text(encoding="latin-1"), category)
        return cls(rules)

    def scores(self, text: str) -> dict[str, int]:
        """Weight per category; "safe" holds the (negative) good-phrase total."""
        page = f"  {_fold(text)}  "
        totals: dict[str, int] = defaultdict(int)
        for rule in self.rules:
            first = rule.phrases[0]
            if first not in page:
                continue
            if len(rule.phrases) == 1:
                totals[rule.category] += rule.weight * page.count(first)
            elif all(phrase in page for phrase in rule.phrases[1:]):
                totals[rule.category] += rule.weight
        return dict(totals)

    def classify(self, text: str, sensitivity: str = "balanced") -> str:
        totals = self.scores(text)
        good = totals.pop("safe", 0)
        if not totals or sum(totals.values()) + good < LIMITS[sensitivity]:
            return "safe"
        return max(totals.items(), key=lambda item: item[1])[0]
