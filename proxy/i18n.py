"""Translations: every user-facing string, in Vietnamese and English.

Catalogues are flat TOML tables in ``locales/<language>.toml``; a test checks that both
languages carry the same keys. Unknown languages fall back to Vietnamese, our first language.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("vi", "en")
FALLBACK = "vi"


@cache
def catalogue(language: str) -> dict[str, str]:
    """The language's messages: ``<language>.toml`` plus each feature's ``<area>.<language>.toml``."""
    folder = resources.files(__package__).joinpath("locales")
    merged: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == f"{language}.toml" or entry.name.endswith(f".{language}.toml"):
            merged.update(tomllib.loads(entry.read_text(encoding="utf-8")))
    return merged


def translate(key: str, language: str, **params: object) -> str:
    """The message for key in the language, with {placeholders} filled in."""
    lang = language if language in LANGUAGES else FALLBACK
    message = catalogue(lang).get(key) or catalogue(FALLBACK).get(key)
    if message is None:
        raise KeyError(f"no translation for {key!r}")
    return message.format(**params) if params else message


def category_name(category: str | None, language: str) -> str:
    return translate(f"category.{category}" if category else "category.none", language)
