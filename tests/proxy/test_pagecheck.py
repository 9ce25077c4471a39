"""Pages no list knows, judged by what they say: the add-on's response hook and the page judge.

The hooks run as mitmproxy calls them, over a real runtime and SQLite store; the model is a
small one trained on our seed set, so the tests do not depend on the shipped artefact.
"""

from __future__ import annotations

import gzip
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from mitmproxy import http

with warnings.catch_warnings():  # mitmproxy's add-ons import ldap3, which warns about pyasn1 names
    warnings.simplefilter("ignore", DeprecationWarning)
    from mitmproxy.test import taddons, tflow

from kiteguard.classifiers.corpus import read_examples
from kiteguard.classifiers.domains import DomainModel
from kiteguard.classifiers.model import Classifier
from kiteguard.classifiers.train import TrainConfig, train
from kiteguard.proxy.addon import KiteguardAddon
from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.pagecheck import CLEAN_STREAK, SAMPLE_EVERY, PageJudge, PageVerdict
from kiteguard.proxy.paths import Home
from kiteguard.proxy.runtime import Runtime
from kiteguard.proxy.store import Store

SEED_SET = Path(__file__).resolve().parents[1] / "classifiers" / "fixtures" / "seed.jsonl"
CHILD = Profile(name="child", block=("adult", "gambling"), warn=("violence",), allow=("trusted.vn",))
RELAXED = Profile(name="teen", warn=("gambling",))
PARENT = Profile(name="parent")
BETTING = ("<html><head><title>Nhà cái uy tín</title></head><body><h1>Tài xỉu online</h1>"
           "<p>Nạp tiền chơi tài xỉu, nổ hũ, cá độ bóng đá, nhà cái trả thưởng nhanh</p></body></html>").encode()
RECIPE = ("<html><head><title>Phở bò</title></head><body><p>Công thức nấu phở bò: cắt thịt bò mỏng, "
          "ninh xương sáu tiếng cho nước dùng trong</p></body></html>").encode()


@pytest.fixture(scope="module")
def model() -> Classifier:
    return train(read_examples(SEED_SET), TrainConfig(seed=7, safe_bias=0.0))  # too few texts for a prior


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    store = Store(tmp_path / "kiteguard.sqlite3")
    running = Runtime(Home(tmp_path), store)
    running.apply_policy(Household(default_profile="child", profiles=(CHILD, RELAXED, PARENT)))
    yield running
    store.close()


class CountingLoader:
    def __init__(self, model: Classifier | None) -> None:
        self.model, self.calls = model, 0

    def __call__(self) -> Classifier:
        self.calls += 1
        if self.model is None:
            raise OSError("model folder is unreadable")
        return self.model


def page_flow(runtime: Runtime, addon: KiteguardAddon, url: str, body: bytes,
              headers: dict[str, str] | None = None) -> http.HTTPFlow:
    flow = tflow.tflow()
    flow.request = http.Request.make("GET", url, b"", {"Accept": "text/html", "Sec-Fetch-Dest": "document"})
    with taddons.context(addon):
        addon.requestheaders(flow)
        if flow.response is None:
            flow.response = http.Response.make(200, b"", {"Content-Type": "text/html; charset=utf-8",
                                                          **(headers or {})})
            flow.response.raw_content = body
            addon.responseheaders(flow)
            addon.response(flow)
    return flow


def classifier_events(runtime: Runtime) -> list[tuple[str, str | None]]:
    runtime.events.flush()
    return [(event.action, event.category) for event in runtime.store.events() if event.source == "classifier"]


# -- what the child sees ---------------------------------------------------------------------------


async def test_an_unlisted_betting_page_is_blocked_with_its_explanation(runtime: Runtime, model: Classifier) -> None:
    addon = KiteguardAddon(runtime, PageJudge(CountingLoader(model)))
    flow = page_flow(runtime, addon, "https://nhacai-moi.test/", BETTING)
    assert flow.response is not None and flow.response.status_code == 403
    page = flow.response.get_text()
    assert "Kiteguard nhận thấy" in page and "tài xỉu" in page
    assert classifier_events(runtime) == [("block", "gambling")]


async def test_an_ordinary_page_passes_untouched(runtime: Runtime, model: Classifier) -> None:
    addon = KiteguardAddon(runtime, PageJudge(CountingLoader(model)))
    flow = page_flow(runtime, addon, "https://amthuc.test/pho", RECIPE)
    assert flow.response is not None and flow.response.status_code == 200
    assert flow.response.raw_content == RECIPE
    assert classifier_events(runtime) == []


async def test_a_compressed_page_is_read_without_mitmproxy_inflating_it(runtime: Runtime, model: Classifier) -> None:
    addon = KiteguardAddon(runtime, PageJudge(CountingLoader(model)))
    flow = page_flow(runtime, addon, "https://nhacai-gz.test/", gzip.compress(BETTING), {"Content-Encoding": "gzip"})
    assert flow.response is not None and flow.response.status_code == 403


def test_a_site_name_that_agrees_is_shown_as_a_weak_signal(model: Classifier) -> None:
    names = DomainModel().fit({"gambling": ["nhacai88.com", "nhacaiuytin.net", "taixiu68.vip", "nhacaivip.club"]},
                              ["baomoi.com", "hocmai.vn", "thoitiet.vn", "dulich.vn", "nauan.com"])
    judge = PageJudge(CountingLoader(model), domains=lambda: names)
    judged = judge.judge("https://nhacaimoi88.test/", BETTING, "text/html", None, CHILD)
    assert judged is not None and judged.decision.action == "block"
    first, second = judged.decision.reasons
    assert first.source == second.source == "classifier"
    assert "weak signal" in second.detail and second.rule == "site name (weak signal)"


# -- what the classifier never touches -----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://www.trusted.vn/",  # the parent's own allow rule
        "https://tongdai111.vn/",  # a help site
    ],
)
async def test_sites_a_parent_or_the_help_list_decided_are_not_read(runtime: Runtime, model: Classifier,
                                                                    url: str) -> None:
    loader = CountingLoader(model)
    addon = KiteguardAddon(runtime, PageJudge(loader))
    flow = page_flow(runtime, addon, url, BETTING)
    assert flow.response is not None and flow.response.status_code == 200
    assert loader.calls == 0


async def test_a_reload_is_answered_from_the_cache(runtime: Runtime, model: Classifier) -> None:
    loader = CountingLoader(model)
    addon = KiteguardAddon(runtime, PageJudge(loader))
    for _ in range(3):
        page_flow(runtime, addon, "https://nhacai-cache.test/", BETTING)
    assert loader.calls == 1


async def test_a_site_with_a_run_of_clean_pages_is_sampled_until_one_is_flagged(runtime: Runtime,
                                                                                model: Classifier) -> None:
    loader = CountingLoader(model)
    judge = PageJudge(loader)
    reads_before = loader.calls

    def read(path: str, body: bytes) -> PageVerdict | None:
        return judge.judge(f"https://forum.test/{path}", body, "text/html", None, CHILD)

    for page in range(CLEAN_STREAK):  # every page is read until the site has earned trust
        assert read(f"clean-{page}", RECIPE) is None
    assert loader.calls - reads_before == CLEAN_STREAK
    outcomes = [read(f"bet-{page}", BETTING) for page in range(SAMPLE_EVERY)]
    assert loader.calls - reads_before == CLEAN_STREAK + 1  # one in SAMPLE_EVERY is read...
    assert sum(outcome is not None for outcome in outcomes) == 1  # ...and that one is caught
    assert read("bet-after", BETTING) is not None  # after a flagged page, every page is read again


async def test_a_failing_classifier_never_blocks_on_its_own(runtime: Runtime, caplog: pytest.LogCaptureFixture) -> None:
    addon = KiteguardAddon(runtime, PageJudge(CountingLoader(None)))
    flow = page_flow(runtime, addon, "https://nhacai-broken.test/", BETTING)
    assert flow.response is not None and flow.response.status_code == 200
    assert "page classifier failed" in caplog.text


# -- streaming ---------------------------------------------------------------------------------------


