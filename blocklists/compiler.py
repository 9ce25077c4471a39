"""Build the compiled file from each source's parsed cache, and write that cache.

Each source is parsed once (on import or on a changed download) into ``parsed/<id>.npz``: keys,
lines, flags, part numbers and the normalised names (for exports). Compiling then only
concatenates these arrays with numpy, drops repeats, sorts and writes ``compiled.kgbl`` beside
the old one before ``os.replace`` swaps it in, so a running proxy never sees half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .content import Content
from .formats import EXCEPTION, URL
from .matcher import FLAG_BITS, FLAG_EXCEPTION, FLAG_MORE, FLAG_URL, HEADER, MAGIC, POINTER_NAME, PartInfo, name_key

_FLAGS = {0: 0, EXCEPTION: FLAG_EXCEPTION, URL: FLAG_URL}


@dataclass(frozen=True)
class CompiledSource:
    """What the compiler needs to know about one enabled source."""

    id: str
    list_name: str
    categories: tuple[str, ...]  # one per part, in part order
    members: tuple[str, ...]


def write_parsed(path: Path, content: Content) -> None:
    """Save a source's entries as arrays, atomically."""
    names: list[str] = []
    lines: list[int] = []
    kinds = bytearray()
    parts: list[int] = []
    paths: list[str] = []
    for number, part in enumerate(content.parts):
        parsed = part.parsed
        paths.extend(parsed.paths[index] for index in sorted(parsed.paths))
        names.extend(parsed.names)
        lines.extend(parsed.lines)
        kinds.extend(parsed.kinds)
        parts.extend([number] * len(parsed.names))
    keys = np.fromiter((name_key(name) for name in names), dtype=np.uint64, count=len(names))
    temporary = path.with_suffix(".tmp.npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(temporary, "wb") as handle:
        np.savez(
            handle,
            keys=keys,
            lines=np.asarray(lines, dtype=np.uint32),
            kinds=np.frombuffer(bytes(kinds), dtype=np.uint8),
            parts=np.asarray(parts, dtype=np.uint16),
            names=np.frombuffer("\n".join(names).encode("ascii"), dtype=np.uint8),
            paths=np.frombuffer("\n".join(paths).encode("utf-8"), dtype=np.uint8),
        )
    os.replace(temporary, path)


def read_names(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(names, kinds, parts) of a parsed cache, for exports."""
    with np.load(path) as arrays:
        blob = arrays["names"].tobytes().decode("ascii")
        return (blob.split("\n") if blob else []), arrays["kinds"], arrays["parts"]


def compile_lists(lists_dir: Path, sources: Sequence[CompiledSource]) -> Path:
    """Write the compiled file for these sources (in priority order) and swap it in."""
    keys, metas, categories, dedupable = [], [], [], []
    url_paths: list[str] = []
    url_lines: list[np.ndarray] = []
    parts: list[PartInfo] = []
    category_ids: dict[str, int] = {}
    for source in sources:
        with np.load(lists_dir / "parsed" / f"{source.id}.npz") as arrays:
            kinds = arrays["kinds"]
            lines = arrays["lines"].astype(np.uint64)
            local = arrays["parts"].astype(np.uint64)
            blob = arrays["paths"].tobytes().decode("utf-8")
            source_keys = arrays["keys"]
        offset = len(parts)
        for category, member in zip(source.categories, source.members, strict=True):
            parts.append(PartInfo(source.id, source.list_name, member, category))
        flags = np.zeros(len(kinds), dtype=np.uint64)
        flags[kinds == EXCEPTION] = FLAG_EXCEPTION
        is_url = kinds == URL
        flags[is_url] = FLAG_URL
        # URL entries point into the URL table; the table keeps their line numbers.
        url_lines.append(lines[is_url].astype(np.uint32))
        lines = lines.copy()
        lines[is_url] = np.arange(len(url_paths), len(url_paths) + int(is_url.sum()), dtype=np.uint64)
        url_paths.extend(blob.split("\n") if blob else [])
        metas.append(((local + offset) << np.uint64(48)) | (flags << np.uint64(40)) | lines)
        keys.append(source_keys)
        cat_numbers = np.array(
            [category_ids.setdefault(c, len(category_ids)) for c in source.categories], dtype=np.uint8
        )
        categories.append(cat_numbers[local.astype(np.intp)] if len(local) else np.zeros(0, np.uint8))
        has_exceptions = bool((kinds == EXCEPTION).any())
        dedupable.append(np.full(len(kinds), not has_exceptions) & (kinds == 0))
    all_keys = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    all_meta = np.concatenate(metas) if metas else np.zeros(0, np.uint64)
    all_cats = np.concatenate(categories) if categories else np.zeros(0, np.uint8)
    all_dedup = np.concatenate(dedupable) if dedupable else np.zeros(0, bool)
    order = np.lexsort((np.arange(len(all_keys)), all_cats, all_keys))
    del categories, metas, keys
    sorted_keys = all_keys[order]
    repeat = np.zeros(len(order), dtype=bool)
    if len(order) > 1:
        same = (sorted_keys[1:] == sorted_keys[:-1]) & (all_cats[order][1:] == all_cats[order][:-1])
        repeat[1:] = same & all_dedup[order][1:] & all_dedup[order][:-1]
    order = order[~repeat]
    final_keys = all_keys[order]
    final_meta = all_meta[order]
    del all_keys, all_meta, all_cats, all_dedup, sorted_keys
    return _write(lists_dir, final_keys, final_meta, url_paths, url_lines, parts)


def _write(
    lists_dir: Path,
    keys: np.ndarray,
    meta: np.ndarray,
    url_paths: list[str],
    url_lines: list[np.ndarray],
    parts: list[PartInfo],
) -> Path:
    count = len(keys)
    # About 12 filter bits per entry: a miss passes the filter about 8% of the time.
    filter_bits = max(10, (count * 8).bit_length())
    positions = (keys >> np.uint64(32)) & np.uint64((1 << filter_bits) - 1)
    marks = np.zeros(1 << filter_bits, dtype=bool)
    marks[positions.astype(np.int64)] = True
    bloom = np.packbits(marks, bitorder="little")
    del marks, positions
    table, homes, reach = _slot_table(keys, meta)
    encoded = [path.encode("utf-8") for path in url_paths]
    offsets = np.zeros(len(encoded) + 1, dtype=np.uint32)
    if encoded:
        offsets[1:] = np.cumsum([len(item) for item in encoded])
    blob = b"".join(encoded)
    blob += b"\0" * (-len(blob) % 8)
    lines = np.concatenate(url_lines) if url_lines else np.zeros(0, np.uint32)
    parts_json = json.dumps([part.__dict__ for part in parts], ensure_ascii=False).encode("utf-8")
    # Each compile writes a new generation and then points at it, so a proxy that maps the old one
    # keeps it (Windows cannot replace a mapped file; POSIX could, but this works on both).
    lists_dir.mkdir(parents=True, exist_ok=True)
    target = lists_dir / f"compiled-{time.time_ns():x}.kgbl"
    temporary = target.with_suffix(".tmp")
    with open(temporary, "wb") as handle:
        handle.write(HEADER.pack(MAGIC, count, filter_bits, homes, reach, len(encoded), len(blob), len(parts_json)))
        handle.write(bloom.tobytes())
        for array in (table.astype("<u4", copy=False), offsets.astype("<u4"), lines.astype("<u4")):
            handle.write(array.tobytes())
        handle.write(blob)
        handle.write(parts_json)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    _write_pointer(lists_dir, target.name)
    for old in lists_dir.glob("compiled-*.kgbl"):
        if old != target:
            with contextlib.suppress(OSError):  # still mapped on Windows: removed by a later compile
                old.unlink()
    return target


def _slot_table(keys: np.ndarray, meta: np.ndarray) -> tuple[np.ndarray, int, int]:
    """The ordered open-addressed table of slots (see matcher.py), its home-slot count and reach.

    ``keys`` are sorted, so home slots ascend; each entry takes the first free slot at or after
    its home, which for sorted homes is ``i + running max(home - i)``, one numpy pass. The table
    is filled to two thirds (a hit then mostly finds its key in its home slot; fuller tables scan
    further, emptier ones cost memory), and ``reach`` slots past the last home keep every search in
    bounds.
    """
    count = len(keys)
    homes = max(16, count * 3 // 2)
    high = keys >> np.uint64(32)
    home = ((high * np.uint64(homes)) >> np.uint64(32)).astype(np.int64)
    index = np.arange(count, dtype=np.int64)
    slot = index + np.maximum.accumulate(home - index) if count else index
    reach = int((slot - home).max()) + 1 if count else 1
    flags = (meta >> np.uint64(40)) & np.uint64(0xFF)
    if count > 1:
        flags[:-1] |= np.where(keys[1:] == keys[:-1], np.uint64(FLAG_MORE), np.uint64(0))
    table = np.zeros((homes + reach, 4), dtype=np.uint32)
    table[slot, 0] = keys & np.uint64(0xFFFFFFFF)
    table[slot, 1] = high
    table[slot, 2] = ((meta >> np.uint64(48)) << np.uint64(FLAG_BITS)) | flags
    table[slot, 3] = meta & np.uint64(0xFFFFFFFF)
    return table, homes, reach


def _write_pointer(lists_dir: Path, name: str) -> None:
    temporary = lists_dir / (POINTER_NAME + ".tmp")
    with open(temporary, "w", encoding="ascii") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, lists_dir / POINTER_NAME)
