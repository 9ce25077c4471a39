"""What one source holds: a single list file, or a UT1/squidGuard tree (folder or tarball).

A source becomes one or more *parts*, each a parsed list with a category. UT1 trees give one part
per category folder (``domains`` as domains, ``urls`` as host + path prefixes); folders whose name
has no Kiteguard category are listed in ``ignored``. The bytes kept under the lists folder (the
file as given, or a tar of the tree's lists) let ``explain`` quote the exact line later.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .categories import category_for, require_category
from .formats import Counts, NotAList, ParsedList, decode_content, parse_text

LIST_FILES = ("domains", "urls")
TAR_LIMIT = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Part:
    member: str  # "" for a single file, else the path inside the kept tar
    category: str
    parsed: ParsedList


@dataclass(frozen=True)
class Content:
    parts: tuple[Part, ...]
    copy: bytes
    ignored: tuple[str, ...] = ()

    @property
    def counts(self) -> Counts:
        total = Counts()
        for part in self.parts:
            total = total + part.parsed.counts
        return total


def read_path(path: Path, category: str | None, fmt: str | None) -> Content:
    """Read a list file, a gzip, a UT1 folder or a tarball from disk."""
    if path.is_dir():
        return read_bytes(_tar_of_folder(path), category, fmt, default_folder=path.name)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist")
    return read_bytes(path.read_bytes(), category, fmt, default_folder=path.parent.name)


def read_bytes(data: bytes, category: str | None, fmt: str | None, default_folder: str = "") -> Content:
    """Parse downloaded or imported bytes. Raises NotAList if there is nothing to use."""
    if not data.strip():
        raise NotAList("the file is empty")
    archive = _open_tar(data)
    if archive is not None:
        with archive:
            return _read_tree(archive, data, category, default_folder)
    if category is None:
        raise ValueError("say which category this list belongs to (--category)")
    parsed = parse_text(decode_content(data), fmt)
    if not parsed.names:
        raise NotAList("the list has no usable entries")
    return Content((Part("", require_category(category), parsed),), data)


def read_rule_line(copy: Path, member: str, line: int) -> str | None:
    """The original text of one line of a kept copy, for explanations."""
    try:
        data = copy.read_bytes()
        if member:
            archive = _open_tar(data)
            if archive is None:
                return None
            with archive:
                extracted = archive.extractfile(member)
                if extracted is None:
                    return None
                data = extracted.read()
        lines = decode_content(data).splitlines()
    except (OSError, NotAList, KeyError, tarfile.TarError):
        return None
    return lines[line - 1].strip() if 0 < line <= len(lines) else None


def _read_tree(archive: tarfile.TarFile, data: bytes, category: str | None, default_folder: str) -> Content:
    wanted = require_category(category) if category else None
    parts: list[Part] = []
    ignored: set[str] = set()
    for member in archive.getmembers():
        if not member.isfile():
            continue
        path = PurePosixPath(member.name)
        kind = path.name.removesuffix(".gz")
        if kind not in LIST_FILES:
            continue
        folder = path.parent.name or default_folder
        mapped = category_for(folder) or (wanted if len(path.parts) <= 2 else None)
        if mapped is None or (wanted and mapped != wanted):
            if mapped is None:
                ignored.add(folder)
            continue
        extracted = archive.extractfile(member)
        assert extracted is not None
        text = decode_content(extracted.read())
        parsed = parse_text(text, "urls" if kind == "urls" else "plain") if text.strip() else None
        if parsed is not None and parsed.names:
            parts.append(Part(member.name, mapped, parsed))
    if not parts:
        raise NotAList("no domains or urls lists for a Kiteguard category in this folder or archive")
    return Content(tuple(parts), data, tuple(sorted(ignored)))


def _open_tar(data: bytes) -> tarfile.TarFile | None:
    probe = data
    if data[:2] == b"\x1f\x8b":
        try:
            probe = gzip.GzipFile(fileobj=io.BytesIO(data)).read(512)
        except (OSError, EOFError):
            return None
    if probe[257:262] != b"ustar":
        return None
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except tarfile.TarError as exc:
        raise NotAList(f"a damaged archive ({exc})") from None


def _tar_of_folder(folder: Path) -> bytes:
    """The list files of a UT1 folder (one category, or a tree of them) as an uncompressed tar."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name.removesuffix(".gz") in LIST_FILES:
                relative = path.relative_to(folder)
                name = relative.as_posix() if len(relative.parts) > 1 else f"{folder.name}/{relative}"
                archive.add(path, arcname=name)
    if buffer.tell() > TAR_LIMIT:
        raise NotAList("the folder holds more than 1 GiB of lists")
    if buffer.tell() <= 1024:
        raise NotAList(f"{folder} has no UT1 'domains' or 'urls' files")
    return buffer.getvalue()
