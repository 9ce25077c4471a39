"""The model we ship, on the short texts a proxy meets on every other page."""

from __future__ import annotations

import pytest

from kiteguard.classifiers.model import Classifier


@pytest.fixture(scope="module")
def shipped() -> Classifier:
    return Classifier.load()


@pytest.mark.parametrize(
    "text",
    [
        # interface labels and status pages: a bag of words is least sure on a few words, and a
        # block here would hit login forms and error pages all day
        "Forgot your username?",
        "Server error, try again later",
        "Account settings",
        "Tìm kiếm sản phẩm",
        "Liên hệ chúng tôi",
        "Trang đang được cập nhật",
        # a lone "x" is not "xxx"
        "Follow us on X",
        "www.bing.com Hello from www.bing.com q=x&safe=1",
    ],
)
def test_short_ordinary_texts_are_safe(shipped: Classifier, text: str) -> None:
    assert shipped.classify(text).category == "safe"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("nạp tiền chơi nổ hũ", "gambling"),
        ("send nudes", "adult"),
        ("mua cỏ ở đâu", "drugs"),
        ("i want to die", "self_harm"),
        ("tao đánh chết mày", "violence"),
        ("go die", "hate_bullying"),
    ],
)
def test_short_unsafe_texts_are_still_caught(shipped: Classifier, text: str, category: str) -> None:
    assert shipped.classify(text).category == category
