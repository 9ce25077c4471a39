"""Fixtures shared by every test folder; the helpers behind them live in kgtest.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgtest import UPSTREAM_SCRIPT, Kiteguard, Upstream, start_routed_kiteguard


@pytest.fixture(scope="session")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Upstream]:
    """A local aiohttp site on HTTP and HTTPS (certificates from a test CA), in its own process."""
    folder = tmp_path_factory.mktemp("upstream")
    process = subprocess.Popen(
        [sys.executable, str(UPSTREAM_SCRIPT), str(folder)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline() if process.stdout else ""
    http_port, https_port = (int(part) for part in line.split())
    yield Upstream(http_port, https_port, folder / "ca.pem", process)
    process.terminate()
    process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


@pytest.fixture
def kiteguard_home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def kiteguard(kiteguard_home: Path, upstream: Upstream) -> Iterator[Kiteguard]:
    """A running service whose made-up sites are served by the local upstream."""
    running = start_routed_kiteguard(kiteguard_home, upstream)
    yield running
    running.stop()
