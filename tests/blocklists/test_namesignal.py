"""The site-name signal is learned from the installed lists and follows them."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from blocklist_files import write

from kiteguard.blocklists.namesignal import NAME_MODEL, RELOAD_SECONDS, LearnedNames
from kiteguard.blocklists.registry import SourceRegistry

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=timezone.utc)
# Names written for this test, in the style of Vietnamese betting lists.
BETTING = [f"{stem}{number}.{tld}" for stem in ("nhacai", "taixiu", "nohu", "banca", "lode", "cado")
           for number, tld in (("88", "com"), ("68", "net"), ("789", "vip"), ("247", "club"), ("uytin", "info"))]
SOCIAL = ["banbe.vn", "ketban.net", "chiase.com", "nhomchat.vn", "trangcanhan.net"]


def install(lists_dir: Path, folder: Path, text: str, category: str) -> str:
    registry = SourceRegistry(lists_dir)
    source = registry.import_file(write(folder / f"{category}.txt", text), category, None, NOW)
    registry.compile()
    return source.id


def test_an_imported_betting_list_teaches_the_name_hint(tmp_path: Path) -> None:
    lists_dir = tmp_path / "lists"
    install(lists_dir, tmp_path, "\n".join(BETTING), "gambling")
    install(lists_dir, tmp_path, "\n".join(SOCIAL), "social")
    names = LearnedNames(lists_dir).current()
    assert names is not None
    hint = names.hint("nhacaimoi99.com")  # on no list
    assert hint is not None and hint.category == "gambling" and "weak signal" in hint.describe()
    assert names.hint("thoitiet.vn") is None and names.hint("hocmai.vn") is None


def test_too_few_names_teach_nothing_and_removing_the_list_removes_the_hint(tmp_path: Path) -> None:
    lists_dir = tmp_path / "lists"
    install(lists_dir, tmp_path / "few", "nhacai88.com\ntaixiu68.net\n", "gambling")
    assert not (lists_dir / NAME_MODEL).exists()
    source_id = install(lists_dir, tmp_path, "\n".join(BETTING), "gambling")
    assert (lists_dir / NAME_MODEL).exists()
    registry = SourceRegistry(lists_dir)
    registry.remove(source_id)
    registry.compile()
    assert not (lists_dir / NAME_MODEL).exists()


def test_a_running_proxy_picks_up_a_new_model_and_survives_a_damaged_one(tmp_path: Path) -> None:
    lists_dir = tmp_path / "lists"
    now = [0.0]
    learned = LearnedNames(lists_dir, clock=lambda: now[0])
    assert learned.current() is None
    install(lists_dir, tmp_path, "\n".join(BETTING), "gambling")
    assert learned.current() is None  # looked a moment ago: the next look is due later
    now[0] += RELOAD_SECONDS
    assert learned.current() is not None
    (lists_dir / NAME_MODEL).write_bytes(b"not a model")
    now[0] += RELOAD_SECONDS
    assert learned.current() is None
