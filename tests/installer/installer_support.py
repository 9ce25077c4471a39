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


def check_in_as_extension(home: Path, ui_port: int) -> None:
    """Pair a browser and send one heartbeat through the real extension API, as the extension does.

    The installer's force-install points browsers at an extension package this test machine does not
    serve, so the test speaks the extension's side of the public API itself.
    """
    import json
    import subprocess
    import sys
    import tomllib
    import urllib.request

    def cli(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "kiteguard", "--home", str(home), *args],
                              capture_output=True, text=True, timeout=60, check=True).stdout

    profile = tomllib.loads(cli("policy", "export"))["default_profile"]
    code = json.loads(cli("browsers", "code", profile, "--json"))["code"]
    api = f"http://127.0.0.1:{ui_port}/api/ext"

    def post(path: str, payload: dict[str, str], token: str | None = None) -> dict[str, object]:
        headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
        request = urllib.request.Request(f"{api}{path}", data=json.dumps(payload).encode(), headers=headers)
        with urllib.request.urlopen(request, timeout=20) as reply:
            return json.loads(reply.read() or b"{}")

    paired = post("/pair", {"code": code, "browser_name": "installer test"})
    post("/heartbeat", {}, token=str(paired["token"]))
