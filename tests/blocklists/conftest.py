"""Fixtures for the blocklist tests: a lists folder, and the real third-party lists if present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _find_shared() -> Path | None:
    if os.environ.get("KITEGUARD_SHARED"):
        return Path(os.environ["KITEGUARD_SHARED"])
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "blocklists").is_dir():
            return parent / "shared"
    return None


@pytest.fixture
def real_lists() -> Path:
    """../shared/data/blocklists, or skip with a clear reason."""
    shared = _find_shared()
    if shared is None:
        pytest.skip("third-party lists not available: ../shared/data/blocklists is absent")
    return shared / "data" / "blocklists"


@pytest.fixture
def lists_dir(tmp_path: Path) -> Path:
    return tmp_path / "home" / "lists"
