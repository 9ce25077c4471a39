from __future__ import annotations

import gzip

import pytest

from kiteguard.classifiers.model import Classifier
from kiteguard.classifiers.page import is_judged, verdict_for_page

BETTING = ("<html><head><title>Nhà cái uy tín</title></head>"
           "<body><p>Nạp tiền chơi tài xỉu, nổ hũ, cá độ bóng đá</p></body></html>")


@pytest.mark.parametrize(
    ("content_type", "judged"),
    [
        ("text/html", True),
        ("text/html; charset=UTF-8", True),
        ("application/xhtml+xml", True),
        ("image/png", False),
        ("application/json", False),
        ("text/plain", False),
        (None, False),
    ],
)
def test_only_html_is_judged(content_type: str | None, judged: bool) -> None:
    assert is_judged(content_type) is judged


def test_a_betting_page_is_flagged_with_its_reasons(seed_model: Classifier) -> None:
    verdict = verdict_for_page(BETTING.encode(), "text/html; charset=utf-8", "balanced", model=seed_model)
    assert verdict is not None and verdict.category == "gambling"
    assert verdict.explain


def test_a_compressed_page_is_judged_like_a_plain_one(seed_model: Classifier) -> None:
    plain = verdict_for_page(BETTING.encode(), "text/html", model=seed_model)
    packed = verdict_for_page(gzip.compress(BETTING.encode()), "text/html", content_encoding="gzip", model=seed_model)
    assert plain is not None and packed is not None and packed.scores == plain.scores


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"<html><body>ok</body></html>", "text/html"),  # too little text to judge fairly
        (b"not gzip", "text/html"),
    ],
)
def test_unjudged_pages_give_no_verdict(seed_model: Classifier, body: bytes, content_type: str) -> None:
    assert verdict_for_page(body, content_type, content_encoding="gzip" if body == b"not gzip" else None,
                            model=seed_model) is None
