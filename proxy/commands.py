"""The core subcommands: run, policy import/export, check and ca path.

Each handler takes the parsed arguments and the home, prints for people (or JSON for
scripts) and returns an exit code. Domain errors are raised and turned into one line by
``cli.main``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from datetime import datetime
from pathlib import Path

from ..blocklists.live import open_lists
from .paths import Home
from .policy import RequestFacts
from .policyfile import dump_policy, parse_policy
from .ports import DEFAULT_PROXY_PORT, DEFAULT_UI_PORT
from .reasons import Decision
from .runtime import Runtime
from .store import Store
from .urls import Url, parse_url


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit code 1."""


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser("run", help="run the filtering proxy and the settings page")
    run.add_argument("--proxy-host", default="127.0.0.1", help="address the proxy listens on (default 127.0.0.1)")
    run.add_argument("--proxy-port", type=int, default=DEFAULT_PROXY_PORT,
                     help=f"proxy port (default {DEFAULT_PROXY_PORT})")
    run.add_argument("--ui-port", type=int, default=DEFAULT_UI_PORT,
                     help=f"settings page and extension API port (default {DEFAULT_UI_PORT})")
    run.add_argument("--upstream-ca", type=Path, default=None,
                     help="also trust this CA bundle for upstream sites (private or test servers)")
    run.set_defaults(handler=run_service)

    policy = subparsers.add_parser("policy", help="import or export the household policy (TOML)")
    actions = policy.add_subparsers(dest="policy_action", required=True)
    importer = actions.add_parser("import", help="validate a policy file and put it in force")
    importer.add_argument("file", help="the TOML file, or - for standard input")
    importer.set_defaults(handler=import_policy)
    exporter = actions.add_parser("export", help="write the policy in force (standard output without FILE)")
    exporter.add_argument("file", nargs="?", help="where to write it")
    exporter.set_defaults(handler=export_policy)

    check = subparsers.add_parser("check", help="show what Kiteguard would do with a URL, and why")
    check.add_argument("url")
    check.add_argument("--profile", help="the child's profile (default: the household's default profile)")
    check.add_argument("--at", help="the moment to judge, ISO-8601 (default: now); local time if no offset")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(handler=check_url)

    ca = subparsers.add_parser("ca", help="Kiteguard's certificate authority")
    ca_actions = ca.add_subparsers(dest="ca_action", required=True)
    ca_actions.add_parser("path", help="print the CA certificate's PEM path").set_defaults(handler=print_ca_path)


def open_runtime(home: Home) -> Runtime:
    """A Runtime over the home's store, for commands that decide without serving traffic."""
    home.ensure()
    return Runtime(home, Store(home.db_path), lists=open_lists(home.lists_dir))


def run_service(args: argparse.Namespace, home: Home) -> int:
    from .service import ServiceConfig, serve

    home.ensure()
    config = ServiceConfig(
        proxy_host=args.proxy_host, proxy_port=args.proxy_port, ui_port=args.ui_port, upstream_ca=args.upstream_ca
    )
    return asyncio.run(serve(home, config, announce=lambda line: print(line, flush=True)))


def import_policy(args: argparse.Namespace, home: Home) -> int:
    source = "standard input" if args.file == "-" else args.file
    try:
        text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {source}: {exc}") from None
    try:
        household = parse_policy(text)
    except ValueError as exc:
        raise CommandError(f"policy file {source} refused, the policy in force is unchanged: {exc}") from None
    runtime = open_runtime(home)
    revision = runtime.apply_policy(household)
    names = ", ".join(household.profile_names())
    print(f"policy revision {revision} is in force (profiles: {names})")
    return 0


def export_policy(args: argparse.Namespace, home: Home) -> int:
    text = dump_policy(open_runtime(home).household)
    if not args.file:
        sys.stdout.write(text)
        return 0
    target = Path(args.file)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
    return 0


def check_url(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    if args.profile and args.profile not in runtime.household.profile_names():
        known = ", ".join(runtime.household.profile_names())
        raise CommandError(f"unknown profile {args.profile!r}; profiles: {known}")
    profile = runtime.profile(args.profile)
    try:
        url = parse_url(args.url)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    now = _parse_instant(args.at, runtime) if args.at else runtime.now()
    decision = runtime.decide(RequestFacts(url=url), profile.name, now)
    if args.json:
        print(json.dumps(decision.to_json(url.text, profile.name), ensure_ascii=False))
    else:
        print(describe(decision, url, profile.name, runtime))
    return 0


def describe(decision: Decision, url: Url, profile: str, runtime: Runtime) -> str:
    lines = [f"{decision.action}: {url.text} (profile {profile})"]
    if decision.category:
        lines.append(f"  category: {decision.category}")
    for reason in decision.reasons:
        lines.append(f"  because [{reason.source}] {reason.detail}")
    if any(reason.source == "blocklist" for reason in decision.reasons):
        for entry in getattr(runtime.lists, "explain", lambda host, path: [])(url.host, url.path):
            kind = "exception" if entry.exception else entry.category
            lines.append(f"  list {entry.list_name}, line {entry.line}: {entry.rule} ({kind})")
    if decision.reopens_at:
        lines.append(f"  opens again at {decision.reopens_at.astimezone(runtime.tz):%Y-%m-%d %H:%M %Z}")
    if decision.rewrite:
        if decision.rewrite.url:
            lines.append(f"  rewritten to {decision.rewrite.url}")
        for name, value in decision.rewrite.headers:
            lines.append(f"  header {name}: {value}")
    return "\n".join(lines)


def print_ca_path(args: argparse.Namespace, home: Home) -> int:
    from .certauthority import ensure_ca

    print(ensure_ca(home))
    return 0


def _parse_instant(text: str, runtime: Runtime) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--at {text!r} is not an ISO-8601 time such as 2026-11-30T21:15") from None
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=runtime.tz)
    return instant
