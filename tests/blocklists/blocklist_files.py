"""Fixtures and helpers shared by the blocklist tests.

A module with a unique name rather than a conftest.py, so it never shadows the ``conftest`` that
other test folders import from. Test modules import the fixtures they use.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def write(path: Path, text: str) -> Path:
    """Write a text file, creating its folders, and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _find_shared() -> Path | None:
    if os.environ.get("KITEGUARD_SHARED"):
        return Path(os.environ["KITEGUARD_SHARED"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "blocklists").is_dir():
            return parent / "shared"
    return None


@pytest.fixture(name="real_lists")
def real_lists_fixture() -> Path:
    """../shared/data/blocklists, or skip with a clear reason."""
    shared = _find_shared()
    if shared is None:
        pytest.skip("third-party lists not available: ../shared/data/blocklists is absent")
    return shared / "data" / "blocklists"


@pytest.fixture(name="lists_dir")
def lists_dir_fixture(tmp_path: Path) -> Path:
    """The lists folder of a fresh Kiteguard home."""
    return tmp_path / "home" / "lists"
