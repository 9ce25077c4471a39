"""``kiteguard lists ...``: import, subscribe, update, inspect, remove and export blocklists.

Domain errors become one line on stderr and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiteguard.proxy.categories import CATEGORIES
from kiteguard.proxy.i18n import LANGUAGES, translate

from .categories import require_category
from .export import EXPORT_FORMATS, collect, render
from .formats import FORMATS, NotAList
from .matcher import CompiledFileError, CompiledLists, compiled_path
from .sources import CATALOGUE, find_entry

if TYPE_CHECKING:
    from .registry import Source, SourceRegistry

# The registry (numpy, to compile) and the updater (aiohttp) are imported by the commands that use
# them: every ``kiteguard`` command builds this parser, and ``kiteguard check`` must start fast.


Speaker = Callable[..., None]  # say(i18n key, **params): print one line in the chosen language


class HasListsDir(Protocol):
    lists_dir: Path


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("lists", help="manage blocklists")
    commands = _WithLanguage(parser.add_subparsers(dest="lists_command", required=True))

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


class _WithLanguage:
    """Gives every ``lists`` subcommand a ``--language`` option for its messages."""

    def __init__(self, commands: Any) -> None:
        self._commands = commands

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        parser = self._commands.add_parser(name, **kwargs)
        parser.add_argument("--language", choices=LANGUAGES, default="vi", help="language of the messages (vi, en)")
        return parser


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
    def run(say: Speaker) -> int:
        category = require_category(args.category) if args.category else None
        registry = open_registry(home)
        source = registry.import_file(args.file, category, args.format, now())
        registry.compile()
        categories = ", ".join(source.categories)
        say("lists.imported", name=source.name, id=source.id, categories=categories,
            counts=describe(source, args.language))
        if source.ignored:
            say("lists.not_imported", names=", ".join(source.ignored))
        return 0

    return _guarded(run, home, args.language)


def add_list(args: argparse.Namespace, home: HasListsDir) -> int:
    def run(say: Speaker) -> int:
        url, category, fmt, name = args.url, args.category, args.format, args.name
        entry = find_entry(args.url)
        if entry is not None:
            url, name = entry.url, name or entry.name
            category, fmt = category or entry.category, fmt or entry.format
        category = require_category(category) if category else None
        registry = open_registry(home)
        source = registry.add_url(url, name or url, category, fmt)
        say("lists.added", id=source.id, origin=source.origin)
        from .updater import update_sources

        return _report_updates(asyncio.run(update_sources(registry, now, only=[source.id])), args.language)

    return _guarded(run, home, args.language)


def update_lists(args: argparse.Namespace, home: HasListsDir) -> int:
    def run(say: Speaker) -> int:
        from .updater import update_sources

        registry = open_registry(home)
        for source_id in args.ids:
            registry.get(source_id)
        results = asyncio.run(update_sources(registry, now, only=args.ids or None))
        if not results:
            say("lists.none_to_update")
        return _report_updates(results, args.language)

    return _guarded(run, home, args.language)


def show_status(args: argparse.Namespace, home: HasListsDir) -> int:
    def run(say: Speaker) -> int:
        registry = open_registry(home)
        for source in registry.sources:
            state = source.status if source.enabled else "off"
            print(f"{source.id:>8}  {state:<9} {', '.join(source.categories) or '-':<20} {source.name}")
            checked = translate("lists.checked", args.language, counts=describe(source, args.language),
                                when=source.checked_at or translate("lists.never", args.language))
            print(f"{'':>8}  {checked}")
            if source.message:
                print(f"{'':>8}  {source.message}")
        compiled = CompiledLists(current_file(home))
        say("lists.in_force", entries=f"{compiled.count:,}", lists=len({p.source for p in compiled.parts}))
        return 0

    return _guarded(run, home, args.language)


def remove_list(args: argparse.Namespace, home: HasListsDir) -> int:
    def run(say: Speaker) -> int:
        registry = open_registry(home)
        source = registry.remove(args.id)
        registry.compile()
        say("lists.removed", id=source.id, name=source.name)
        return 0

    return _guarded(run, home, args.language)


def export_lists(args: argparse.Namespace, home: HasListsDir) -> int:
    def run(say: Speaker) -> int:
        registry = open_registry(home)
        export = collect(Path(home.lists_dir), registry.sources, args.category)
        text = render(export, args.format, now())
        if args.output is None:
            sys.stdout.write(text)
            return 0
        temporary = args.output.with_name(args.output.name + ".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(args.output)
        say("lists.wrote", count=f"{len(export.blocked):,}", path=args.output)
        return 0

    return _guarded(run, home, args.language)


def show_catalogue(args: argparse.Namespace, home: HasListsDir) -> int:
    by_folder = translate("lists.by_folder", args.language)
    for entry in CATALOGUE:
        print(f"{entry.key:<28} {entry.category or by_folder:<10} {entry.licence:<12} {entry.name}")
        print(f"{'':<28} {entry.url}")
    print(translate("lists.catalogue_hint", args.language))
    return 0


def explain_target(args: argparse.Namespace, home: HasListsDir) -> int:
    from kiteguard.proxy.urls import parse_url

    def run(say: Speaker) -> int:
        open_registry(home)
        url = parse_url(args.target)
        compiled = CompiledLists(current_file(home))
        found = compiled.explain(url.host, url.path)
        if not found:
            say("lists.on_no_list", host=url.host)
        for item in found:
            say("lists.excepted" if item.exception else "lists.listed", host=url.host, category=item.category,
                list=item.list_name, source=item.source, line=item.line, rule=item.rule)
        return 0

    return _guarded(run, home, args.language)


def describe(source: Source, language: str) -> str:
    counts = source.counts
    text = translate("lists.counts", language, entries=f"{counts.entries:,}")
    if counts.exceptions:
        text += translate("lists.counts_exceptions", language, count=f"{counts.exceptions:,}")
    if counts.urls:
        text += translate("lists.counts_urls", language, count=f"{counts.urls:,}")
    return text + translate("lists.counts_skipped", language, rules=f"{counts.skipped:,}", ips=f"{counts.ips:,}",
                            junk=f"{counts.junk:,}")


def _speaker(language: str) -> Speaker:
    """``say(key, **params)``: print one translated line."""
    return lambda key, **params: print(translate(key, language, **params))


def _report_updates(results: list[Source], language: str) -> int:
    failed = 0
    for source in results:
        detail = source.message or describe(source, language)
        print(translate("lists.updated", language, id=source.id, status=source.status, detail=detail))
        failed += source.status == "failed"
    return 1 if failed else 0


def _guarded(run: Callable[[Speaker], int], home: HasListsDir, language: str) -> int:
    """Run a command that changes the lists: one at a time, mistakes as one line and exit code 1."""
    from .registry import ListsBusy, UnknownSource, registry_lock

    try:
        with registry_lock(Path(home.lists_dir)):
            return int(run(_speaker(language)))
    except (NotAList, ValueError, UnknownSource, OSError, ListsBusy, CompiledFileError) as exc:
        print(translate("lists.error", language, detail=exc), file=sys.stderr)
        return 1
