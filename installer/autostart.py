"""Start Kiteguard at boot as a service that a child's account cannot stop.

Linux: a systemd system unit running as its own system user, restarted on failure, with the
home folder readable only by that user. Windows (a SYSTEM scheduled task) and macOS (a
LaunchDaemon) are exact files and commands, unit-tested only. Whatever the OS, filtering is
only as strong as the child's account: an administrator can undo anything, so we advise one
standard (non-admin) account per child and check it where the OS lets us.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from kiteguard.installer.actions import Command, FileWrite, PathMode, SystemRoot, windows_command
from kiteguard.installer.wizard import Step

UNIT_NAME = "kiteguard.service"
UNIT_PATH = f"/etc/systemd/system/{UNIT_NAME}"
WANTS_DIR = "/etc/systemd/system/multi-user.target.wants"
# useradd and friends rewrite these backups; the live files are edited back by userdel/groupdel
# rather than restored, so a password changed meanwhile is not lost.
BACKUPS = ("/etc/passwd-", "/etc/group-", "/etc/shadow-", "/etc/gshadow-")
ADMIN_GROUPS = ("sudo", "wheel", "admin")
WINDOWS_TASK = "Kiteguard"
MACOS_LABEL = "org.kiteguard.daemon"
MACOS_PLIST = f"/Library/LaunchDaemons/{MACOS_LABEL}.plist"


@dataclass(frozen=True)
class ServicePlan:
    user: str
    home: str
    program: tuple[str, ...]  # how to start Kiteguard, e.g. ("/usr/bin/python3", "-m", "kiteguard")
    proxy_port: int
    ui_port: int

    def command_line(self) -> tuple[str, ...]:
        return (*self.program, "--home", self.home, "run",
                "--proxy-port", str(self.proxy_port), "--ui-port", str(self.ui_port))


def systemd_unit(plan: ServicePlan) -> str:
    return (
        "[Unit]\n"
        "Description=Kiteguard parental protection filter\n"
        "After=network.target\n"
        "\n"
        "[Service]\n"
        "Type=simple\n"
        f"User={plan.user}\n"
        f"Group={plan.user}\n"
        f"ExecStart={shlex.join(plan.command_line())}\n"
        "Restart=on-failure\n"
        "RestartSec=2\n"
        "UMask=0077\n"
        "NoNewPrivileges=yes\n"
        "PrivateTmp=yes\n"
        "ProtectSystem=full\n"
        "\n"
        "[Install]\n"
        "WantedBy=multi-user.target\n"
    )


def linux_steps(plan: ServicePlan, target: SystemRoot) -> tuple[Step, ...]:
    """Service user, private home, unit file, enabled at boot and (on a booted systemd) started."""
    prefix = () if target.is_live else ("--prefix", str(target.prefix))
    systemctl = ("systemctl",) if target.is_live else ("systemctl", f"--root={target.prefix}")
    user_commands: tuple[Command, ...] = ()
    if not _has_user(target, plan.user):
        user_commands = (
            Command(("groupadd", *prefix, "--system", plan.user), undo=("groupdel", *prefix, plan.user),
                    undo_may_fail=True, touches=BACKUPS),
            Command(
                ("useradd", *prefix, "--system", "--gid", plan.user, "--no-create-home",
                 "--home-dir", plan.home, "--shell", "/usr/sbin/nologin", plan.user),
                undo=("userdel", *prefix, plan.user),
                touches=BACKUPS,
            ),
        )
    steps = (
        Step(id="autostart-user", title_key="step.autostart_user", commands=user_commands,
             probe=lambda root: _has_user(root, plan.user)),
        Step(
            id="autostart-home",
            title_key="step.autostart_home",
            modes=(PathMode(plan.home, 0o700, plan.user, recursive=True, in_root=False),),
        ),
        Step(
            id="autostart-service",
            title_key="step.autostart_service",
            files=(FileWrite(UNIT_PATH, systemd_unit(plan).encode()),),
            commands=(
                Command((*systemctl, "enable", UNIT_NAME), undo=(*systemctl, "disable", UNIT_NAME),
                        watch=(WANTS_DIR,)),
                Command(("systemctl", "restart", UNIT_NAME), undo=("systemctl", "stop", UNIT_NAME),
                        live_only=True),
            ),
            probe=lambda root: root.path(f"{WANTS_DIR}/{UNIT_NAME}").is_symlink(),
        ),
    )
    return steps if Path("/run/systemd/system").is_dir() or not target.is_live else _without_start(steps)


def _without_start(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """No booted systemd (a container): enable for the next boot, but start nothing now."""
    last = steps[-1]
    kept = tuple(command for command in last.commands if not command.live_only)
    return (*steps[:-1], Step(last.id, last.title_key, last.files, last.modes, kept, last.probe,
                              note_key="note.no_systemd"))


def is_admin_account(user: str, group_text: str) -> bool:
    """True when ``user`` is in a group that may use sudo (from an /etc/group text)."""
    for line in group_text.splitlines():
        fields = line.split(":")
        if len(fields) == 4 and fields[0] in ADMIN_GROUPS and user in fields[3].split(","):
            return True
    return False


def windows_step(plan: ServicePlan, home_windows: str) -> Step:
    """A task that starts at boot as SYSTEM, in a folder only SYSTEM and Administrators can read."""
    program = subprocess_line(plan.command_line())
    return Step(
        id="autostart-windows",
        title_key="step.autostart_service",
        commands=(
            windows_command(("icacls", home_windows, "/inheritance:r", "/grant:r", "SYSTEM:(OI)(CI)F",
                     "/grant:r", "Administrators:(OI)(CI)F")),
            windows_command(("schtasks", "/Create", "/TN", WINDOWS_TASK, "/SC", "ONSTART", "/RU", "SYSTEM",
                     "/RL", "HIGHEST", "/TR", program, "/F"),
                    undo=("schtasks", "/Delete", "/TN", WINDOWS_TASK, "/F")),
            windows_command(("schtasks", "/Run", "/TN", WINDOWS_TASK), undo=("schtasks", "/End", "/TN", WINDOWS_TASK)),
        ),
    )


def windows_admin_check(user: str) -> tuple[str, ...]:
    """Lists the Administrators group; the child's account must not be in it."""
    del user  # the whole group is listed; the wizard looks for the name in the output
    return ("net", "localgroup", "Administrators")


def launch_daemon(plan: ServicePlan) -> str:
    arguments = "".join(f"    <string>{escape(part)}</string>\n" for part in plan.command_line())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
        '<plist version="1.0">\n<dict>\n'
        f"  <key>Label</key>\n  <string>{MACOS_LABEL}</string>\n"
        f"  <key>ProgramArguments</key>\n  <array>\n{arguments}  </array>\n"
        f"  <key>UserName</key>\n  <string>{escape(plan.user)}</string>\n"
        "  <key>RunAtLoad</key>\n  <true/>\n"
        "  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n"
        "  <key>Umask</key>\n  <integer>63</integer>\n"
        "</dict>\n</plist>\n"
    )


def macos_step(plan: ServicePlan) -> Step:
    return Step(
        id="autostart-macos",
        title_key="step.autostart_service",
        files=(FileWrite(MACOS_PLIST, launch_daemon(plan).encode()),),
        commands=(
            Command(("launchctl", "bootstrap", "system", MACOS_PLIST),
                    undo=("launchctl", "bootout", f"system/{MACOS_LABEL}")),
        ),
    )


def macos_admin_check(user: str) -> tuple[str, ...]:
    """Exits 0 when ``user`` is an administrator."""
    return ("dseditgroup", "-o", "checkmember", "-m", user, "admin")


def subprocess_line(argv: tuple[str, ...]) -> str:
    """A Windows command line, quoting parts with spaces the way CreateProcess splits them."""
    return " ".join(f'"{part}"' if " " in part or not part else part for part in argv)


def _has_user(target: SystemRoot, name: str) -> bool:
    try:
        return target.ids_of(name) is not None
    except KeyError:
        return False
