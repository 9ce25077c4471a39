from __future__ import annotations

import os
from pathlib import Path

from kiteguard.installer.manifest import Manifest
from kiteguard.proxy.atomicfile import write_atomic


def test_files_come_back_byte_for_byte_with_mode_and_owner(tmp_path: Path) -> None:
    target = tmp_path / "etc" / "environment"
    target.parent.mkdir()
    target.write_bytes(b"LANG=vi_VN.UTF-8\r\nno newline at end")
    os.chmod(target, 0o640)
    os.chown(target, 0, 4)
    manifest = Manifest(tmp_path / "home" / "installer")
    manifest.remember_path("step", target)
    write_atomic(target, b"changed", 0o600)
    os.chown(target, 1, 1)

    assert Manifest(manifest.directory).undo_all(lambda argv: None) == []
    assert target.read_bytes() == b"LANG=vi_VN.UTF-8\r\nno newline at end"
    assert (target.stat().st_mode & 0o777, target.stat().st_uid, target.stat().st_gid) == (0o640, 0, 4)


def test_created_paths_and_folders_are_removed_newest_first(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m")
    folder = tmp_path / "new"
    manifest.remember_new_dir("step", folder)
    folder.mkdir()
    manifest.remember_path("step", folder / "file")
    (folder / "file").write_text("ours")
    manifest.remember_created("step", folder / "link")
    (folder / "link").symlink_to("file")

    assert manifest.undo_all(lambda argv: None) == []
    assert not folder.exists()


def test_symlinks_are_restored_as_links(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to("/etc/hostname")
    manifest = Manifest(tmp_path / "m")
    manifest.remember_path("step", link)
    link.unlink()
    link.write_text("replaced")
    manifest.undo_all(lambda argv: None)
    assert os.readlink(link) == "/etc/hostname"


def test_the_first_original_wins_when_a_path_is_changed_twice(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("original")
    manifest = Manifest(tmp_path / "m")
    manifest.remember_path("first", path)
    path.write_text("after first")
    manifest.remember_path("second", path)
    path.write_text("after second")
    manifest.undo_all(lambda argv: None)
    assert path.read_text() == "original"


def test_the_record_is_on_disk_before_the_change_and_private(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("secret-ish")
    manifest = Manifest(tmp_path / "m")
    manifest.remember_path("step", path)
    # a crash right here must still leave a complete record
    assert Manifest(manifest.directory).knows(path)
    assert manifest.file.stat().st_mode & 0o777 == 0o600
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in manifest.originals.iterdir())


def test_one_failing_undo_does_not_stop_the_others(tmp_path: Path) -> None:
    path = tmp_path / "file"
    manifest = Manifest(tmp_path / "m")
    manifest.remember_path("step", path)
    path.write_text("ours")
    manifest.remember_command("step", ("true",), ("false",), False)
    manifest.remember_command("step", ("true",), ("gone",), True)

    def run(argv: tuple[str, ...]) -> None:
        raise RuntimeError(f"{argv[0]} failed")

    problems = manifest.undo_all(run)
    assert problems == ["false: false failed"]
    assert not path.exists()


def test_forget_leaves_no_trace(tmp_path: Path) -> None:
    path = tmp_path / "file"
    path.write_text("x")
    manifest = Manifest(tmp_path / "m")
    manifest.remember_path("step", path)
    manifest.forget()
    assert not manifest.directory.exists()
    assert not Manifest(manifest.directory).exists
