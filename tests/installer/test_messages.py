"""Every installer string exists in Vietnamese and English, and every key the code uses is there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiteguard.installer import messages

INSTALLER = Path(messages.__file__).parent


def test_both_languages_have_the_same_keys() -> None:
    assert messages.catalogue("vi").keys() == messages.catalogue("en").keys()


def test_every_key_in_the_code_is_translated() -> None:
    used: set[str] = set()
    for source in INSTALLER.glob("*.py"):
        used |= set(re.findall(r'"((?:step|note|prompt|setup|dryrun|uninstall|error|doctor|fix)\.[a-z_.]+)"',
                               source.read_text()))
    assert used, "no keys found: the pattern is stale"
    used = {key for key in used if not key.endswith(".")}  # prefixes joined with a status in code
    missing = used - messages.catalogue("en").keys()
    assert not missing


@pytest.mark.parametrize("key", sorted(messages.catalogue("vi")))
def test_vietnamese_is_not_left_in_english(key: str) -> None:
    vi, en = messages.text(key, "vi"), messages.text(key, "en")
    if key.startswith("prompt.language") or key.endswith(("status.ok", "status.unknown")):
        return
    assert vi != en


def test_unknown_language_falls_back_to_vietnamese() -> None:
    assert messages.text("doctor.all_green", "fr") == "Mọi thứ đều hoạt động tốt."
