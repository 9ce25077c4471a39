"""Setup as data: each step lists the files it writes and the commands it runs.

``describe()`` shows exactly what ``apply()`` will do, ``check()`` says whether the machine is
already in the step's state (so a second ``setup`` changes nothing), and ``undo()`` is the
manifest replaying, newest first, what ``apply()`` recorded. The same ``Step`` values feed the
terminal wizard, ``--dry-run`` and the tests.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiteguard.installer.actions import Command, FileWrite, PathMode, SystemRoot
from kiteguard.installer.manifest import Manifest, PathState, path_state
from kiteguard.proxy.atomicfile import write_atomic

log = logging.getLogger(__name__)

Probe = Callable[[SystemRoot], bool]


@dataclass(frozen=True)
class Step:
    """One thing setup does. ``probe`` checks state that files alone cannot show (an NSS entry)."""

    id: str
    title_key: str
    files: tuple[FileWrite, ...] = ()
    modes: tuple[PathMode, ...] = ()
    commands: tuple[Command, ...] = ()
    probe: Probe | None = None
    note_key: str = ""

    def describe(self, target: SystemRoot) -> list[str]:
        """One line per file and command, with paths as they will be on ``target``."""
        lines = [item.describe().replace(item.path, str(target.locate(item)), 1)
                 for item in (*self.modes, *self.files)]
        for command in self.commands:
            skipped = command.live_only and not target.is_live
            lines.append(command.describe() + ("  [skipped under --root]" if skipped else ""))
        return lines

    def check(self, target: SystemRoot) -> bool:
        """True when the machine already looks as this step would leave it."""
        for item in self.files:
            path = target.path(item.path)
            if not path.is_file() or path.read_bytes() != item.content:
                return False
            if stat.S_IMODE(path.stat().st_mode) != item.mode:
                return False
        for mode in self.modes:
            path = target.locate(mode)
            if not path.exists() or stat.S_IMODE(path.stat().st_mode) != mode.mode:
                return False
            ids = target.ids_of(mode.owner)
            if ids and (path.stat().st_uid, path.stat().st_gid) != ids:
                return False
        if self.probe:
            return self.probe(target)
        # Commands leave no trace we can read back without a probe: run them again.
        return not any(not c.live_only or target.is_live for c in self.commands)

    def apply(self, target: SystemRoot, manifest: Manifest) -> None:
        """Make the change, recording every original in the manifest before touching it."""
        for mode in self.modes:
            self._set_mode(mode, target, manifest)
        for item in self.files:
            self._write(item, target, manifest)
        for command in self.commands:
            if command.live_only and not target.is_live:
                continue
            self._run(command, target, manifest)

    def undo(self, target: SystemRoot, manifest: Manifest) -> list[str]:
        """Reverse only this step's entries (uninstall reverses all of them at once)."""
        own = [entry for entry in manifest.entries if entry["step"] == self.id]
        mine = Manifest(manifest.directory)
        mine.data = {**manifest.data, "entries": own}
        problems = mine.undo_all(target.run)
        manifest.data["entries"] = [e for e in manifest.entries if e["step"] != self.id]
        manifest.save()
        return problems

    def _ensure_parent(self, path: Path, manifest: Manifest, owner: tuple[int, int] | None) -> None:
        missing = [parent for parent in reversed(path.parents) if not parent.exists()]
        for folder in missing:
            manifest.remember_new_dir(self.id, folder)
            folder.mkdir()
            if owner:
                os.chown(folder, *owner)

    def _set_mode(self, mode: PathMode, target: SystemRoot, manifest: Manifest) -> None:
        path = target.locate(mode)
        ids = target.ids_of(mode.owner)
        if not path.exists():
            self._ensure_parent(path / "x", manifest, None)
        else:
            manifest.remember_path(self.id, path)
        if ids and mode.recursive:
            info = path.stat()
            manifest.remember_owner(self.id, path, info.st_uid, info.st_gid)
            _chown_tree(path, *ids)
        os.chmod(path, mode.mode)
        if ids:
            os.chown(path, *ids)

    def _write(self, item: FileWrite, target: SystemRoot, manifest: Manifest) -> None:
        path = target.path(item.path)
        ids = target.ids_of(item.owner)
        self._ensure_parent(path, manifest, ids)
        manifest.remember_path(self.id, path)
        write_atomic(path, item.content, item.mode)
        if ids:
            os.chown(path, *ids)

    def _run(self, command: Command, target: SystemRoot, manifest: Manifest) -> None:
        owner = target.ids_of(command.user)
        for touched in command.touches:
            path = target.path(touched)
            self._ensure_parent(path, manifest, owner)
            manifest.remember_path(self.id, path)
        for folder in command.watch:
            self._ensure_parent(target.path(folder) / "entry", manifest, owner)
        before = {folder: _states(target.path(folder)) for folder in command.watch}
        manifest.remember_command(self.id, command.full_argv(), command.full_undo(), command.undo_may_fail)
        try:
            target.run(command.full_argv())
        finally:
            # Entries the program added, replaced or removed (a file turned into a link, say) are
            # recorded with what they were, so uninstall puts each one back.
            for folder, states in before.items():
                after = _states(target.path(folder))
                for name in sorted(states.keys() | after.keys()):
                    if states.get(name) != after.get(name):
                        manifest.remember_state(self.id, target.path(folder) / name, states.get(name))


@dataclass(frozen=True)
class Outcome:
    step: str
    status: str  # "done", "already", "skipped", "failed"
    detail: str = ""


def apply_steps(
    steps: Iterable[Step],
    target: SystemRoot,
    manifest: Manifest,
    now: datetime,
    confirm: Callable[[Step], bool] = lambda step: True,
) -> list[Outcome]:
    """Run each step that is not already in place and that ``confirm`` accepts; stop at a failure."""
    manifest.start(target.prefix, now)
    manifest.save()
    outcomes: list[Outcome] = []
    for step in steps:
        if step.check(target):
            outcomes.append(Outcome(step.id, "already"))
            continue
        if not confirm(step):
            outcomes.append(Outcome(step.id, "skipped"))
            continue
        try:
            step.apply(target, manifest)
        except Exception as exc:  # noqa: BLE001 - reported to the parent; the manifest keeps what was done
            log.warning("step %s failed: %s", step.id, exc)
            outcomes.append(Outcome(step.id, "failed", str(exc)))
            break
        outcomes.append(Outcome(step.id, "done"))
    return outcomes


def uninstall(target: SystemRoot, manifest: Manifest) -> list[str]:
    """Reverse everything recorded; the manifest is deleted only when nothing went wrong."""
    problems = manifest.undo_all(lambda argv: target.run(argv))
    if not problems:
        manifest.forget()
    return problems


def describe_steps(steps: Iterable[Step], target: SystemRoot) -> list[tuple[Step, list[str]]]:
    return [(step, step.describe(target)) for step in steps]


def _chown_tree(top: Path, uid: int, gid: int) -> None:
    for folder, names, files in os.walk(top):
        for name in (*names, *files):
            os.chown(Path(folder) / name, uid, gid, follow_symlinks=False)
    os.chown(top, uid, gid)


def _states(folder: Path) -> dict[str, PathState]:
    """Every entry of a folder (not recursive) as ``path_state`` sees it."""
    return {name: path_state(folder / name) for name in os.listdir(folder)} if folder.is_dir() else {}
