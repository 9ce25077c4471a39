"""Time-rule subcommands: ``usage`` (minutes per category, quota, remaining), ``requests`` (list,
approve, deny a child's requests), ``clock`` (Kiteguard's time, and trusting the computer's clock
again) and ``pin set`` (the parent's PIN for block pages).

An approval made here is stored; a running ``kiteguard run`` applies it within a couple of
seconds, without a restart.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import date, datetime
from typing import Any

from . import parentpin, requests, timerules
from .clockguard import TOLERANCE, Mark, boot_id, describe, elapsed_seconds, reset_mark, trusted_now
from .commands import CommandError, open_runtime
from .household import Household
from .paths import Home
from .runtime import Runtime, utc_now


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    usage = subparsers.add_parser("usage", help="minutes used per category today, the quota and what is left")
    usage.add_argument("--profile", help="one child's profile (default: every profile)")
    usage.add_argument("--date", help="a local day, YYYY-MM-DD (default: today)")
    usage.add_argument("--json", action="store_true", help="print one JSON object")
    usage.set_defaults(handler=show_usage)

    asks = subparsers.add_parser("requests", help="a child's requests for more time or a site: list, approve, deny")
    asks.set_defaults(handler=list_asks, status=None, profile=None, json=False)
    actions = asks.add_subparsers(dest="requests_action", metavar="ACTION")
    listing = actions.add_parser("list", help="list requests, newest first (the default)")
    listing.add_argument("--status", choices=requests.STATUSES, help="only pending, approved or denied ones")
    listing.add_argument("--profile", help="only this child's")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    listing.set_defaults(handler=list_asks)
    approve = actions.add_parser("approve", help="say yes: bonus minutes for today, or open the site")
    approve.add_argument("id", type=int)
    approve.add_argument("--minutes", type=int, help="minutes to give (default: what was asked; a site: 60)")
    approve.set_defaults(handler=approve_ask)
    deny = actions.add_parser("deny", help="say no")
    deny.add_argument("id", type=int)
    deny.set_defaults(handler=deny_ask)

    clock = subparsers.add_parser("clock", help="Kiteguard's time beside the computer's; trust the computer's again")
    clock.set_defaults(handler=show_clock)
    clock_actions = clock.add_subparsers(dest="clock_action", metavar="ACTION")
    clock_actions.add_parser("status", help="show both times (the default)").set_defaults(handler=show_clock)
    clock_actions.add_parser(
        "trust", help="the computer's clock is right: Kiteguard follows it again, even if it is earlier"
    ).set_defaults(handler=trust_clock)

    pin = subparsers.add_parser("pin", help="the parent's PIN, typed on a block page to approve at once")
    pin_actions = pin.add_subparsers(dest="pin_action", required=True, metavar="ACTION")
    pin_actions.add_parser("set", help="set the PIN, read from standard input (4 to 12 digits)").set_defaults(
        handler=set_pin
    )


def usage_report(runtime: Runtime, day: date, profile: str | None = None) -> dict[str, Any]:
    household = runtime.household
    stored = runtime.store.usage_on(day, profile)
    profiles = [household.profile(profile)] if profile else list(household.profiles)
    report = []
    for item in profiles:
        used_in = {category for (name, category) in stored if name == item.name}
        rows = []
        for category in sorted(used_in | set(item.quotas.categories())):
            seconds, bonus = stored.get((item.name, category), (0.0, 0))
            quota = item.quotas.minutes_for(category, timerules.day_name(day))
            used = int(seconds // 60)
            remaining = None if quota is None else max(0, quota + bonus - used)
            rows.append({"category": category, "used_minutes": used, "quota_minutes": quota,
                         "bonus_minutes": bonus, "remaining_minutes": remaining})
        report.append({"profile": item.name, "categories": rows})
    return {"date": day.isoformat(), "timezone": household.timezone, "profiles": report}


def show_usage(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    _check_profile(runtime.household, args.profile)
    if args.date:
        try:
            day = date.fromisoformat(args.date)
        except ValueError:
            raise CommandError(f"--date {args.date!r} is not a day such as 2026-11-30") from None
    else:
        day = timerules.local_day(_trusted_now(runtime), runtime.tz)
    report = usage_report(runtime, day, args.profile)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
        return 0
    print(f"usage on {report['date']} ({report['timezone']})")
    for item in report["profiles"]:
        print(f"{item['profile']}:")
        if not item["categories"]:
            print("  nothing counted, no quotas")
        for row in item["categories"]:
            quota = "no quota" if row["quota_minutes"] is None else f"quota {row['quota_minutes']}"
            bonus = f" + {row['bonus_minutes']} bonus" if row["bonus_minutes"] else ""
            left = "" if row["remaining_minutes"] is None else f", {row['remaining_minutes']} left"
            print(f"  {row['category']:<14} {row['used_minutes']:>4} min used, {quota}{bonus}{left}")
    return 0


def list_asks(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    found = requests.list_requests(runtime.store, status=args.status, profile=args.profile)
    if args.json:
        print(json.dumps({"requests": [_ask_json(item) for item in found]}, ensure_ascii=False))
        return 0
    if not found:
        print("no requests")
    for item in found:
        what = f"{item.minutes} min of {item.category}" if item.kind == "time" else f"open {item.host}"
        when = item.at.astimezone(runtime.tz).strftime("%Y-%m-%d %H:%M")
        message = f" \"{item.message}\"" if item.message else ""
        print(f"#{item.id} {when} {item.profile}: {what} [{item.status}]{message}")
    return 0


def approve_ask(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    try:
        done = requests.approve_request(runtime, args.id, minutes=args.minutes, now=_trusted_now(runtime))
    except requests.RequestError as exc:
        raise CommandError(str(exc)) from None
    if done.kind == "time":
        print(f"request {done.id} approved: {done.granted_minutes} more minutes of {done.category} today "
              f"for {done.profile}")
    else:
        print(f"request {done.id} approved: {done.host} is open for {done.profile} for {done.granted_minutes} minutes")
    return 0


def deny_ask(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    try:
        done = requests.deny_request(runtime, args.id, now=_trusted_now(runtime))
    except requests.RequestError as exc:
        raise CommandError(str(exc)) from None
    print(f"request {done.id} denied")
    return 0


def show_clock(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    computer, kiteguard = utc_now(), _trusted_now(runtime)
    print(f"computer's clock: {computer.astimezone(runtime.tz):%Y-%m-%d %H:%M:%S %Z}")
    print(f"Kiteguard's time: {kiteguard.astimezone(runtime.tz):%Y-%m-%d %H:%M:%S %Z}")
    if abs(kiteguard - computer) > TOLERANCE:
        print(f"they differ by {describe(abs(kiteguard - computer))}; if the computer's clock is right, "
              "run: kiteguard clock trust")
    return 0


def trust_clock(args: argparse.Namespace, home: Home) -> int:
    runtime = open_runtime(home)
    computer = utc_now()
    reset_mark(runtime.store, Mark(computer, boot_id(), elapsed_seconds()))
    runtime.store.add_alert("clock", f"a parent told Kiteguard to trust the computer's clock "
                                     f"({computer:%Y-%m-%d %H:%M} UTC)", now=computer)
    print(f"Kiteguard follows the computer's clock again: {computer.astimezone(runtime.tz):%Y-%m-%d %H:%M %Z} "
          "(a running Kiteguard takes it within a few seconds)")
    return 0


def set_pin(args: argparse.Namespace, home: Home) -> int:
    text = getpass.getpass("New PIN: ") if sys.stdin.isatty() else sys.stdin.readline()
    try:
        parentpin.set_pin(home, text)
    except parentpin.PinError as exc:
        raise CommandError(str(exc)) from None
    print("the PIN is set; a parent can type it on a block page to approve a request at once")
    return 0


def _trusted_now(runtime: Runtime) -> datetime:
    """Now, but never before the running service's high-water mark (a clock set back changes nothing)."""
    return trusted_now(runtime.store, utc_now)


def _check_profile(household: Household, profile: str | None) -> None:
    if profile and profile not in household.profile_names():
        raise CommandError(f"unknown profile {profile!r}; profiles: {', '.join(household.profile_names())}")


def _ask_json(item: requests.TimeRequest) -> dict[str, Any]:
    return {"id": item.id, "at": item.at.isoformat(), "profile": item.profile, "kind": item.kind,
            "category": item.category, "minutes": item.minutes, "host": item.host, "message": item.message,
            "status": item.status, "decided_at": item.decided_at.isoformat() if item.decided_at else None,
            "granted_minutes": item.granted_minutes}
