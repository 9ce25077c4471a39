"""``kiteguard setup``, ``kiteguard uninstall`` and ``kiteguard doctor``.

Handlers take ``(args, home)`` and return an exit code, like every Kiteguard subcommand.
Doctor exits 0 when everything is green, 1 when something needs attention and 3 when
Kiteguard is not installed.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import pwd
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from kiteguard.installer import doctor, plan, prompts, routing
from kiteguard.installer.actions import SystemRoot
from kiteguard.installer.autostart import is_admin_account
from kiteguard.installer.ca import UserAccount
from kiteguard.installer.manifest import Manifest
from kiteguard.installer.messages import text
from kiteguard.installer.presets import Child, ChildError, household_for, parse_child
from kiteguard.installer.wizard import Step, apply_steps, uninstall
from kiteguard.proxy.certauthority import ensure_ca
from kiteguard.proxy.password import PasswordFile, PasswordRefused, check_new_password
from kiteguard.proxy.paths import Home
from kiteguard.proxy.policyfile import dump_policy
from kiteguard.proxy.ports import DEFAULT_PROXY_PORT, DEFAULT_UI_PORT

ABSENT_EXIT = 3


class SetupError(Exception):
    """A problem the parent can fix; printed as one line, exit code 1."""


def register(subparsers: argparse._SubParsersAction) -> None:
    setup = subparsers.add_parser("setup", help="set up this computer: certificate, browsers, service")
    setup.add_argument("--non-interactive", action="store_true", help="ask nothing; take every answer from flags")
    setup.add_argument("--dry-run", action="store_true", help="print every file and command; change nothing")
    setup.add_argument("--root", default="/", help="prefix for every system path (tests use a temporary folder)")
    setup.add_argument("--language", choices=("vi", "en"), help="language of the wizard and the pages")
    setup.add_argument("--password-stdin", action="store_true", help="read the parent password from standard input")
    setup.add_argument("--child", action="append", default=[], metavar="NAME:AGE", help="a child and their age")
    setup.add_argument("--skip", action="append", default=[], metavar="STEP", help="a step (or group) to skip")
    setup.add_argument("--user", action="append", default=[], metavar="U", help="a login whose browsers to set up")
    setup.add_argument("--platform", choices=("linux", "windows", "macos"), default=plan.this_platform(),
                       help="whose steps to show or run (another system's only with --dry-run)")
    setup.add_argument("--proxy-port", type=int, default=DEFAULT_PROXY_PORT)
    setup.add_argument("--ui-port", type=int, default=DEFAULT_UI_PORT)
    setup.set_defaults(handler=run_setup)

    remove = subparsers.add_parser("uninstall", help="undo every change setup made, file by file")
    remove.add_argument("--language", choices=("vi", "en"))
    remove.set_defaults(handler=run_uninstall)

    check = subparsers.add_parser("doctor", help="check the install and say what to fix")
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.add_argument("--language", choices=("vi", "en"))
    check.set_defaults(handler=run_doctor)


def manifest_for(home: Home) -> Manifest:
    return Manifest(home.root / "installer")


def run_setup(args: argparse.Namespace, home: Home, ask: Callable[[str], str] = input,
              ask_secret: Callable[[str], str] = getpass.getpass) -> int:
    interactive = not args.non_interactive
    language = args.language or (prompts.ask_language(ask) if interactive else "vi")
    target = SystemRoot(Path(args.root))
    if target.is_live and not args.dry_run and os.geteuid() != 0:
        return _fail(text("error.not_root", language))
    try:
        children = tuple(parse_child(value) for value in args.child)
    except ChildError as exc:
        return _fail(text("error.bad_child", language, value=str(exc)))
    users = []
    for name in args.user:
        try:
            users.append(UserAccount(name, pwd.getpwnam(name).pw_dir))
        except KeyError:
            return _fail(text("error.unknown_user", language, user=name))
    password = _password(args, home, interactive, language, ask_secret)
    if interactive and not children:
        children = prompts.ask_children(ask, language)
    service_needs_home = target.is_live and args.platform == "linux" and "autostart" not in args.skip
    if service_needs_home and not args.dry_run and not _reachable_by_service(home.root):
        return _fail(text("error.home_private", language, home=str(home.root)))
    with tempfile.TemporaryDirectory() as scratch:
        if args.dry_run and not home.ca_cert_path.exists():
            ca_pem = ensure_ca(Home(Path(scratch))).read_bytes()  # a dry run must not create the CA
        else:
            ca_pem = ensure_ca(home).read_bytes()
        config = _config(args, home, ca_pem, tuple(users))
        if args.platform != plan.this_platform() and not args.dry_run:
            return _fail(text("error.other_platform", language, platform=args.platform))
        everything = plan.steps_for(args.platform, _without_skips(config), target)
        unknown = plan.unknown_skips(config, everything)
        if unknown:
            known = ", ".join((*plan.STEP_GROUPS, *(step.id for step in everything)))
            return _fail(text("error.unknown_skip", language, names=", ".join(unknown), known=known))
        steps = tuple(step for step in everything if not config.skips(step.id))
        if password is None and not args.dry_run and not PasswordFile(home.root).exists():
            return _fail(text("error.password_stdin" if args.password_stdin else "error.no_password", language))
        if args.dry_run:
            _print_plan(steps, target, language, children, config)
            return 0
        _save_household(home, children, language, password)
        for user in users:
            if is_admin_account(user.name, _group_text(target)):
                print(text("setup.child_admin", language, user=user.name))
        return _apply(steps, target, home, config, language, interactive, ask)


def run_uninstall(args: argparse.Namespace, home: Home) -> int:
    manifest = manifest_for(home)
    language = args.language or manifest.data.get("settings", {}).get("language", "vi")
    if not manifest.exists:
        print(text("uninstall.nothing", language))
        return 0
    target = SystemRoot(Path(manifest.data.get("root") or "/"))
    if target.is_live and os.geteuid() != 0:
        return _fail(text("error.not_root", language))
    problems = uninstall(target, manifest)
    if problems:
        print(text("uninstall.problems", language))
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print(text("uninstall.done", language))
    return 0


def run_doctor(args: argparse.Namespace, home: Home) -> int:
    manifest = manifest_for(home)
    language = args.language or manifest.data.get("settings", {}).get("language", "vi")
    target = SystemRoot(Path(manifest.data.get("root") or "/"))
    findings = doctor.examine(manifest, target, home.root, datetime.now(timezone.utc))
    problems = [f for f in findings if f.status == doctor.PROBLEM]
    absent = any(f.status == doctor.ABSENT for f in findings)
    if args.json:
        words = lambda key, **params: text(key, language, **params)  # noqa: E731 - a bound translator
        print(json.dumps({"installed": not absent, "ok": not problems and not absent,
                          "findings": [f.as_json(words) for f in findings]}, ensure_ascii=False, indent=2))
    else:
        print(text("doctor.title", language))
        for finding in findings:
            status = text("doctor.status." + finding.status, language)
            print(f"[{status}] {text(finding.key, language, **finding.params)}")
            if finding.fix_key:
                print(f"    {text(finding.fix_key, language, **finding.params)}")
        if not absent:
            summary = ("doctor.all_green", {}) if not problems else ("doctor.some_problems", {"count": len(problems)})
            print(text(summary[0], language, **summary[1]))
    return ABSENT_EXIT if absent else (1 if problems else 0)


def _config(args: argparse.Namespace, home: Home, ca_pem: bytes, users: tuple[UserAccount, ...]) -> plan.SetupConfig:
    return plan.SetupConfig(
        home=home.root, ca_cert_path=home.ca_cert_path, ca_pem=ca_pem,
        extension=plan.extension_source(args.ui_port), users=users,
        skip=frozenset(args.skip), proxy_port=args.proxy_port, ui_port=args.ui_port,
        pairing=(("server", f"http://127.0.0.1:{args.ui_port}"),),
    )


def _without_skips(config: plan.SetupConfig) -> plan.SetupConfig:
    return replace(config, skip=frozenset())


def _password(args: argparse.Namespace, home: Home, interactive: bool, language: str,
              ask_secret: Callable[[str], str]) -> str | None:
    if args.password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        try:
            check_new_password(value)
        except PasswordRefused:
            return None
        return value
    if interactive and not args.dry_run:
        return prompts.ask_password(ask_secret, print, language)
    return None


def _save_household(home: Home, children: tuple[Child, ...], language: str, password: str | None) -> None:
    from kiteguard.proxy.runtime import load_household
    from kiteguard.proxy.store import Store

    home.ensure()
    if password is not None:
        PasswordFile(home.root).set(password)  # the settings page's own password store
        print(text("setup.password_saved", language))
    if not children:
        return
    store = Store(home.db_path)
    try:
        current, _ = load_household(store)
        store.save_policy(dump_policy(household_for(children, language, current)))
    finally:
        store.close()
    names = ", ".join(child.name for child in children)
    print(text("setup.children_saved", language, count=len(children), names=names))


def _apply(steps: tuple[Step, ...], target: SystemRoot, home: Home, config: plan.SetupConfig, language: str,
           interactive: bool, ask: Callable[[str], str]) -> int:
    manifest = manifest_for(home)
    manifest.data["settings"] = {
        "language": language, "proxy_port": config.proxy_port, "ui_port": config.ui_port,
        "ca_cert_path": str(config.ca_cert_path), "users": [[u.name, u.home] for u in config.users],
    }
    quit_now = False

    def confirm(step: Step) -> bool:
        nonlocal quit_now
        if not interactive:
            return True
        if quit_now:
            return False
        _print_step(step, steps, target, language)
        answer = prompts.ask_step(ask, language)
        quit_now = answer == "quit"
        return answer == "yes"

    outcomes = apply_steps(steps, target, manifest, datetime.now(timezone.utc), confirm)
    for outcome in outcomes:
        detail = text(f"setup.outcome.{outcome.status}", language, detail=outcome.detail)
        print(f"  {outcome.step}: {detail}")
    print(text("setup.advice_accounts", language))
    if any(outcome.status == "failed" for outcome in outcomes):
        print(text("setup.failed", language))
        return 1
    print(text("setup.finished", language))
    return 0


def _print_step(step: Step, steps: tuple[Step, ...], target: SystemRoot, language: str) -> None:
    print(text("setup.step_header", language, number=steps.index(step) + 1, total=len(steps),
               title=text(step.title_key, language), id=step.id))
    for line in step.describe(target) or [text("dryrun.nothing", language)]:
        print(f"    {line}")
    if step.note_key:
        print(f"    {text(step.note_key, language)}")


def _print_plan(steps: tuple[Step, ...], target: SystemRoot, language: str, children: tuple[Child, ...],
                config: plan.SetupConfig) -> None:
    """Every step, then what setup keeps under Kiteguard's own home (not undone by uninstall)."""
    print(text("dryrun.header", language))
    for step in steps:
        _print_step(step, steps, target, language)
    print(text("dryrun.home", language, home=str(config.home)))
    print(f"    write {PasswordFile(config.home).path} (mode 0600, scrypt hash)")
    for child in children:
        print(f"    profile {child.name}: preset {child.preset} -> {config.home / 'kiteguard.sqlite3'}")
    print(f"    record {config.home / 'installer' / 'manifest.json'} (mode 0600)")
    print(f"    PAC {routing.pac_url(config.ui_port)}")


def _reachable_by_service(folder: Path) -> bool:
    """The service's own user must be able to walk down to home: no parent may be private (/root)."""
    return all(parent.stat().st_mode & 0o001 for parent in folder.absolute().parents if parent.exists())


def _group_text(target: SystemRoot) -> str:
    path = target.path("/etc/group")
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


def _fail(message: str) -> int:
    print(f"kiteguard: {message}", file=sys.stderr)
    return 1
