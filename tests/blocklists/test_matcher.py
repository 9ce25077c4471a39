from __future__ import annotations

import os
import random
import shutil
import sysconfig
from datetime import datetime, timezone
from pathlib import Path

import pytest
from blocklist_files import lists_dir_fixture, real_lists_fixture, write  # noqa: F401 (fixtures)

from kiteguard.blocklists import matcher
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


@pytest.fixture(params=["c-walk", "python-walk"])
def walk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each matcher test runs with the C suffix walk and with the pure-Python one."""
    if request.param == "python-walk":
        monkeypatch.setattr(matcher, "NativeSuffixWalk", None)
    elif matcher.NativeSuffixWalk is None:
        pytest.skip("the C suffix walk was not built here (no C compiler or Python headers at install time)")
    return request.param


@pytest.fixture
def lists(lists_dir: Path, walk: str) -> CompiledLists:
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
        # punycode names match, and so does the Unicode spelling of a name or of its subdomain
        ("xn--shopgcaoth-043e.vn", ["adult"]),
        ("shopgcaothụ.vn", ["adult"]),
        ("ví.example.com", ["adult"]),
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


def test_a_unicode_subdomain_names_the_listed_rule(lists: CompiledLists) -> None:
    assert [hit.rule for hit in lists.lookup("ví.example.com")] == ["example.com"]


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


def test_the_most_specific_entry_of_a_category_answers(lists_dir: Path, walk: str) -> None:
    lists = build(
        lists_dir, ("one.txt", "adult", "example.com\nwww.example.com\n"), ("two.txt", "games", "example.com\n")
    )
    hits = lists.lookup("www.example.com")
    assert [(hit.category, hit.rule) for hit in hits] == [("adult", "www.example.com"), ("games", "example.com")]
    assert len(lists.explain("www.example.com")) == 3  # explanations show every entry


def test_many_names_each_answer_with_their_own_line(lists_dir: Path, walk: str) -> None:
    names = [f"site{number}.example" for number in range(5000)]
    lists = build(lists_dir, ("many.txt", "gambling", "\n".join(names) + "\n"))
    for round_ in range(2):
        for line, name in enumerate(names, start=1):
            host = f"www{round_}.{name}"
            assert lists.lookup(host) == (("gambling", name, "many.txt", line),), host


def test_a_name_in_several_lists_answers_once_per_category(lists_dir: Path, walk: str) -> None:
    lists = build(lists_dir, ("one.txt", "adult", "example.com\n"), ("two.txt", "adult", "a.org\nexample.com\n"),
                  ("three.txt", "games", "example.com\n"))
    assert sorted((hit.category, hit.list_name) for hit in lists.lookup("m.example.com")) == [
        ("adult", "one.txt"), ("games", "three.txt")]


def test_the_c_walk_is_built_where_a_compiler_and_python_headers_are() -> None:
    # Without it every lookup still works, a few microseconds slower: a silent fallback would hide that.
    if shutil.which("cc") is None or not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        pytest.skip("no C compiler or Python headers here: the matcher uses its Python walk")
    assert matcher.NativeSuffixWalk is not None


def test_the_c_and_python_walks_agree_on_the_real_lists(real_lists: Path, lists_dir: Path) -> None:
    if matcher.NativeSuffixWalk is None:
        pytest.skip("the C suffix walk was not built here (no C compiler or Python headers at install time)")
    registry = SourceRegistry(lists_dir)
    for name in ("hostsvn/extensions/gambling/hosts-VN", "blocklistproject/drugs.txt", "abpvn/abpvn.txt"):
        registry.import_file(real_lists / name, "gambling", None, NOW)
    registry.compile()
    path = compiled_path(lists_dir)
    assert path is not None
    native = CompiledLists(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matcher, "NativeSuffixWalk", None)
        python = CompiledLists(path)
    rng = random.Random(7)
    listed = [line.split()[-1] for line in (real_lists / "blocklistproject/drugs.txt").read_text().splitlines()
              if line and not line.startswith("#")]
    hosts = [prefix + name for name in rng.sample(listed, 2000) for prefix in ("", "www.", "a.b.")]
    hosts += ["x" + name for name in listed[:500]] + [name + ".evil.org" for name in listed[:500]]
    hosts += ["", ".", "..", "a..b", "com.", "." + listed[0], listed[0] + ".", "a." * 120 + listed[0]]
    hosts += ["ví." + listed[0]]
    assert sum(bool(native.lookup(host)) for host in hosts) >= 6000  # every listed name and its subdomains
    for host in hosts:
        assert list(native.lookup(host, "/")) == list(python.lookup(host, "/")), host


def test_a_closed_matcher_refuses_lookups_instead_of_reading_freed_memory(lists: CompiledLists) -> None:
    assert lists.lookup("example.com")
    lists.close()
    with pytest.raises(ValueError):
        lists.lookup("example.com")
