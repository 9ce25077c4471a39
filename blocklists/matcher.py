"""The compiled matcher: millions of list entries, looked up in about a microsecond, memory-mapped.

Design. Every entry is keyed by a 64-bit hash of its normalised name: CRC-32 (zlib's) of the name in
the high half and CRC-32 of the reversed name in the low half (together they act like a 64-bit CRC,
and the benchmark finds no collision among 3 M names). The file holds, after a small header:

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
``example.com``), which is exactly label-boundary matching: ``notexample.com`` and
``example.com.evil.org`` never produce the key of ``example.com``. A collision could only make a
lookup report a hit it should not (over-blocking), never miss an entry. That walk runs once per
request, so it is written twice: in C (``_suffixwalk.c``, built at install time where a compiler
is present; a hit then costs about what a Python ``set`` lookup costs) and in Python
(``SuffixWalk``), the reference a test holds the C walk to and the fallback without a compiler.

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

try:
    from ._suffixwalk import SuffixWalk as NativeSuffixWalk
except ImportError:  # installed without a C compiler: SuffixWalk below does the same, more slowly
    NativeSuffixWalk = None

MAGIC = b"KGBL0003"
# magic, entries, filter bits (log2), home slots, reach (slots searched from home), url entries,
# path blob bytes, parts json bytes
HEADER = struct.Struct("<8sQQQQQQQ")
SLOT = 16  # four little-endian 32-bit words: key low half, key high half, head, line
FLAG_EXCEPTION, FLAG_URL, FLAG_MORE = 1, 2, 4
FLAG_BITS = 3  # a slot's head is part << FLAG_BITS | flags
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


class SuffixWalk:
    """The label-suffix walk over the bit filter and the slot table, in Python.

    ``_suffixwalk.c`` is the same walk in C, which the matcher uses when it was built at install
    time (it needs a C compiler); this one is the reference a test compares it with, and the
    fallback. Every Python-level operation here counts: a miss is usually one CRC and one byte read.
    """

    def __init__(self, filter_view: memoryview, table_view: memoryview, filter_bits: int, homes: int,
                 plain: tuple[tuple[str, str] | None, ...], hit_type: type[ListHit]) -> None:
        self._plain = plain
        self._hit_type = hit_type
        self._filter = filter_view
        self._mask = (1 << filter_bits) - 1
        self._homes = homes
        # Slot s: key at keys[2 * s], head and line at words[4 * s + 2] and words[4 * s + 3].
        self._keys = table_view.cast("Q")
        self._words = table_view.cast("I")

    def walk(self, host: str) -> list[tuple[int, int, int]]:
        """(suffix start, head, line) of every entry matching a suffix of the host, most specific first."""
        data = host.encode()
        found: list[tuple[int, int, int]] = []
        bloom, mask, crc, keys = self._filter, self._mask, _crc32, self._keys
        start = 0
        dot = data.find(b".")
        while dot >= 0:  # a lone top-level label is never an entry: names have a dot
            suffix = data[start:]  # the whole name is data itself, not a copy
            high = crc(suffix)
            if bloom[(high & mask) >> 3] >> (high & 7) & 1:
                # Scan from the home slot: the table is in key order, so a smaller key means
                # "further on", and an empty slot (0) or a larger key means "not here".
                key = high << 32 | crc(suffix[::-1])
                index = high * self._homes >> 32 << 1
                while 0 < keys[index] < key:
                    index += 2
                while keys[index] == key:  # entries with one key are adjacent, flagged MORE but the last
                    head = self._words[index << 1 | 2]
                    found.append((start, head, self._words[index << 1 | 3]))
                    if not head & FLAG_MORE:
                        break
                    index += 2
            start = dot + 1
            dot = data.find(b".", start)
        return found

    def hits(self, host: str) -> tuple[ListHit, ...] | list[tuple[int, int, int]]:
        """The answer as a tuple, () or (hit,) for one plain entry (the usual hit); else ``walk``'s
        list of entries, to be resolved in full."""
        found = self.walk(host)
        if not found:
            return ()
        if len(found) == 1:
            start, head, line = found[0]
            plain = self._plain[head]
            if plain is not None:
                return (_new_hit(self._hit_type, (plain[0], host[start:], plain[1], line)),)
        return found

    def close(self) -> None:
        for view in (self._filter, self._keys, self._words):
            view.release()


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
        offset = table_end
        self._url_offsets = view[offset : offset + 4 * (urls + 1)].cast("I")
        offset += 4 * (urls + 1)
        self._url_lines = view[offset : offset + 4 * urls].cast("I")
        offset += 4 * urls
        self._paths = bytes(view[offset : offset + blob])
        offset += blob
        self.parts = tuple(PartInfo(**part) for part in json.loads(bytes(view[offset : offset + parts])))
        # head -> (category, list) for a plain entry, None where the flags need the full resolution
        plain = tuple(
            (part.category, part.list_name) if not flags else None for part in self.parts
            for flags in range(1 << FLAG_BITS)
        )
        walk_class = NativeSuffixWalk or SuffixWalk
        filter_view, table_view = view[HEADER.size : origin], view[origin:table_end]
        self._walker = walk_class(filter_view, table_view, filter_bits, homes, plain, ListHit)
        self._walk, self._hits = self._walker.walk, self._walker.hits

    def lookup(self, host: str, path: str = "/") -> Sequence[ListHit]:
        """Hits for a normalised host, most specific suffix first; exceptions already applied."""
        # The proxy's hot path: the walk answers a miss and the usual hit (one plain entry) itself.
        if not host.isascii():  # the lists hold punycode, and the walk's offsets count bytes
            try:
                host = normalise_host(host)
            except InvalidHost:
                return ()
        found = self._hits(host)
        if isinstance(found, tuple):  # answered whole: a miss or one plain entry
            return found
        resolved = [entry[0] for entry in self._resolve(host, path, found)]
        if any(head & (FLAG_EXCEPTION | FLAG_URL) for _, head, _ in found):
            return resolved
        # Plain entries only: the most specific one per category decides (``explain`` shows them all).
        hits: list[ListHit] = []
        seen: set[str] = set()
        for hit in resolved:
            if hit.category not in seen:
                seen.add(hit.category)
                hits.append(hit)
        return hits

    def explain(self, host: str, path: str = "/") -> list[Explanation]:
        """Every matching entry with its list, line and original rule text, exceptions included."""
        try:
            host = normalise_host(host)
        except InvalidHost:
            return []
        copies = self.path.parent / "copies"
        result = []
        for hit, index, line, exception in self._resolve(host, path or "/", self._walk(host), True):
            part = self.parts[index]
            text = read_rule_line(copies / part.source, part.member, line) or hit.rule
            result.append(Explanation(hit.category, hit.list_name, part.source, line, text, exception))
        return result

    def _resolve(
        self, host: str, path: str, found: Sequence[tuple[int, int, int]], keep_exceptions: bool = False
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
        self._walker.close()  # first: it holds buffers of the map
        for view in (self._url_offsets, self._url_lines):
            view.release()
        self._map.close()
