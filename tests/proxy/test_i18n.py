"""Every user-facing string exists in Vietnamese and English."""

from __future__ import annotations

import re

from kiteguard.proxy.categories import CATEGORIES
from kiteguard.proxy.i18n import catalogue, category_name, translate


def test_both_languages_have_the_same_keys() -> None:
    assert set(catalogue("vi")) == set(catalogue("en"))


def test_placeholders_match_between_languages() -> None:
    for key, english in catalogue("en").items():
        assert set(re.findall(r"{(\w+)}", english)) == set(re.findall(r"{(\w+)}", catalogue("vi")[key])), key


def test_every_category_has_a_name_people_can_read() -> None:
    for category in CATEGORIES:
        assert category_name(category, "vi") != category_name(category, "en")


def test_vietnamese_is_the_fallback() -> None:
    assert translate("block.title", "fr") == translate("block.title", "vi") == "Trang này bị chặn"
