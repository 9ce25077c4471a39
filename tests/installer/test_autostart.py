# ruff: noqa: F811 - pytest fixtures are imported by name from installer_support
"""Autostart: the systemd unit and service account for real under a root; Windows/macOS as files and commands."""

from __future__ import annotations

import plistlib
from datetime import datetime, timezone
from pathlib import Path

import pytest
from installer_support import system_root  # noqa: F401 - fixtures used by name

from kiteguard.installer import autostart
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.autostart import ServicePlan
from kiteguard.installer.manifest import Manifest
from kiteguard.installer.wizard import apply_steps, uninstall

PLAN = ServicePlan("kiteguard", "/var/lib/kiteguard", ("/usr/bin/python3", "-m", "kiteguard"), 8377, 8378)


def test_systemd_unit_restarts_and_runs_as_its_own_user() -> None:
    unit = autostart.systemd_unit(PLAN)
    for line in (
        "User=kiteguard",
        "Group=kiteguard",
        "ExecStart=/usr/bin/python3 -m kiteguard --home /var/lib/kiteguard run --proxy-port 8377 --ui-port 8378",
        "Restart=on-failure",
        "UMask=0077",
        "WantedBy=multi-user.target",
    ):
        assert line in unit.splitlines()


def test_service_account_private_home_and_boot_start_under_a_root(system_root: Path, tmp_path: Path) -> None:
    home = tmp_path / "service-home"
    home.mkdir()
    (home / "kiteguard.sqlite3").write_text("data")
    plan = ServicePlan("kiteguard", str(home), ("/usr/bin/python3", "-m", "kiteguard"), 8377, 8378)
    target = SystemRoot(system_root)
    steps = autostart.linux_steps(plan, target)
    manifest = Manifest(tmp_path / "m")
    passwd_before = (system_root / "etc" / "passwd").read_bytes()
    assert [o.status for o in apply_steps(steps, target, manifest, datetime.now(timezone.utc))] == ["done"] * 3
    uid, gid = target.ids_of("kiteguard")
    assert (home.stat().st_mode & 0o777, home.stat().st_uid) == (0o700, uid)
    assert (home / "kiteguard.sqlite3").stat().st_uid == uid
    assert (system_root / "etc/systemd/system/multi-user.target.wants/kiteguard.service").is_symlink()
    assert "/usr/sbin/nologin" in (system_root / "etc" / "passwd").read_text()
    assert all(step.check(target) for step in steps)

    assert uninstall(target, manifest) == []
    assert (system_root / "etc" / "passwd").read_bytes() == passwd_before
    assert (home / "kiteguard.sqlite3").stat().st_uid == 0
    assert not (system_root / "etc" / "systemd").exists()


def test_an_existing_account_is_reused_and_never_deleted(system_root: Path) -> None:
    plan = ServicePlan("root", "/root", ("kiteguard",), 1, 2)
    assert autostart.linux_steps(plan, SystemRoot(system_root))[0].commands == ()


# Which accounts can undo the filter (Linux /etc/group).
@pytest.mark.parametrize(
    ("user", "groups", "admin"),
    [
        ("an", "sudo:x:27:an,bo\n", True),
        ("an", "wheel:x:10:an\n", True),
        ("an", "sudo:x:27:bo\nan:x:1001:\n", False),
        ("an", "users:x:100:an\n", False),
        ("an", "sudo:x:27:anna\n", False),
    ],
)
def test_is_admin_account(user: str, groups: str, admin: bool) -> None:
    assert autostart.is_admin_account(user, groups) is admin


# Windows and macOS: exact files and commands (not run on those systems by our CI).
def test_windows_runs_as_system_at_boot() -> None:
    plan = ServicePlan("SYSTEM", r"C:\ProgramData\Kiteguard", (r"C:\Program Files\Python311\python.exe", "-m",
                                                                  "kiteguard"), 8377, 8378)
    commands = autostart.windows_step(plan, r"C:\ProgramData\Kiteguard").commands
    assert commands[0].argv == ("icacls", r"C:\ProgramData\Kiteguard", "/inheritance:r", "/grant:r",
                                "SYSTEM:(OI)(CI)F", "/grant:r", "Administrators:(OI)(CI)F")
    assert commands[1].argv == (
        "schtasks", "/Create", "/TN", "Kiteguard", "/SC", "ONSTART", "/RU", "SYSTEM", "/RL", "HIGHEST", "/TR",
        r'"C:\Program Files\Python311\python.exe" -m kiteguard --home C:\ProgramData\Kiteguard run '
        "--proxy-port 8377 --ui-port 8378",
        "/F",
    )
    assert commands[1].undo == ("schtasks", "/Delete", "/TN", "Kiteguard", "/F")
    assert autostart.windows_admin_check("an") == ("net", "localgroup", "Administrators")


def test_macos_launch_daemon() -> None:
    plist = plistlib.loads(autostart.launch_daemon(PLAN).encode())
    assert plist == {
        "Label": "org.kiteguard.daemon",
        "ProgramArguments": ["/usr/bin/python3", "-m", "kiteguard", "--home", "/var/lib/kiteguard", "run",
                             "--proxy-port", "8377", "--ui-port", "8378"],
        "UserName": "kiteguard",
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "Umask": 63,
    }
    step = autostart.macos_step(PLAN)
    assert step.files[0].path == "/Library/LaunchDaemons/org.kiteguard.daemon.plist"
    assert step.commands[0].argv == ("launchctl", "bootstrap", "system", step.files[0].path)
    assert autostart.macos_admin_check("an") == ("dseditgroup", "-o", "checkmember", "-m", "an", "admin")
