"""The parent's list sources, kept under ``home.lists_dir``.

Layout of the lists folder::

    sources.json      every source, its settings and the status of its last update
    copies/<id>       the bytes in force (file, gzip or tar), quoted by ``explain``
    parsed/<id>.npz   the parsed entries, so compiling never re-parses
    compiled.kgbl     what the proxy maps (see matcher.py)
    names-model.npz   the site-name signal learned from the names (see namesignal.py)

Every write goes to a temporary file first and is swapped in with ``os.replace``. A source is
parsed before anything is written, so a file that is refused changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from .compiler import CompiledSource, compile_lists, write_parsed
from .content import Content, read_bytes, read_path
from .formats import FORMATS, Counts, NotAList
from .namesignal import learn_name_signal

log = logging.getLogger(__name__)

STARTER_ID = "starter"


class UnknownSource(KeyError):
    def __str__(self) -> str:
        return f"there is no list with id {self.args[0]!r} (see 'kiteguard lists status')"


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    origin: str  # a file path, a URL, or "builtin"
    kind: str  # file | url | builtin
    category: str | None  # None: taken from UT1/hostsVN folder names
    format: str | None = None
    enabled: bool = True
    status: str = "new"  # new | ok | unchanged | kept | failed
    message: str = ""
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int = 0
    checked_at: str | None = None
    updated_at: str | None = None
    counts: Counts = Counts()
    parts: tuple[tuple[str, str], ...] = ()  # (member, category) per part
    ignored: tuple[str, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(category for _, category in self.parts))

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["counts"] = asdict(self.counts)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Source:
        values = dict(data)
        values["counts"] = Counts(**values.get("counts", {}))
        values["parts"] = tuple((str(member), str(category)) for member, category in values.get("parts", ()))
        values["ignored"] = tuple(values.get("ignored", ()))
        return cls(**values)


@dataclass
class SourceRegistry:
    lists_dir: Path
    _sources: list[Source] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.lists_dir = Path(self.lists_dir)
        path = self.lists_dir / "sources.json"
        if path.exists():
            raw = json.loads(path.read_text(encoding="utf-8"))
            self._sources = [Source.from_json(item) for item in raw["sources"]]

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(self._sources)

    def get(self, source_id: str) -> Source:
        for source in self._sources:
            if source.id == source_id:
                return source
        raise UnknownSource(source_id)

    def import_file(self, path: Path, category: str | None, fmt: str | None, now: datetime) -> Source:
        """Parse a local list and put it in force; refuses (raising) without changing anything."""
        _check_format(fmt)
        try:
            content = read_path(Path(path), category, fmt)
        except NotAList as exc:
            raise NotAList(f"{path} was refused: {exc}. The lists in force are unchanged.") from None
        source = Source(self._next_id(), Path(path).name, str(Path(path).resolve()), "file", category, fmt)
        source = self.accept(source, content, now)
        self._sources.append(source)
        self.save()
        return source

    def add_url(self, url: str, name: str, category: str | None, fmt: str | None) -> Source:
        """Register a download; the first ``update`` fetches it."""
        _check_format(fmt)
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"{url!r} is not an http(s) URL")
        if any(source.origin == url for source in self._sources):
            raise ValueError(f"{url} is already a list source")
        source = Source(self._next_id(), name, url, "url", category, fmt)
        self._sources.append(source)
        self.save()
        return source

    def accept(self, source: Source, content: Content, now: datetime) -> Source:
        """Keep new content for a source: the copy, its parsed entries and its counts."""
        copies = self.lists_dir / "copies"
        copies.mkdir(parents=True, exist_ok=True)
        write_parsed(self.lists_dir / "parsed" / f"{source.id}.npz", content)
        _write_atomic(copies / source.id, content.copy)
        return replace(
            source,
            status="ok",
            message="",
            sha256=hashlib.sha256(content.copy).hexdigest(),
            size=len(content.copy),
            updated_at=now.isoformat(timespec="seconds"),
            checked_at=now.isoformat(timespec="seconds"),
            counts=content.counts,
            parts=tuple((part.member, part.category) for part in content.parts),
            ignored=content.ignored,
        )

    def put(self, source: Source) -> None:
        self._sources = [source if item.id == source.id else item for item in self._sources]
        self.save()

    def remove(self, source_id: str) -> Source:
        source = self.get(source_id)
        if source.kind == "builtin":
            # Keep the record switched off, so the starter list is not added back on next start.
            self.put(replace(source, enabled=False, status="removed"))
            return source
        self._sources = [item for item in self._sources if item.id != source_id]
        self.save()
        for path in (self.lists_dir / "copies" / source_id, self.lists_dir / "parsed" / f"{source_id}.npz"):
            path.unlink(missing_ok=True)
        return source

    def ensure_starter(self, now: datetime) -> None:
        """A fresh install blocks something sensible: the starter list written for Kiteguard."""
        if any(source.id == STARTER_ID for source in self._sources):
            return
        starter = Source(STARTER_ID, "Kiteguard starter list", "builtin", "builtin", None, "plain")
        self._sources.insert(0, self.accept(starter, read_bytes(starter_archive(), None, "plain"), now))
        self.save()

    def compile(self) -> Path:
        """Write and swap in the compiled file for every enabled source that has content."""
        ready = [
            CompiledSource(
                source.id,
                source.name,
                tuple(category for _, category in source.parts),
                tuple(member for member, _ in source.parts),
            )
            for source in self._sources
            if source.enabled and source.parts and (self.lists_dir / "parsed" / f"{source.id}.npz").exists()
        ]
        compiled = compile_lists(self.lists_dir, ready)
        try:
            learn_name_signal(self.lists_dir, ready)
        except Exception:  # the lists are in force; only the weak name hint is missing
            log.exception("could not learn the site-name signal from the lists")
        return compiled

    def save(self) -> None:
        payload = {"sources": [source.to_json() for source in self._sources]}
        _write_atomic(self.lists_dir / "sources.json", json.dumps(payload, indent=1).encode("utf-8"))

    def _next_id(self) -> str:
        numbers = [int(source.id) for source in self._sources if source.id.isdigit()]
        return str(max(numbers, default=0) + 1)


class ListsBusy(RuntimeError):
    def __str__(self) -> str:
        return "another kiteguard command is changing the lists; try again in a moment"


@contextlib.contextmanager
def registry_lock(lists_dir: Path, wait: bool = True) -> Iterator[None]:
    """One writer at a time: two ``kiteguard lists`` commands, or a command and the daily refresh.

    The lock is the operating system's (released if the process dies). Without ``wait``, a held lock
    raises ListsBusy at once, so the proxy's event loop never blocks on it.
    """
    Path(lists_dir).mkdir(parents=True, exist_ok=True)
    with open(Path(lists_dir) / ".lock", "a+b") as handle:
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError:
            raise ListsBusy() from None
        try:
            yield
        finally:
            if sys.platform == "win32":
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


def starter_archive() -> bytes:
    """The starter lists shipped in the package, as a tar with one ``<category>/domains`` per file."""
    buffer = io.BytesIO()
    folder = resources.files("kiteguard.blocklists") / "data"
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.name.startswith("starter-") and entry.name.endswith(".txt"):
                data = entry.read_bytes()
                info = tarfile.TarInfo(f"{entry.name[8:-4]}/domains")
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown list format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
