"""The real third-party lists in ../shared/data/blocklists (skipped when absent)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from blocklist_files import real_lists_fixture  # noqa: F401 (fixtures)

from kiteguard.blocklists.content import read_path
from kiteguard.blocklists.formats import NotAList
from kiteguard.blocklists.live import LiveLists
from kiteguard.blocklists.matcher import compiled_path
from kiteguard.blocklists.registry import SourceRegistry

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
NOT_LISTS = {"README.md", "README", "LICENSE", "LICENSE.pdf", "usage", "global_usage", "expressions",
             "very_restrictive_expression"}


def domains(path: Path) -> set[str]:
    (part,) = read_path(path, "adult", None).parts
    return {name for name, kind in zip(part.parsed.names, part.parsed.kinds, strict=True) if kind == 0}


def test_every_file_imports_or_is_refused_clearly(real_lists: Path) -> None:
    imported = 0
    for path in sorted(p for p in real_lists.rglob("*") if p.is_file()):
        try:
            content = read_path(path, "adult", None)
        except NotAList as exc:
            ip_list = path.suffix == ".ip" or path.parent.name == "ip"
            empty = not path.read_bytes().strip()
            assert path.name in NOT_LISTS or ip_list or empty, f"{path} refused: {exc}"
            assert "IP addresses" in str(exc) if ip_list else str(exc)
            continue
        counts = content.counts
        assert counts.entries + counts.urls > 0, path
        imported += 1
    assert imported > 200


@pytest.mark.parametrize(
    "files",
    [
        # the same list in four syntaxes
        ("blocklistproject/drugs.txt", "blocklistproject/adguard/drugs-ags.txt",
         "blocklistproject/alt-version/drugs-nl.txt", "blocklistproject/dnsmasq-version/drugs-dnsmasq.txt"),
        ("hagezi-2022/adblock/doh-vpn-proxy-bypass.txt", "hagezi-2022/dnsmasq/doh-vpn-proxy-bypass.txt",
         "hagezi-2022/unbound/doh-vpn-proxy-bypass.blacklist.conf", "hagezi-2022/wildcard/doh-vpn-proxy-bypass.txt"),
        ("hagezi-2022/domains/doh-vpn-proxy-bypass.txt", "hagezi-2022/hosts/doh-vpn-proxy-bypass.txt"),
        # hostsVN: hosts and domain files of each extension
        ("hostsvn/extensions/adult/hosts", "hostsvn/extensions/adult/domain.txt"),
        ("hostsvn/extensions/threat/hosts", "hostsvn/extensions/threat/domain.txt"),
        ("hostsvn/extensions/gambling/hosts.gz", "hostsvn/extensions/gambling/domain.txt"),
        # UT1's three redirector lists are one file
        ("ut1/redirector/domains.gz", "ut1/strict_redirector/domains.gz", "ut1/strong_redirector/domains.gz"),
    ],
)
def test_identical_lists_in_different_formats_parse_to_the_same_domains(real_lists: Path, files: tuple[str]) -> None:
    first, *others = (domains(real_lists / name) for name in files)
    assert first
    for other in others:
        assert other == first


def test_drugs_list_has_the_documented_size(real_lists: Path) -> None:
    assert len(domains(real_lists / "blocklistproject/drugs.txt")) == 26_029


def test_a_page_or_binary_is_refused_and_the_lists_in_force_keep_working(real_lists: Path, tmp_path: Path) -> None:
    lists_dir = tmp_path / "lists"
    registry = SourceRegistry(lists_dir)
    registry.import_file(real_lists / "hostsvn/extensions/gambling/hosts-VN", "gambling", None, NOW)
    registry.compile()
    before = compiled_path(lists_dir)
    page = tmp_path / "hosts-VN"
    page.write_text("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body></body></html>\n")
    for refused, why in ((page, "HTML page"), (real_lists / "ut1/LICENSE.pdf", "binary")):
        with pytest.raises(NotAList, match=why):
            SourceRegistry(lists_dir).import_file(refused, "gambling", None, NOW)
    assert compiled_path(lists_dir) == before
    assert len(SourceRegistry(lists_dir).sources) == 1
    text = (real_lists / "hostsvn/extensions/gambling/hosts-VN").read_text(encoding="utf-8")
    first = next(line.split()[1] for line in text.splitlines() if line.startswith("0.0.0.0 "))
    assert LiveLists(lists_dir, clock=lambda: 0.0).lookup(first)


def test_a_ut1_tree_maps_its_folders_onto_our_categories(real_lists: Path) -> None:
    content = read_path(real_lists / "ut1", None, None)
    categories = {part.member.split("/")[0]: part.category for part in content.parts}
    assert categories["agressif"] == "violence"
    assert categories["drogue"] == "drugs"
    assert categories["social_networks"] == "social"
    assert categories["audio-video"] == "video"
    assert "shopping" in content.ignored and "shopping" not in categories
    adult_urls = next(part for part in content.parts if part.member == "adult/urls")
    assert adult_urls.parsed.counts.urls > 500
