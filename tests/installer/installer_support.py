"""Fixtures for installer tests (imported by name: a second conftest.py would shadow the top one)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from kiteguard.proxy.certauthority import ensure_ca
from kiteguard.proxy.paths import Home

ACCOUNT_FILES = ("passwd", "group", "shadow", "gshadow")


@pytest.fixture
def system_root(tmp_path: Path) -> Path:
    """An empty machine except for its account files, which useradd --prefix needs."""
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ACCOUNT_FILES:
        shutil.copy2(f"/etc/{name}", root / "etc" / name)
    return root


@pytest.fixture
def home(tmp_path: Path) -> Home:
    made = Home(tmp_path / "kiteguard-home")
    ensure_ca(made)
    return made


def snapshot(*folders: Path) -> dict[str, tuple[str, int, int, int, str]]:
    """Every path under the folders: content hash (or link target), mode, owner and group."""
    found: dict[str, tuple[str, int, int, int, str]] = {}
    for folder in folders:
        for path in [folder, *folder.rglob("*")]:
            info = path.lstat()
            if path.is_symlink():
                what = "link:" + os.readlink(path)
            elif path.is_file():
                what = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                what = "dir"
            found[str(path)] = (what, info.st_mode, info.st_uid, info.st_gid, "")
    return found
