"""Text normalisation for Vietnamese and English, applied before features are computed.

Children type the same word many ways: with or without diacritics, with the old or new
tone-mark placement (hòa / hoà), in teen-code ("ko", "dc", "j"), in leetspeak ("s3x") and
spaced or dotted out to slip past filters ("t.à.i x.ỉ.u"). Every form is rewritten to one
canonical spelling so that the model sees one feature where the child wrote five.

Order matters: Unicode composition first (so regexes see one code point per letter), then
tone placement, then joining of spaced letters, then leetspeak and teen-code at word level.
"""

from __future__ import annotations

import re
import unicodedata

_LETTER = r"[^\W\d_]"
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _precomposed(base: str) -> str:
    return "".join(unicodedata.normalize("NFC", base + mark) for mark in _TONE_MARKS)


# Old-style placement puts the tone on the first vowel of a final "oa", "oe" or "uy"
# (hòa, thủy); the new style puts it on the second (hoà, thuỷ). We keep the new style.
# Only when the pair ends the syllable: in "hoàng" the tone is on "a" in both styles.
_OLD_TONE = re.compile(
    rf"([{_precomposed('o')}{_precomposed('O')}])([aeAE])(?![^\W\d_])"
    rf"|([{_precomposed('u')}{_precomposed('U')}])([yY])(?![^\W\d_])"
)

# Letters separated by dots, dashes, stars or underscores: "t.à.i", "s-e-x", "c*a*s*i*n*o".
_DOTTED = re.compile(rf"(?<![^\W_])({_LETTER})(?:[.\-*_+]({_LETTER})(?![^\W_]))+")
# Three or more single letters separated by single spaces: "s e x", "c a s i n o".
_SPACED = re.compile(rf"(?<![^\W_])({_LETTER})(?: {_LETTER}(?![^\W_])){{2,}}")
# "xxx" is left whole: collapsed to "x" it lent its adult weight to every lone x ("q=x", "x2",
# "follow us on X").
_REPEATS = re.compile(r"([^\W\d_xX])\1{2,}")
# A word: a run of letters and digits. Features, explanations and the concept lexicon split on it too.
WORDS = re.compile(r"[^\W_]+")

# Digits used as letters, rewritten only between two letters so "789bet" and "w88" stay.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_INSIDE = re.compile(r"(?<=[^\W\d_])([013457@$])(?=[^\W\d_])")

# Teen-code spellings seen in Vietnamese chat, and English shorthands, to their standard word.
TEENCODE: dict[str, str] = {
    "ko": "không", "k": "không", "kh": "không", "khg": "không", "hok": "không", "hem": "không",
    "hông": "không", "khum": "không", "kg": "không", "0k0": "không",
    "dc": "được", "đc": "được", "dk": "được", "đk": "được", "duoc": "được",
    "j": "gì", "gj": "gì", "z": "vậy", "v": "vậy", "zậy": "vậy", "zay": "vậy",
    "r": "rồi", "rùi": "rồi", "ròi": "rồi", "ng": "người", "ngta": "người ta",
    "mn": "mọi người", "mk": "mình", "mik": "mình", "bn": "bao nhiêu", "bnhieu": "bao nhiêu",
    "ntn": "như thế nào", "nt": "nhắn tin", "ib": "nhắn tin", "vs": "với", "ms": "mới",
    "cx": "cũng", "cg": "cũng", "trc": "trước", "lm": "làm", "ns": "nói", "bít": "biết",
    "bik": "biết", "bjt": "biết", "iu": "yêu", "ik": "đi", "thik": "thích",
    "thjk": "thích", "nhìu": "nhiều", "nhiu": "nhiều", "wá": "quá", "qá": "quá",
    "ak": "à", "ah": "à", "uk": "ừ", "uh": "ừ", "oke": "ok", "oki": "ok",
    "mún": "muốn", "nx": "nữa", "hnay": "hôm nay", "hqua": "hôm qua", "ny": "người yêu", "thui": "thôi",
    "lun": "luôn", "đt": "điện thoại", "kb": "kết bạn", "sn": "sinh nhật", "đg": "đang", "đag": "đang",
    "ngừi": "người", "bh": "bây giờ", "nma": "nhưng mà", "dth": "dễ thương", "chớt": "chết", "chếc": "chết",
    "sếch": "sex", "sẽx": "sex", "secks": "sex", "seggs": "sex", "sx": "sex", "secx": "sex",
    "pr0n": "porn", "prn": "porn", "fck": "fuck", "fuk": "fuck", "stfu": "shut up",
    "kys": "kill yourself", "kms": "kill myself", "unalive": "kill", "sewerslide": "suicide",
    "u": "you", "ur": "your", "r u": "are you", "pls": "please",
    "plz": "please", "ppl": "people", "b4": "before", "gr8": "great",
}
_TEEN_WORDS = frozenset(key for key in TEENCODE if " " not in key)
_PHRASES = sorted((key for key in TEENCODE if " " in key), key=len, reverse=True)


def compose(text: str) -> str:
    """Unicode NFC, so "hoà" typed with combining marks equals the precomposed one."""
    return unicodedata.normalize("NFC", text)


def place_tones(text: str) -> str:
    """Rewrite old-style tone placement (hòa, thủy) to the new style (hoà, thuỷ). Expects NFC."""
    return _OLD_TONE.sub(_move_tone, text)


def _move_tone(match: re.Match[str]) -> str:
    toned, vowel = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    decomposed = unicodedata.normalize("NFD", toned)
    base, mark = decomposed[0], decomposed[1:]
    return base + unicodedata.normalize("NFC", vowel + mark)


def _bare_table() -> dict[int, str]:
    table = {ord("đ"): "d", ord("Đ"): "D"}
    for code in range(0x00C0, 0x1F00):
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) > 1 and decomposed[0].isascii():
            table[code] = decomposed[0]
    for code in range(0x0300, 0x0370):  # stray combining marks (text that was never composed)
        table[code] = ""
    return table


BARE = _bare_table()  # str.translate table: accents off, đ to d


def strip_diacritics(text: str) -> str:
    """Remove every accent and map đ to d: what a child types on a keyboard without Telex."""
    return compose(text).translate(BARE)


def join_spaced_letters(text: str) -> str:
    """Join letters spelled out one by one: "t.à.i x.ỉ.u" -> "tài xỉu", "s e x" -> "sex"."""
    text = _DOTTED.sub(lambda m: re.sub(r"[.\-*_+]", "", m.group(0)), text)
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def rewrite_teencode(text: str) -> str:
    """Undo leetspeak inside words and replace teen-code words by their standard spelling.

    Expects lower-case text.
    """
    text = _LEET_INSIDE.sub(lambda m: _LEET[m.group(1)], text)
    for phrase in _PHRASES:
        if phrase in text:
            text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", TEENCODE[phrase], text)
    # Most texts hold few teen-code words: find them with one C-level scan, then rewrite only those.
    hits = _TEEN_WORDS.intersection(WORDS.findall(text))
    if not hits:
        return text
    words = "|".join(map(re.escape, sorted(hits, key=len, reverse=True)))
    pattern = re.compile(rf"(?<![^\W_])({words})(?![^\W_])")
    return pattern.sub(lambda m: TEENCODE[m.group(1)], text)


def normalise(text: str) -> str:
    """The canonical form the classifier sees: composed, lower-case, new tone style, no teen-code."""
    text = compose(text).lower()
    text = place_tones(text)
    text = join_spaced_letters(text)
    text = _REPEATS.sub(r"\1", text)
    text = rewrite_teencode(text)
    return " ".join(text.split())  # twice as fast as a regex substitution, same result
