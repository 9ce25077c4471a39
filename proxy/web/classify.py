"""The chat scorer behind the extension's "think before you send" (``POST /api/ext/classify``).

``extapi`` owns the route, its token check and the count it keeps; this module supplies the
real classifier. The message is judged in memory and never stored or logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web

from kiteguard.classifiers.page import load_classifier

from ..runtime import Runtime
from . import keys

MAX_TEXT = 2000  # a chat message; longer input is judged on its opening
HURTFUL = ("hate_bullying", "violence")  # insults, exclusion, threats: what might hurt someone


def chat_scorer(runtime: Runtime) -> Callable[[str], dict[str, Any]]:
    """A scorer for the household's default sensitivity; the model loads on first use, once."""

    def score(text: str) -> dict[str, Any]:
        verdict = load_classifier().classify(text[:MAX_TEXT], runtime.profile(None).sensitivity)
        worst = max(HURTFUL, key=lambda category: verdict.scores.get(category, 0.0))
        label = verdict.category if verdict.flagged else worst
        return {**verdict.to_json(), "label": label, "score": float(verdict.scores.get(label, 0.0)),
                "hurtful": verdict.category in HURTFUL}

    return score


def setup(app: web.Application) -> None:
    app.setdefault(keys.CHAT_SCORER, chat_scorer(app[keys.RUNTIME]))  # tests may install their own first
