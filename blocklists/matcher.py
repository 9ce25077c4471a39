"""The compiled matcher: millions of list entries, looked up in about a microsecond, memory-mapped.

Design. Every entry is keyed by a 64-bit hash of its normalised name: CRC-32 of the name in the
high half and CRC-32 of the reversed name in the low half (two C calls from the standard library;
together they act like a 64-bit CRC, and the benchmark finds no collision among 3 M names). The
file holds, after a small header:

- a bit filter indexed by the low bits of the high half (about 12 bits per entry), so most
  misses cost a single CRC and one byte read;
- the entries as 16-byte slots (64-bit key, 32-bit *head*: part and flags, 32-bit line) in an
  ordered open-addressed table, two thirds full: each entry sits at or just after its *home* slot
  (the high half scaled to the table), all in key order, empty slots zero. A hit scans from its
  home slot, usually one or two slots, and finds head and line in the same cache line. (A sorted
  array with a bucket directory cost three scattered memory reads and more Python operations per
  hit; ``mmap.find`` on the key bytes parses its arguments the slow way.) Entries with the same
  key are adjacent; all but the last carry ``FLAG_MORE``;
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

MAGIC = b"KGBL0003"
# magic, entries, filter bits (log2), home slots, reach (slots searched from home), url entries,
# path blob bytes, parts json bytes
HEADER = struct.Struct("<8sQQQQQQQ")
SLOT = 16  # four little-endian 32-bit words: key low half, key high half, head, line
FLAG_EXCEPTION, FLAG_URL, FLAG_MORE = 1, 2, 4
FLAG_BITS = 3  # a slot's head is part << FLAG_BITS | flags
RECENT_HITS = 4096  # hits kept for the sites a household visits again and again
POINTER_NAME = "compiled.current"  # holds the name of the compiled file in force
_GENERATION = re.compile(r"compiled-[0-9a-f]{1,32}\.kgbl")

_crc32 = zlib.crc32
_new_hit = tuple.__new__


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
        magic, count, filter_bits, homes, reach, urls, blob, parts = HEADER.unpack_from(self._map, 0)
        if magic != MAGIC:
            raise CompiledFileError(f"{path} is not a compiled list file of this Kiteguard version")
        if not (7 <= filter_bits <= 40 and count <= homes < 1 << 32 and 0 < reach <= homes):
            raise CompiledFileError(f"{path} is damaged: impossible table sizes")
        origin = HEADER.size + (1 << filter_bits) // 8  # a multiple of 16
        table_end = origin + SLOT * (homes + reach)
        expected = table_end + 4 * (2 * urls + 1) + blob + parts
        if expected != size:
            raise CompiledFileError(f"{path} is damaged: {size} bytes where {expected} were written")
        view = memoryview(self._map)  # the arrays are little-endian, as on every machine Kiteguard targets
        self.count = count
        self._filter_mask = (1 << filter_bits) - 1
        self._filter = view[HEADER.size : origin]
        # Slot s: key at keys[2 * s], head and line at words[4 * s + 2] and words[4 * s + 3].
        self._homes = homes
        self._keys = view[origin:table_end].cast("Q")
        self._words = view[origin:table_end].cast("I")
        offset = table_end
        self._url_offsets = view[offset : offset + 4 * (urls + 1)].cast("I")
        offset += 4 * (urls + 1)
        self._url_lines = view[offset : offset + 4 * urls].cast("I")
        offset += 4 * urls
        self._paths = bytes(view[offset : offset + blob])
        offset += blob
        self.parts = tuple(PartInfo(**part) for part in json.loads(bytes(view[offset : offset + parts])))
        # The hit of each recently matched slot (a slot is one listed name, so its hit never changes).
        self._recent: dict[int, ListHit] = {}
        # head -> (category, list) for a plain entry, None where the flags need the slow path
        self._plain = tuple(
            (part.category, part.list_name) if not flags else None for part in self.parts
            for flags in range(1 << FLAG_BITS)
        )

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        """Hits for a normalised host, most specific suffix first; exceptions already applied."""
        # The proxy's hot path, so a hit must cost about what a miss costs: every Python-level
        # operation counts. The walk is inlined; the table is only searched for suffixes that pass
        # the filter; one plain match (the common hit) is answered from a precomputed
        # (category, list) pair, with tuple.__new__ skipping the named tuple's Python constructor.
        # Anything else (two matches, exceptions, URL prefixes) takes ``_slow``. Only hits are
        # remembered, by slot: remembering every answer by host was tried, and on a miss the
        # bookkeeping cost more than the walk it saves.
        data = host.encode()
        bloom, mask, crc = self._filter, self._filter_mask, _crc32
        first = at = -1  # the first match: its suffix start and its index in _keys
        others: list[tuple[int, int]] | None = None
        start = 0
        dot = data.find(b".")
        while dot >= 0:  # a lone top-level label is never an entry: names have a dot
            suffix = data[start:]  # the whole name is data itself, not a copy
            high = crc(suffix)
            if bloom[(high & mask) >> 3] >> (high & 7) & 1:
                # Scan from the home slot: the table is in key order, so a smaller key means
                # "further on", and an empty slot (0) or a larger key means "not here".
                key = high << 32 | crc(suffix[::-1])
                keys = self._keys
                index = high * self._homes >> 32 << 1
                slot_key = keys[index]
                while 0 < slot_key < key:
                    index += 2
                    slot_key = keys[index]
                if slot_key == key:
                    if first < 0:
                        first, at = start, index
                    elif others is None:
                        others = [(start, index)]
                    else:
                        others.append((start, index))
            start = dot + 1
            dot = data.find(b".", start)
        if first < 0:
            return ()
        hit = self._recent.get(at)
        if hit is None:  # a named tuple costs more to build than the whole walk: keep recent ones
            words = self._words
            plain = self._plain[words[at << 1 | 2]]
            if plain is None:
                return self._slow(host, path)
            hit = _new_hit(ListHit, (plain[0], host[first:], plain[1], words[at << 1 | 3]))
            if len(self._recent) >= RECENT_HITS:
                self._recent.clear()
            self._recent[at] = hit
        return (hit,) if others is None else self._plain_hits(host, path, hit, others)

    def _plain_hits(self, host: str, path: str, hit: ListHit, others: list[tuple[int, int]]) -> list[ListHit]:
        """A host and some of its parents listed, all plain entries (the usual case): the most
        specific entry per category is enough for a decision (``explain`` shows them all)."""
        words, hits, seen = self._words, [hit], {hit.category}
        for start, at in others:
            plain = self._plain[words[at << 1 | 2]]
            if plain is None:
                return self._slow(host, path)
            if plain[0] not in seen:
                seen.add(plain[0])
                hits.append(_new_hit(ListHit, (plain[0], host[start:], plain[1], words[at << 1 | 3])))
        return hits

    def _slow(self, host: str, path: str) -> list[ListHit]:
        """Exceptions, URL prefixes or a name in several lists, resolved in full. As in
        ``_plain_hits``, plain entries give the most specific one per category."""
        found = self._entries(host)
        resolved = [entry[0] for entry in self._resolve(host, path, found)]
        if any(head & (FLAG_EXCEPTION | FLAG_URL) for _, head, _ in found):
            return resolved
        hits: list[ListHit] = []
        seen: set[str] = set()
        for hit in resolved:
            if hit.category not in seen:
                seen.add(hit.category)
                hits.append(hit)
        return hits

    def _entries(self, host: str) -> list[tuple[int, int, int]]:
        """(suffix start, head, line) of every entry matching a suffix of the host, most specific first."""
        found: list[tuple[int, int, int]] = []
        words = self._words
        start = 0
        while True:
            data = host[start:].encode()
            index = self._slot(_crc32(data) << 32 | _crc32(data[::-1]))
            while index >= 0:
                head = words[index << 1 | 2]
                found.append((start, head, words[index << 1 | 3]))
                index = index + 2 if head & FLAG_MORE else -1
            start = host.find(".", start) + 1
            if not start:
                return found

    def _slot(self, key: int) -> int:
        """The index in ``_keys`` of the key's first slot, or -1 (the scan ``lookup`` inlines)."""
        keys = self._keys
        index = (key >> 32) * self._homes >> 32 << 1
        while 0 < keys[index] < key:
            index += 2
        return index if keys[index] == key else -1

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        """Every matching entry with its list, line and original rule text, exceptions included."""
        try:
            host = normalise_host(host)
        except InvalidHost:
            return []
        copies = self.path.parent / "copies"
        result = []
        for hit, index, line, exception in self._resolve(host, path or "/", self._entries(host), True):
            part = self.parts[index]
            text = read_rule_line(copies / part.source, part.member, line) or hit.rule
            result.append(Explanation(hit.category, hit.list_name, part.source, line, text, exception))
        return result

    def _resolve(
        self, host: str, path: str, found: list[tuple[int, int, int]], keep_exceptions: bool = False
    ) -> list[tuple[ListHit, int, int, bool]]:
        """(hit, part index, line, is exception) per matching entry, most specific first."""
        entries: list[tuple[ListHit, int, int, bool]] = []
        excepted: set[str] = set()
        lowered = path.lower()
        for start, head, line in found:
            index, flags = head >> FLAG_BITS, head & ((1 << FLAG_BITS) - 1)
            part = self.parts[index]
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
        for view in (self._filter, self._keys, self._words, self._url_offsets, self._url_lines):
            view.release()
        self._map.close()
