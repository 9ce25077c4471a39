"""The record of every change setup made, so uninstall can put the machine back exactly.

Write-ahead: the original state of a path is saved (bytes in ``originals/<sha256>``, plus mode,
owner and whether it existed) and the manifest is flushed to disk *before* the path changes,
so a crash half way through setup still leaves a manifest that undoes what was done.
Entries are undone in reverse order, which reverses commands before restoring the files they
touched and removes files before the folders we created for them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from kiteguard.proxy.atomicfile import write_atomic

log = logging.getLogger(__name__)

# (kind, bytes or link target, mode, uid, gid), or None when the path does not exist.
PathState = tuple[str, bytes, int, int, int] | None
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


def path_state(path: Path) -> PathState:
    """What a path is right now, enough to put it back exactly."""
    if path.is_symlink():
        return ("symlink", os.readlink(path).encode("utf-8", "surrogateescape"), 0, 0, 0)
    if not path.exists():
        return None
    info = path.stat()
    kind = "dir" if path.is_dir() else "file"
    data = path.read_bytes() if kind == "file" else b""
    return (kind, data, stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid)


class Manifest:
    """``<home>/installer/manifest.json`` and its saved originals."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.file = directory / MANIFEST_NAME
        self.originals = directory / "originals"
        self.data: dict[str, Any] = {"version": FORMAT_VERSION, "root": "", "installed_at": "", "entries": []}
        if self.file.exists():
            self.data = json.loads(self.file.read_text(encoding="utf-8"))

    @property
    def exists(self) -> bool:
        return self.file.exists()

    @property
    def entries(self) -> list[dict[str, Any]]:
        return self.data["entries"]

    def start(self, root: Path, now: datetime) -> None:
        if not self.data["installed_at"]:
            self.data["installed_at"] = now.isoformat()
        self.data["root"] = str(root)

    def applied_steps(self) -> list[str]:
        return list(dict.fromkeys(entry["step"] for entry in self.entries))

    def knows(self, path: Path) -> bool:
        return any(e["kind"] == "path" and e["path"] == str(path) for e in self.entries)

    def remember_path(self, step: str, path: Path) -> None:
        """Save what ``path`` is now (content, mode, owner or absence) unless already saved."""
        self.remember_state(step, path, path_state(path))

    def remember_state(self, step: str, path: Path, state: PathState) -> None:
        """Save a state read earlier (a folder entry seen before a command changed it)."""
        if self.knows(path):
            return
        entry: dict[str, Any] = {"kind": "path", "step": step, "path": str(path), "existed": state is not None}
        if state is not None:
            kind, data, mode, uid, gid = state
            if kind == "symlink":
                entry.update(type="symlink", link=data.decode("utf-8", "surrogateescape"))
            else:
                entry.update(type=kind, mode=mode, uid=uid, gid=gid)
                if kind == "file":
                    entry["blob"] = self._keep(data)
        self.entries.append(entry)
        self.save()

    def remember_created(self, step: str, path: Path) -> None:
        """A path that appeared during one of our commands: uninstall removes it."""
        if not self.knows(path):
            self.entries.append({"kind": "path", "step": step, "path": str(path), "existed": False})
            self.save()

    def remember_new_dir(self, step: str, path: Path) -> None:
        self.entries.append({"kind": "dir", "step": step, "path": str(path)})
        self.save()

    def remember_owner(self, step: str, path: Path, uid: int, gid: int) -> None:
        """Who owned a whole tree before we handed it to the service user."""
        self.entries.append({"kind": "owner", "step": step, "path": str(path), "uid": uid, "gid": gid})
        self.save()

    def remember_command(self, step: str, argv: tuple[str, ...], undo: tuple[str, ...], may_fail: bool) -> None:
        entry = {"kind": "command", "step": step, "argv": list(argv), "undo": list(undo), "may_fail": may_fail}
        if entry not in self.entries:
            self.entries.append(entry)
            self.save()

    def save(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        os.chmod(self.directory, 0o700)
        text = json.dumps(self.data, indent=2, sort_keys=True) + "\n"
        write_atomic(self.file, text.encode("utf-8"), 0o600)

    def undo_all(self, run: Callable[[tuple[str, ...]], object]) -> list[str]:
        """Reverse every entry, newest first; returns the problems met (each undo goes on regardless)."""
        problems: list[str] = []
        for entry in self._reversed():
            try:
                self._undo(entry, run)
            except Exception as exc:  # noqa: BLE001 - one stuck entry must not stop the rest
                problems.append(f"{entry.get('path') or ' '.join(entry.get('undo', []))}: {exc}")
        return problems

    def forget(self) -> None:
        """Delete the manifest and its originals after a complete uninstall."""
        shutil.rmtree(self.originals, ignore_errors=True)
        self.file.unlink(missing_ok=True)
        try:
            self.directory.rmdir()
        except OSError:
            pass
        self.data = {"version": FORMAT_VERSION, "root": "", "installed_at": "", "entries": []}

    def _reversed(self) -> Iterator[dict[str, Any]]:
        return reversed(list(self.entries))

    def _undo(self, entry: dict[str, Any], run: Callable[[tuple[str, ...]], object]) -> None:
        kind = entry["kind"]
        if kind == "command":
            try:
                if entry["undo"]:
                    run(tuple(entry["undo"]))
            except Exception as exc:  # noqa: BLE001 - "already gone" is fine where the entry says so
                if not entry.get("may_fail"):
                    raise
                log.info("undo of %s was not needed: %s", entry["argv"][0], exc)
            return
        path = Path(entry["path"])
        if kind == "dir":
            if path.is_dir() and not path.is_symlink():
                try:
                    path.rmdir()
                except OSError:
                    log.warning("left %s in place: something else put files in it", path)
            return
        if kind == "owner":
            for folder, names, files in os.walk(path):
                for name in (*names, *files):
                    os.chown(Path(folder) / name, entry["uid"], entry["gid"], follow_symlinks=False)
            os.chown(path, entry["uid"], entry["gid"])
            return
        self._restore(entry, path)

    def _restore(self, entry: dict[str, Any], path: Path) -> None:
        if not entry["existed"]:
            if path.is_symlink() or path.is_file():
                path.unlink()
            elif path.is_dir():
                shutil.rmtree(path)
            return
        if entry["type"] == "symlink":
            if path.is_symlink() or path.is_file():
                path.unlink()
            path.symlink_to(entry["link"])
            return
        if entry["type"] == "file":
            write_atomic(path, (self.originals / entry["blob"]).read_bytes(), entry["mode"])
        else:
            path.mkdir(parents=True, exist_ok=True)
            os.chmod(path, entry["mode"])
        os.chown(path, entry["uid"], entry["gid"])

    def _keep(self, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        self.originals.mkdir(parents=True, exist_ok=True)
        target = self.originals / digest
        if not target.exists():
            write_atomic(target, content, 0o600)
        return digest
