"""The compiled matcher: millions of list entries, looked up in about a microsecond, memory-mapped.

Design. Every entry is keyed by a 64-bit hash of its normalised name: CRC-32 of the name in the
high half and CRC-32 of the reversed name in the low half (two C calls from the standard library;
together they act like a 64-bit CRC, and the benchmark finds no collision among 3 M names). The
file holds, after a small header:

- a bit filter indexed by the low bits of the high half (about 12 bits per entry), so most
  misses cost a single CRC and one byte read;
- the sorted keys, a parallel array of 64-bit *meta* words (part, flags, line), and a bucket
  directory indexed by the keys' top bits, so a hit reads two directory slots and usually one key;
- the URL-prefix table (paths and their lines), and the parts table (source, list, category).

A host is looked up once per label suffix (``a.b.example.com``, ``b.example.com``,
``example.com``, ``com``), which is exactly label-boundary matching: ``notexample.com`` and
``example.com.evil.org`` never produce the key of ``example.com``. A collision could only make a
lookup report a hit it should not (over-blocking), never miss an entry.

The file is memory-mapped read-only, so loading is a header read and the kernel pages in only what
lookups touch; a new compiled file replaces the old with ``os.replace`` and the old mapping stays
valid until it is dropped, so a swap never holds two copies in private memory.
"""

from __future__ import annotations

import json
import mmap
import os
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kiteguard.proxy.policy import ListHit
from kiteguard.proxy.urls import InvalidHost, normalise_host

from .content import read_rule_line

MAGIC = b"KGBL0002"
# magic, entries, filter bits (log2), bucket bits (log2), url entries, path blob bytes, parts json bytes
HEADER = struct.Struct("<8sQQQQQQ")
FLAG_EXCEPTION, FLAG_URL = 1, 2
LINE_MASK = (1 << 40) - 1
POINTER_NAME = "compiled.current"  # holds the name of the compiled file in force
_GENERATION = re.compile(r"compiled-[0-9a-f]{1,32}\.kgbl")

_crc32 = zlib.crc32


def name_key(name: str) -> int:
    data = name.encode("ascii")
    return _crc32(data) << 32 | _crc32(data[::-1])


class CompiledFileError(ValueError):
    """The compiled file is missing, damaged, or from another version of Kiteguard."""


def compiled_path(lists_dir: Path) -> Path | None:
    """The compiled file in force, or None before the first compile."""
    try:
        name = (Path(lists_dir) / POINTER_NAME).read_text(encoding="ascii").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    return Path(lists_dir) / name if _GENERATION.fullmatch(name) else None


@dataclass(frozen=True)
class PartInfo:
    source: str
    list_name: str
    member: str
    category: str


@dataclass(frozen=True)
class Explanation:
    """Why a host matched: the list, its line, and the rule as written there."""

    category: str
    list_name: str
    source: str
    line: int
    rule: str
    exception: bool = False


class CompiledLists:
    """A read-only view of one compiled file (a ``policy.CategoryLookup``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size < HEADER.size:
                raise CompiledFileError(f"{path} is damaged: only {size} bytes")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        magic, count, filter_bits, bits, urls, blob, parts = HEADER.unpack_from(self._map, 0)
        if magic != MAGIC:
            raise CompiledFileError(f"{path} is not a compiled list file of this Kiteguard version")
        if not (filter_bits <= 40 and bits <= 32):
            raise CompiledFileError(f"{path} is damaged: impossible table sizes")
        expected = HEADER.size + (1 << filter_bits) // 8 + 16 * count + 4 * ((1 << bits) + 1)
        expected += 4 * (2 * urls + 1) + blob + parts
        if expected != size:
            raise CompiledFileError(f"{path} is damaged: {size} bytes where {expected} were written")
        view = memoryview(self._map)  # the arrays are little-endian, as on every machine Kiteguard targets
        offset = HEADER.size
        self.count = count
        self._filter_mask = (1 << filter_bits) - 1
        self._filter = view[offset : offset + (1 << filter_bits) // 8]
        offset += (1 << filter_bits) // 8
        self._shift = 64 - bits
        self._bucket_shift = 32 - bits  # the bucket from the key's high half alone
        self._keys = view[offset : offset + 8 * count].cast("Q")
        offset += 8 * count
        self._meta = view[offset : offset + 8 * count].cast("Q")
        offset += 8 * count
        buckets = (1 << bits) + 1
        self._dir = view[offset : offset + 4 * buckets].cast("I")
        offset += 4 * buckets
        self._url_offsets = view[offset : offset + 4 * (urls + 1)].cast("I")
        offset += 4 * (urls + 1)
        self._url_lines = view[offset : offset + 4 * urls].cast("I")
        offset += 4 * urls
        self._paths = bytes(view[offset : offset + blob])
        offset += blob
        self.parts = tuple(PartInfo(**part) for part in json.loads(bytes(view[offset : offset + parts])))

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        """Hits for a normalised host, most specific suffix first; exceptions already applied."""
        # The proxy's hot path: the walk is inlined, and the arrays are only touched for suffixes
        # that pass the filter. (Remembering recent answers was tried: on a miss, the bookkeeping
        # cost more than the walk it saves.)
        data = host.encode()
        bloom, mask = self._filter, self._filter_mask
        found: list[tuple[int, int]] | None = None
        start = 0
        while True:
            dot = data.find(b".", start)
            if dot < 0:
                break  # a lone top-level label is never an entry: names have a dot
            suffix = data[start:] if start else data
            high = _crc32(suffix)
            if bloom[(high & mask) >> 3] >> (high & 7) & 1:
                key = high << 32 | _crc32(suffix[::-1])
                bucket = high >> self._bucket_shift
                index, end = self._dir[bucket], self._dir[bucket + 1]
                while index < end:
                    if self._keys[index] == key:
                        if found is None:
                            found = []
                        found.append((start, self._meta[index]))
                    index += 1
            start = dot + 1
        if found is None:
            return ()
        flags = 0
        for _, word in found:
            flags |= word >> 40 & 0xFF
        if flags:  # URL prefixes or exceptions
            return [entry[0] for entry in self._resolve(host, path, found)]
        # Plain domain entries, the common case: the most specific entry per category is enough for
        # a decision (``explain`` shows them all), and each ListHit costs about a microsecond.
        parts = self.parts
        hits: list[ListHit] = []
        for start, word in found:
            part = parts[word >> 48]
            if not hits or all(hit.category != part.category for hit in hits):
                hits.append(ListHit(part.category, host[start:], part.list_name, word & LINE_MASK))
        return hits

    def _probe(self, key: int, start: int, found: list[tuple[int, int]] | None) -> list[tuple[int, int]] | None:
        keys, meta = self._keys, self._meta
        bucket = key >> self._shift
        index, end = self._dir[bucket], self._dir[bucket + 1]
        while index < end:
            if keys[index] == key:
                if found is None:
                    found = []
                found.append((start, meta[index]))
            index += 1
        return found

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        """Every matching entry with its list, line and original rule text, exceptions included."""
        try:
            host = normalise_host(host)
        except InvalidHost:
            return []
        path = path or "/"
        found: list[tuple[int, int]] = []
        start = 0
        while True:
            found = self._probe(name_key(host[start:]), start, found) or found
            start = host.find(".", start) + 1
            if not start:
                break
        copies = self.path.parent / "copies"
        result = []
        for hit, index, line, exception in self._resolve(host, path, found, keep_exceptions=True):
            part = self.parts[index]
            text = read_rule_line(copies / part.source, part.member, line) or hit.rule
            result.append(Explanation(hit.category, hit.list_name, part.source, line, text, exception))
        return result

    def _resolve(
        self, host: str, path: str, found: list[tuple[int, int]], keep_exceptions: bool = False
    ) -> list[tuple[ListHit, int, int, bool]]:
        """(hit, part index, line, is exception) per matching entry, most specific first."""
        entries: list[tuple[ListHit, int, int, bool]] = []
        excepted: set[str] = set()
        lowered = path.lower()
        for start, word in found:
            index = word >> 48
            part = self.parts[index]
            flags = (word >> 40) & 0xFF
            line = word & LINE_MASK
            rule = host[start:]
            if flags & FLAG_URL:
                prefix = self._paths[self._url_offsets[line] : self._url_offsets[line + 1]].decode()
                if not lowered.startswith(prefix):
                    continue
                rule, line = rule + prefix, self._url_lines[line]
            exception = bool(flags & FLAG_EXCEPTION)
            if exception:
                excepted.add(part.source)
                if not keep_exceptions:
                    continue
            entries.append((ListHit(part.category, rule, part.list_name, line), index, line, exception))
        if not excepted:
            return entries
        # A list's @@ exception beats that list's own blocks, not other lists'.
        return [entry for entry in entries if entry[3] or self.parts[entry[1]].source not in excepted]

    def close(self) -> None:
        for view in (self._filter, self._keys, self._meta, self._dir, self._url_offsets, self._url_lines):
            view.release()
        self._map.close()
