from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from blocklist_files import lists_dir_fixture, write  # noqa: F401 (fixtures)

from kiteguard.blocklists.live import LiveLists, open_lists
from kiteguard.blocklists.matcher import MAGIC, CompiledFileError, CompiledLists, compiled_path
from kiteguard.blocklists.registry import SourceRegistry
from kiteguard.proxy import policy
from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.urls import parse_url

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


def build(lists_dir: Path, *lists: tuple[str, str, str]) -> CompiledLists:
    """Import (file name, category, text) lists, without the starter list, and map the result."""
    registry = SourceRegistry(lists_dir)
    for name, category, text in lists:
        registry.import_file(write(lists_dir.parent / "incoming" / name, text), category, None, NOW)
    registry.compile()
    path = compiled_path(lists_dir)
    assert path is not None
    return CompiledLists(path)


@pytest.fixture
def lists(lists_dir: Path) -> CompiledLists:
    return build(
        lists_dir,
        ("adult.txt", "adult", "# adult\nexample.com\nxn--shopgcaoth-043e.vn\n"),
        ("ads.txt", "adult", "! adblock\n||tracker.example.org^\n@@||good.tracker.example.org^\n"),
        ("games.txt", "games", "roblox.com\ntracker.example.org\n"),
        ("urls", "gambling", "astrolabio.net/casino/\n"),
    )


@pytest.mark.parametrize(
    ("host", "categories"),
    [
        # label boundaries: the domain and its subdomains, nothing else
        ("example.com", ["adult"]),
        ("a.b.example.com", ["adult"]),
        ("notexample.com", []),
        ("example.com.evil.org", []),
        ("com", []),
        # an exception beats its own list's block, but not another list's
        ("tracker.example.org", ["adult", "games"]),
        ("good.tracker.example.org", ["games"]),
        ("x.good.tracker.example.org", ["games"]),
        # punycode names match
        ("xn--shopgcaoth-043e.vn", ["adult"]),
    ],
)
def test_lookup_matches_on_label_boundaries(lists: CompiledLists, host: str, categories: list[str]) -> None:
    assert sorted(hit.category for hit in lists.lookup(host, "/")) == categories


@pytest.mark.parametrize(
    ("path", "blocked"),
    [
        ("/casino/", True),
        ("/casino/roulette?x=1", True),
        ("/Casino/Poker", True),
        ("/news/", False),
        ("/", False),
    ],
)
def test_url_prefixes_match_on_the_path(lists: CompiledLists, path: str, blocked: bool) -> None:
    hits = lists.lookup("www.astrolabio.net", path)
    assert bool(hits) is blocked
    if blocked:
        assert hits[0].rule == "astrolabio.net/casino/"


def test_hits_name_the_rule_list_and_line(lists: CompiledLists) -> None:
    (hit,) = lists.lookup("www.example.com", "/")
    assert (hit.category, hit.rule, hit.list_name, hit.line) == ("adult", "example.com", "adult.txt", 2)


def test_explain_quotes_the_original_line(lists: CompiledLists) -> None:
    explained = lists.explain("Good.Tracker.Example.ORG.", "/")
    assert [(e.list_name, e.line, e.rule, e.exception) for e in explained] == [
        ("ads.txt", 3, "@@||good.tracker.example.org^", True),
        ("games.txt", 2, "tracker.example.org", False),
    ]


def test_the_engine_blocks_through_the_compiled_lists(lists: CompiledLists) -> None:
    household = Household(profiles=(Profile(name="kid", block=("adult",)),))
    ctx = policy.Context(household=household, now=NOW, lists=lists)
    facts = policy.RequestFacts(url=parse_url("https://www.example.com/page"))
    decision = policy.decide(facts, household.profiles[0], ctx)
    assert decision.action == "block"
    assert decision.reasons[0].source == "blocklist"
    assert "adult.txt" in decision.reasons[0].detail


def test_a_running_proxy_picks_up_a_new_compiled_file(lists_dir: Path) -> None:
    build(lists_dir, ("one.txt", "adult", "one.example\n"))
    ticks = [0.0]
    live = LiveLists(lists_dir, clock=lambda: ticks[0], interval=2.0)
    assert live.lookup("one.example")
    registry = SourceRegistry(lists_dir)
    registry.import_file(write(lists_dir.parent / "two.txt", "two.example\n"), "games", None, NOW)
    registry.compile()
    ticks[0] = 1.0
    assert not live.lookup("two.example")  # checked at most every two seconds
    ticks[0] = 3.0
    assert [hit.category for hit in live.lookup("two.example")] == ["games"]
    assert live.lookup("one.example")


def test_a_fresh_install_blocks_with_the_starter_list(lists_dir: Path) -> None:
    live = open_lists(lists_dir)
    expected = {
        "www.youtube.com": "video", "tiktok.com": "social", "facebook.com": "social", "roblox.com": "games",
        "zalo.me": "chat", "pornhub.com": "adult", "fb88.com": "gambling",
    }
    for host, category in expected.items():
        assert [hit.category for hit in live.lookup(host)] == [category], host
    assert not live.lookup("wikipedia.org")


def test_old_mapping_survives_the_swap(lists_dir: Path) -> None:
    old = build(lists_dir, ("one.txt", "adult", "one.example\n"))
    build(lists_dir, ("two.txt", "games", "two.example\n"))
    assert old.lookup("one.example")  # still mapped, though a new generation is in force
    assert compiled_path(lists_dir) != old.path
    assert not os.path.exists(old.path)  # POSIX lets the next compile remove a mapped file


def test_a_damaged_compiled_file_is_refused_and_the_lists_in_force_stay(lists_dir: Path) -> None:
    build(lists_dir, ("one.txt", "adult", "one.example\n"))
    live = LiveLists(lists_dir, clock=lambda: 0.0, interval=0)
    damaged = lists_dir / "compiled-ffff.kgbl"
    damaged.write_bytes(MAGIC + bytes(100))
    (lists_dir / "compiled.current").write_text("compiled-ffff.kgbl\n")
    assert not live.refresh()
    assert live.lookup("one.example")
    with pytest.raises(CompiledFileError, match=r"kgbl is damaged"):
        CompiledLists(damaged)
    assert open_lists(lists_dir).lookup("one.example")  # a new proxy rebuilds from the parsed lists


def test_a_file_from_an_earlier_version_is_rebuilt_without_an_alert(lists_dir: Path) -> None:
    build(lists_dir, ("one.txt", "adult", "one.example\n"))
    (lists_dir / "compiled-eeee.kgbl").write_bytes(b"KGBL0002" + bytes(100))  # as an upgrade finds it
    (lists_dir / "compiled.current").write_text("compiled-eeee.kgbl\n")
    alerts: list[str] = []
    assert open_lists(lists_dir, alert=alerts.append).lookup("one.example")
    assert alerts == []


def test_the_most_specific_entry_of_a_category_answers(lists_dir: Path) -> None:
    lists = build(
        lists_dir, ("one.txt", "adult", "example.com\nwww.example.com\n"), ("two.txt", "games", "example.com\n")
    )
    hits = lists.lookup("www.example.com")
    assert [(hit.category, hit.rule) for hit in hits] == [("adult", "www.example.com"), ("games", "example.com")]
    assert len(lists.explain("www.example.com")) == 3  # explanations show every entry


def test_repeated_hits_answer_as_the_first_did(lists_dir: Path) -> None:
    names = [f"site{number}.example" for number in range(5000)]  # more than the matcher remembers
    lists = build(lists_dir, ("many.txt", "gambling", "\n".join(names) + "\n"))
    for round_ in range(2):
        for line, name in enumerate(names, start=1):
            host = f"www{round_}.{name}"
            assert lists.lookup(host) == (("gambling", name, "many.txt", line),), host
