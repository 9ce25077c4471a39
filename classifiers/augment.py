"""Training-time augmentation: the same example as a child might type it.

Two rewrites: every accent stripped (a keyboard without Telex), and standard words turned
into teen-code and leetspeak. Both are random but seeded, so training stays reproducible.
"""

from __future__ import annotations

import random
import re

from kiteguard.classifiers.corpus import Example
from kiteguard.classifiers.normalise import strip_diacritics

# Standard spelling -> the ways children write it.
_TEEN: dict[str, tuple[str, ...]] = {
    "không": ("ko", "k", "hông", "khum"), "được": ("dc", "đc", "dk"), "gì": ("j", "gì"),
    "với": ("vs",), "rồi": ("r", "rùi"), "người": ("ng",), "vậy": ("z", "v", "zậy"), "biết": ("bít", "bik"),
    "mình": ("mk", "mik"), "cũng": ("cx",), "yêu": ("iu",), "thích": ("thik",), "nhiều": ("nhìu",),
    "quá": ("wá", "qá"), "làm": ("lm",), "trước": ("trc",), "mới": ("ms",), "nhắn tin": ("ib", "nt"),
    "you": ("u",), "your": ("ur",), "please": ("pls", "plz"), "people": ("ppl",), "sex": ("s3x", "secks", "sx"),
    "porn": ("pr0n", "p0rn"), "fuck": ("fck", "fuk"), "kill": ("k1ll",), "casino": ("cas1no",),
}
_PATTERN = re.compile(r"(?<!\w)(" + "|".join(sorted(map(re.escape, _TEEN), key=len, reverse=True)) + r")(?!\w)",
                      re.IGNORECASE)


def to_teencode(text: str, rng: random.Random) -> str:
    def swap(match: re.Match[str]) -> str:
        choices = _TEEN[match.group(1).lower()]
        return rng.choice(choices) if rng.random() < 0.8 else match.group(1)

    return _PATTERN.sub(swap, text)


def augment(examples: list[Example], seed: int) -> list[Example]:
    """The originals plus a stripped copy of Vietnamese texts and a teen-code copy where it differs."""
    rng = random.Random(seed)
    out: list[Example] = []
    for example in examples:
        out.append(example)
        variants = {example.text}
        if example.lang == "vi":
            stripped = strip_diacritics(example.text)
            if stripped not in variants:
                variants.add(stripped)
                out.append(_with_text(example, stripped, "plain"))
        teen = to_teencode(example.text, rng)
        if teen not in variants:
            out.append(_with_text(example, teen, "teencode"))
    return out


def _with_text(example: Example, text: str, style: str) -> Example:
    return Example(text, example.label, example.lang, example.kind, style, example.hard_negative)
