"""The installer's words, in Vietnamese and English (``installer/locales/<language>.toml``).

Kept beside the installer rather than in ``proxy/locales`` so the wizard's many strings do not
crowd the filter's catalogue; the format and the fallback (Vietnamese) are the same.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

LANGUAGES = ("vi", "en")
FALLBACK = "vi"


@cache
def catalogue(language: str) -> dict[str, str]:
    text = resources.files(__package__).joinpath("locales", f"{language}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def text(key: str, language: str, **params: object) -> str:
    lang = language if language in LANGUAGES else FALLBACK
    message = catalogue(lang).get(key) or catalogue(FALLBACK).get(key)
    if message is None:
        raise KeyError(f"no installer message {key!r}")
    return message.format(**params) if params else message
