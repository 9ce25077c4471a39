from __future__ import annotations

import pytest

from kiteguard.classifiers.domains import DomainModel, name_part

# Names written for this test, in the style of the lists' entries.
GAMBLING = ["nhacaiuytin.com", "nhacai88.net", "taixiu68.club", "taixiuonline.vip", "nohu88.com", "nohuvip.net",
            "casino-online.bet", "lodeonline.com", "soikeo88.net", "cacuoc247.com", "bet888.vn", "nhacaimoi.info"]
ADULT = ["phimsex.net", "phimsexhay.com", "sexviet.org", "clipsex.club", "phimheo.net", "anhnude.vip",
         "xxxvideos.com", "pornhd.net", "sexchat.live", "camsex.club"]
ORDINARY = ["vnexpress.net", "tuoitre.vn", "hocmai.vn", "thoitiet.vn", "nauan.com", "dulich.vn", "sachhay.org",
            "bongdaso.com", "muasam.vn", "baomoi.com", "thethao.vn", "suckhoe.vn", "toanhoc.edu.vn", "giaitri.net",
            "hoconline.vn", "sachonline.com", "muasamonline.vn", "tintuconline.com.vn"]


@pytest.fixture(scope="module")
def model() -> DomainModel:
    return DomainModel().fit({"gambling": GAMBLING, "adult": ADULT}, ORDINARY)


@pytest.mark.parametrize(
    ("host", "part"),
    [
        ("www.nhacai88.com.vn", "nhacai88"),
        ("m.phim-sex.net", "phim sex"),
        ("shop.example.co.uk", "shop example"),
        ("localhost", "localhost"),
    ],
)
def test_the_chosen_part_of_a_name(host: str, part: str) -> None:
    assert name_part(host) == part


@pytest.mark.parametrize(
    ("host", "category"),
    [
        ("nhacaiuytin88.com", "gambling"),
        ("taixiu789.vip", "gambling"),
        ("phimsexmoi.net", "adult"),
        ("hocmaionline.vn", None),
        ("thoitiethomnay.vn", None),
    ],
)
def test_unlisted_names_get_a_weak_hint(model: DomainModel, host: str, category: str | None) -> None:
    hint = model.hint(host, min_score=0.6)
    assert (hint.category if hint else None) == category
    if hint is not None:
        assert hint.weak and "weak signal" in hint.describe()


def test_a_model_needs_two_kinds_of_names() -> None:
    with pytest.raises(ValueError, match="at least one category and ordinary names"):
        DomainModel().fit({}, ORDINARY)


def test_a_huge_list_teaches_the_same_model_whatever_its_order() -> None:
    # Lists far larger than the sample are thinned by a hash of each name, never by position.
    hosts = [f"{stem}{number}.com" for number in range(3000) for stem in ("nhacai", "taixiu", "nohu")]
    forwards = DomainModel().fit({"gambling": hosts}, ORDINARY, per_category=500)
    backwards = DomainModel().fit({"gambling": hosts[::-1]}, ORDINARY, per_category=500)
    probes = ["nhacai777.net", "taixiuvip.club", "tuoitre.vn", "hocmai.vn"]
    assert forwards.scores(probes).tolist() == backwards.scores(probes).tolist()
    assert forwards.hint("nhacai777.net") is not None and forwards.hint("tuoitre.vn") is None
