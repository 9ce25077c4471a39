"""A cheap language guess (vi / en / other) that also works on Vietnamese typed without accents."""

from __future__ import annotations

import re

from kiteguard.classifiers.normalise import strip_diacritics

# Letters that exist in Vietnamese but not in English or the common Western alphabets.
_VI_LETTERS = frozenset("ảẻỏủỷĩũỹăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")
_WORDS = re.compile(r"[a-z]+")
_VI_WORDS = frozenset(
    "khong cua la va nhung duoc nguoi cho mot nay co toi ban minh di lam voi thi roi cac nhu vay gi ve da se "
    "dang khi trong ra len hay nhieu lai choi tien ngay con nha ma vao tu em anh chi oi nhe nhe cung dep "
    "moi the nao biet muon xem tai day o mat bi den noi qua luon chua".split()
)
_EN_WORDS = frozenset(
    "the and is to of in you that it for on with this are be was i my your not have at or what how can do "
    "we they he she his her from by an will just about all so if but me our".split()
)


def guess_language(text: str, sample_chars: int = 600) -> str:
    sample = text[:sample_chars].lower()
    letters = [ch for ch in sample if ch.isalpha()]
    if not letters:
        return "other"
    latin = sum(1 for ch in letters if ch.isascii() or ch in _VI_LETTERS or "\u00c0" <= ch <= "\u024f")
    if latin < 0.6 * len(letters):
        return "other"
    vi_letters = sum(1 for ch in letters if ch in _VI_LETTERS)
    if vi_letters >= max(2, 0.03 * len(letters)):
        return "vi"
    words = _WORDS.findall(strip_diacritics(sample))
    vi = sum(1 for word in words if word in _VI_WORDS)
    en = sum(1 for word in words if word in _EN_WORDS)
    if vi == en == 0:
        return "other"
    return "vi" if vi > en else "en"
