"""The three kinds of change a setup step makes, and the system they are made on.

A step never touches the disk or runs a program itself: it lists ``FileWrite``, ``PathMode`` and
``Command`` values, and ``wizard`` carries them out through a ``SystemRoot``. That keeps
``--dry-run`` honest (it prints the same values that a real run performs) and lets ``--root``
move every system path under a temporary folder for tests.
"""

from __future__ import annotations

import os
import pwd
import shlex
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileWrite:
    """A whole file with exact bytes. ``owner`` is a user name, or None for the caller's user."""

    path: str
    content: bytes
    mode: int = 0o644
    owner: str | None = None

    def describe(self) -> str:
        return f"write {self.path} (mode {self.mode:04o}{', owner ' + self.owner if self.owner else ''})"


@dataclass(frozen=True)
class PathMode:
    """Permissions and owner of a path that may already exist (a directory is created if missing).

    ``recursive`` also hands everything inside to ``owner``; uninstall hands it all back.
    ``in_root`` is False for Kiteguard's own home, which lives where it is even under ``--root``.
    """

    path: str
    mode: int
    owner: str | None = None
    recursive: bool = False
    in_root: bool = True

    def describe(self) -> str:
        owner = f", owner {self.owner}{' (recursively)' if self.recursive else ''}" if self.owner else ""
        return f"set {self.path} to mode {self.mode:04o}{owner}"


@dataclass(frozen=True)
class Command:
    """A program run during setup, and how uninstall reverses it.

    ``touches`` names the files the program changes: their bytes are kept before it runs and put
    back on uninstall after ``undo`` ran, so the result is exact even if ``undo`` is not.
    ``watch`` names folders where the program creates entries (symlinks, hashes) we cannot
    name in advance; entries that appear during the run are removed on uninstall.
    ``undo_may_fail`` accepts an undo that fails because the thing is already gone.
    ``live_only`` marks commands that only make sense on the real system (starting a service),
    skipped when the target is a temporary root.
    """

    argv: tuple[str, ...]
    undo: tuple[str, ...] = ()
    touches: tuple[str, ...] = ()
    watch: tuple[str, ...] = ()
    user: str | None = None
    live_only: bool = False
    undo_may_fail: bool = False
    windows: bool = False  # shown quoted for cmd.exe rather than a POSIX shell

    def describe(self) -> str:
        argv = self.full_argv()
        text = "run " + (subprocess.list2cmdline(argv) if self.windows else shlex.join(argv))
        return text + ("  (only on the real system)" if self.live_only else "")

    def full_argv(self) -> tuple[str, ...]:
        """The argv as run: as another user through ``runuser`` when ``user`` is not us."""
        if self.user and self.user != current_user():
            return ("runuser", "-u", self.user, "--", *self.argv)
        return self.argv

    def full_undo(self) -> tuple[str, ...]:
        if not self.undo:
            return ()
        return Command(self.undo, user=self.user).full_argv()


def windows_command(argv: tuple[str, ...], undo: tuple[str, ...] = ()) -> Command:
    """A command for cmd.exe; only ever shown or unit-tested from here."""
    return Command(argv, undo=undo, windows=True)


class CommandFailed(RuntimeError):
    """A program exited non-zero; the message holds its last lines of output."""


def current_user() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


@dataclass(frozen=True)
class SystemRoot:
    """The machine being set up: ``/`` for real, or a temporary folder in tests."""

    prefix: Path = Path("/")

    @property
    def is_live(self) -> bool:
        return self.prefix.resolve() == Path("/")

    def locate(self, item: FileWrite | PathMode) -> Path:
        return self.path(item.path) if getattr(item, "in_root", True) else Path(item.path)

    def path(self, system_path: str) -> Path:
        """Where a system path lives under this root ("/etc/x" -> "<root>/etc/x")."""
        return self.prefix / system_path.lstrip("/")

    def ids_of(self, owner: str | None) -> tuple[int, int] | None:
        """(uid, gid) of a user name from this root's passwd file, or None when no owner is asked for."""
        if owner is None:
            return None
        passwd = self.path("/etc/passwd")
        if not self.is_live and passwd.exists():
            for line in passwd.read_text(encoding="utf-8").splitlines():
                fields = line.split(":")
                if len(fields) >= 4 and fields[0] == owner:
                    return int(fields[2]), int(fields[3])
        entry = pwd.getpwnam(owner)
        return entry.pw_uid, entry.pw_gid

    def run(self, argv: tuple[str, ...], env: dict[str, str] | None = None) -> str:
        try:
            done = subprocess.run(
                list(argv), capture_output=True, text=True, timeout=120, env=env, check=False
            )
        except FileNotFoundError as exc:
            raise CommandFailed(f"{argv[0]}: program not found") from exc
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise CommandFailed(f"{shlex.join(argv)} exited {done.returncode}: {' / '.join(tail)}")
        return done.stdout
