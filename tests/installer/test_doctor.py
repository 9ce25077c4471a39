# ruff: noqa: F811 - pytest fixtures are imported by name from installer_support
"""`kiteguard doctor` against a real running Kiteguard, after a real setup under a temporary root."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from installer_support import system_root  # noqa: F401 - fixtures used by name

from kiteguard.installer import doctor
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.manifest import Manifest


def run_cli(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kiteguard", "--home", str(home), *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60)


def setup_for(kg, system_root: Path, *extra: str) -> None:  # noqa: ANN001
    done = run_cli(kg.home, "setup", "--non-interactive", "--root", str(system_root), "--language", "en",
                   "--user", "root", "--password-stdin", "--proxy-port", str(kg.proxy_port),
                   "--ui-port", str(kg.ui_port), *extra, stdin="a long parent password\n")
    assert done.returncode == 0, done.stderr


def findings(kg) -> dict[str, dict[str, str]]:  # noqa: ANN001
    done = run_cli(kg.home, "doctor", "--json", "--language", "en")
    return {item["check"]: item for item in json.loads(done.stdout)["findings"]} | {"_exit": done.returncode}


def test_doctor_is_green_after_setup_and_says_absent_after_uninstall(kiteguard, system_root: Path) -> None:  # noqa: ANN001
    setup_for(kiteguard, system_root)
    done = run_cli(kiteguard.home, "doctor")
    assert done.returncode == 0, done.stdout
    assert "Everything is working." in done.stdout
    assert "[PROBLEM]" not in done.stdout
    done = run_cli(kiteguard.home, "doctor", "--language", "vi")
    assert "Mọi thứ đều hoạt động tốt." in done.stdout

    assert run_cli(kiteguard.home, "uninstall").returncode == 0
    done = run_cli(kiteguard.home, "doctor", "--language", "en")
    assert done.returncode == 3
    assert "Kiteguard is not installed on this computer" in done.stdout


def test_doctor_names_what_is_broken_and_how_to_fix_it(kiteguard, system_root: Path) -> None:  # noqa: ANN001
    setup_for(kiteguard, system_root)
    # a child (or a cleaner tool) edits the Chromium policy and the environment file
    (system_root / "etc/chromium/policies/managed/kiteguard.json").write_text("{}")
    (system_root / "etc/environment").write_text("")
    report = findings(kiteguard)
    assert report["_exit"] == 1
    assert report["policy-chromium"]["status"] == "problem"
    message = "chromium's rules are missing or were changed: it may not use the filter."
    assert report["policy-chromium"]["message"] == message
    assert "sudo kiteguard setup" in report["policy-chromium"]["fix"]
    assert report["routing-environment"]["status"] == "problem"
    assert report["policy-chrome"]["status"] == "ok"
    # setup puts it right again, touching only what is missing
    setup_for(kiteguard, system_root)
    assert findings(kiteguard)["_exit"] == 0


def test_doctor_sees_a_stopped_service(system_root: Path, tmp_path: Path) -> None:
    class Stopped:  # setup records these ports; nothing listens on them
        home = tmp_path / "home"
        proxy_port, ui_port = free_port(), free_port()

    setup_for(Stopped, system_root, "--skip", "autostart")
    report = findings(Stopped)
    assert report["service-proxy"]["status"] == report["service-ui"]["status"] == "problem"
    assert "systemctl start kiteguard" in report["service-proxy"]["fix"]
    assert report["_exit"] == 1


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_doctor_sees_the_clock_set_back(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    manifest = Manifest(home / "installer")
    manifest.start(tmp_path, datetime.now(timezone.utc) - timedelta(hours=1))
    manifest.save()
    future = time.time() + 3 * 3600
    os.utime(manifest.file, (future, future))
    now = datetime.now(timezone.utc)
    report = {f.check: f for f in doctor.examine(manifest, SystemRoot(tmp_path), home, now)}
    assert report["clock"].status == doctor.PROBLEM and report["clock"].fix_key == "fix.clock"
    report = {f.check: f for f in doctor.examine(manifest, SystemRoot(tmp_path), home, now + timedelta(hours=4))}
    assert report["clock"].status == doctor.OK


def test_doctor_trusts_kiteguards_own_clock_over_the_computers(tmp_path: Path) -> None:
    from kiteguard.proxy.clockguard import Mark, boot_id, elapsed_seconds, save_mark
    from kiteguard.proxy.store import Store

    home = tmp_path / "home"
    home.mkdir()
    manifest = Manifest(home / "installer")
    manifest.start(tmp_path, datetime.now(timezone.utc) - timedelta(days=1))
    manifest.save()
    store = Store(home / "kiteguard.sqlite3")
    real_now = datetime.now(timezone.utc)
    save_mark(store, Mark(real_now, boot_id(), elapsed_seconds()))
    store.close()
    target = SystemRoot(tmp_path)
    # the child turns the computer's clock back two hours, then forward two hours
    back = {f.check: f for f in doctor.examine(manifest, target, home, real_now - timedelta(hours=2))}["clock"]
    ahead = {f.check: f for f in doctor.examine(manifest, target, home, real_now + timedelta(hours=2))}["clock"]
    same = {f.check: f for f in doctor.examine(manifest, target, home, datetime.now(timezone.utc))}["clock"]
    assert (back.status, back.key) == (doctor.PROBLEM, "doctor.clock_back")
    assert (ahead.status, ahead.key) == (doctor.PROBLEM, "doctor.clock_forward")
    assert same.status == doctor.OK
