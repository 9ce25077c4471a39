"""``kiteguard lists ...``: import, subscribe, update, inspect, remove and export blocklists.

Domain errors become one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiteguard.proxy.categories import CATEGORIES

from .categories import require_category
from .export import EXPORT_FORMATS, collect, render
from .formats import FORMATS, NotAList
from .matcher import CompiledFileError, CompiledLists, compiled_path
from .sources import CATALOGUE, find_entry

if TYPE_CHECKING:
    from .registry import Source, SourceRegistry

# The registry (numpy, to compile) and the updater (aiohttp) are imported by the commands that use
# them: every ``kiteguard`` command builds this parser, and ``kiteguard check`` must start fast.


class HasListsDir(Protocol):
    lists_dir: Path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("lists", help="manage blocklists")
    commands = parser.add_subparsers(dest="lists_command", required=True)

    imported = commands.add_parser("import", help="import a list file, gzip, UT1 folder or tarball")
    imported.add_argument("file", type=Path)
    imported.add_argument("--category", help="one of the 14 categories (UT1 trees name their own)")
    imported.add_argument("--format", choices=FORMATS, help="override format detection")
    imported.set_defaults(handler=import_list)

    added = commands.add_parser("add", help="subscribe to a list URL or a catalogue entry, and fetch it")
    added.add_argument("url", help="an http(s) URL or a key from 'kiteguard lists catalogue'")
    added.add_argument("--category")
    added.add_argument("--format", choices=FORMATS)
    added.add_argument("--name", help="a name to show parents (default: the URL)")
    added.set_defaults(handler=add_list)

    updated = commands.add_parser("update", help="download subscribed lists that changed")
    updated.add_argument("ids", nargs="*", help="only these list ids")
    updated.set_defaults(handler=update_lists)

    status = commands.add_parser("status", help="show every list, its counts and its last update")
    status.set_defaults(handler=show_status)

    removed = commands.add_parser("remove", help="stop using a list")
    removed.add_argument("id")
    removed.set_defaults(handler=remove_list)

    exported = commands.add_parser("export", help="write the lists for a DNS server on the home network")
    exported.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    exported.add_argument("--category", action="append", choices=CATEGORIES)
    exported.add_argument("--output", type=Path, help="write here instead of standard output")
    exported.set_defaults(handler=export_lists)

    catalogue = commands.add_parser("catalogue", help="recommended public lists (none is used until added)")
    catalogue.set_defaults(handler=show_catalogue)

    explain = commands.add_parser("explain", help="which list, line and rule match a host or URL")
    explain.add_argument("target")
    explain.set_defaults(handler=explain_target)


def now() -> datetime:
    return datetime.now(timezone.utc)


def open_registry(home: HasListsDir) -> SourceRegistry:
    """The registry, with the starter list and a compiled file in place on first use."""
    from .registry import STARTER_ID, SourceRegistry

    registry = SourceRegistry(Path(home.lists_dir))
    if not any(source.id == STARTER_ID for source in registry.sources):
        registry.ensure_starter(now())
        registry.compile()
    elif compiled_path(Path(home.lists_dir)) is None:
        registry.compile()
    return registry


def current_file(home: HasListsDir) -> Path:
    path = compiled_path(Path(home.lists_dir))
    if path is None:
        raise CompiledFileError("no lists are compiled yet")
    return path


def import_list(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        category = require_category(args.category) if args.category else None
        registry = open_registry(home)
        source = registry.import_file(args.file, category, args.format, now())
        registry.compile()
        categories = ", ".join(source.categories)
        print(f"Imported {source.name} as list {source.id} ({categories}): {describe(source)}")
        if source.ignored:
            print(f"Not imported (no matching category): {', '.join(source.ignored)}")
        return 0

    return _guarded(run, home)


def add_list(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        url, category, fmt, name = args.url, args.category, args.format, args.name
        entry = find_entry(args.url)
        if entry is not None:
            url, name = entry.url, name or entry.name
            category, fmt = category or entry.category, fmt or entry.format
        category = require_category(category) if category else None
        registry = open_registry(home)
        source = registry.add_url(url, name or url, category, fmt)
        print(f"Added list {source.id}: {source.origin}")
        from .updater import update_sources

        return _report_updates(asyncio.run(update_sources(registry, now, only=[source.id])))

    return _guarded(run, home)


def update_lists(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        from .updater import update_sources

        registry = open_registry(home)
        for source_id in args.ids:
            registry.get(source_id)
        results = asyncio.run(update_sources(registry, now, only=args.ids or None))
        if not results:
            print("No subscribed lists to update.")
        return _report_updates(results)

    return _guarded(run, home)


def show_status(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        registry = open_registry(home)
        for source in registry.sources:
            state = source.status if source.enabled else "off"
            print(f"{source.id:>8}  {state:<9} {', '.join(source.categories) or '-':<20} {source.name}")
            print(f"{'':>8}  {describe(source)}; checked {source.checked_at or 'never'}")
            if source.message:
                print(f"{'':>8}  {source.message}")
        compiled = CompiledLists(current_file(home))
        print(f"In force: {compiled.count:,} entries from {len({p.source for p in compiled.parts})} lists.")
        return 0

    return _guarded(run, home)


def remove_list(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        registry = open_registry(home)
        source = registry.remove(args.id)
        registry.compile()
        print(f"Removed list {source.id} ({source.name}).")
        return 0

    return _guarded(run, home)


def export_lists(args: argparse.Namespace, home: HasListsDir) -> int:
    def run() -> int:
        registry = open_registry(home)
        export = collect(Path(home.lists_dir), registry.sources, args.category)
        text = render(export, args.format, now())
        if args.output is None:
            sys.stdout.write(text)
            return 0
        temporary = args.output.with_name(args.output.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(args.output)
        print(f"Wrote {len(export.blocked):,} names to {args.output}.")
        return 0

    return _guarded(run, home)


def show_catalogue(args: argparse.Namespace, home: HasListsDir) -> int:
    for entry in CATALOGUE:
        print(f"{entry.key:<28} {entry.category or 'by folder':<10} {entry.licence:<12} {entry.name}")
        print(f"{'':<28} {entry.url}")
    print("Add one with: kiteguard lists add KEY")
    return 0


def explain_target(args: argparse.Namespace, home: HasListsDir) -> int:
    from kiteguard.proxy.urls import parse_url

    def run() -> int:
        open_registry(home)
        url = parse_url(args.target)
        compiled = CompiledLists(current_file(home))
        found = compiled.explain(url.host, url.path)
        if not found:
            print(f"{url.host} is on no list.")
        for item in found:
            verb = "excepted by" if item.exception else f"{item.category} in"
            print(f"{url.host}: {verb} {item.list_name} (list {item.source}), line {item.line}: {item.rule}")
        return 0

    return _guarded(run, home)


def describe(source: Source) -> str:
    counts = source.counts
    text = f"{counts.entries:,} domains"
    if counts.exceptions:
        text += f", {counts.exceptions:,} exceptions"
    if counts.urls:
        text += f", {counts.urls:,} URL prefixes"
    return text + f"; skipped {counts.skipped:,} rules, {counts.ips:,} IPs, {counts.junk:,} junk lines"


def _report_updates(results: list[Source]) -> int:
    failed = 0
    for source in results:
        print(f"List {source.id} {source.status}: {source.message or describe(source)}")
        failed += source.status == "failed"
    return 1 if failed else 0


def _guarded(run: Any, home: HasListsDir) -> int:
    """Run a command that changes the lists: one at a time, mistakes as one line and exit code 1."""
    from .registry import ListsBusy, UnknownSource, registry_lock

    try:
        with registry_lock(Path(home.lists_dir)):
            return int(run())
    except (NotAList, ValueError, UnknownSource, OSError, ListsBusy, CompiledFileError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
