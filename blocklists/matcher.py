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
HIT_CACHE_SIZE = 4096
FLAG_EXCEPTION, FLAG_URL = 1, 2
COMPILED_NAME = "compiled.kgbl"

_crc32 = zlib.crc32


def name_key(name: str) -> int:
    data = name.encode("ascii")
    return _crc32(data) << 32 | _crc32(data[::-1])


def pack_meta(part: int, flags: int, line: int) -> int:
    return part << 48 | flags << 40 | line


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
            stat = os.fstat(handle.fileno())
            self.identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        magic, count, filter_bits, bits, urls, blob, parts = HEADER.unpack_from(self._map, 0)
        if magic != MAGIC:
            raise ValueError(f"{path} is not a compiled Kiteguard list file (or an older version)")
        view = memoryview(self._map)
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
        # The same entry gives the same ListHit for every subdomain: reuse it (bounded).
        self._hits: dict[tuple[str, int], ListHit] = {}

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        """Hits for a normalised host, most specific suffix first; exceptions already applied."""
        # This is the proxy's hot path: everything is inlined, and the arrays are only touched
        # for suffixes that pass the filter.
        data = host.encode()
        bloom, mask = self._filter, self._filter_mask
        found: list[tuple[int, int]] | None = None
        start = 0
        while True:
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
            start = data.find(b".", start) + 1
            if not start:
                break
        if found is None:
            return ()
        if len(found) == 1 and not found[0][1] >> 40 & 0xFF:  # the common case: one plain domain entry
            return [self._hit(host, *found[0])]
        return [entry[0] for entry in self._resolve(host, path, found)]

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

    def _hit(self, host: str, start: int, word: int) -> ListHit:
        rule = host[start:]
        cached = self._hits.get((rule, word))
        if cached is None:
            part = self.parts[word >> 48]
            cached = ListHit(part.category, rule, part.list_name, word & 0xFFFFFFFFFF)
            if len(self._hits) >= HIT_CACHE_SIZE:
                self._hits.clear()
            self._hits[(rule, word)] = cached
        return cached

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
            line = word & 0xFFFFFFFFFF
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
