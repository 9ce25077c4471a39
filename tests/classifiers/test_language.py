from __future__ import annotations

import pytest

from kiteguard.classifiers.language import guess_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hôm nay trời đẹp, cả nhà đi công viên chơi", "vi"),
        ("hom nay troi dep, ca nha di cong vien choi nhe", "vi"),  # without accents
        ("mai di hoc nho mang sach, ko quen dau", "vi"),
        ("The city council approved the new school budget", "en"),
        ("Это просто текст на русском языке", "other"),
        ("12345 !!! ???", "other"),
    ],
)
def test_language_guess(text: str, language: str) -> None:
    assert guess_language(text) == language
