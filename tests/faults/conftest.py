"""Fixtures for the fault tests: a hostile local site, and one Kiteguard process routed to it.

The proxy is shared by every test that does not need its own, on purpose: each test also shows
that the faults before it left the family online.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultprobe import HOSTILE_POLICY, put_policy

from kgtest import Kiteguard, Upstream, start_routed_kiteguard

FAULT_SERVER = Path(__file__).with_name("fault_server.py")


@pytest.fixture(scope="session")
def fault_site(upstream: Upstream) -> Iterator[Upstream]:
    """The hostile site on plain HTTP; HTTPS still goes to the friendly upstream."""
    process = subprocess.Popen([sys.executable, str(FAULT_SERVER)], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    port = int(process.stdout.readline())
    yield Upstream(port, upstream.https_port, upstream.ca_pem, process)
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.fixture(scope="session")
def hostile_proxy(fault_site: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiteguard]:
    """Kiteguard with HOSTILE_POLICY in force, routed to the hostile site."""
    home = tmp_path_factory.mktemp("faults") / "home"
    put_policy(home, HOSTILE_POLICY)
    running = start_routed_kiteguard(home, fault_site)
    yield running
    running.stop()
