"""`kiteguard browsers`: make a pairing code (and the pairing URL), list and revoke paired browsers.

Parent-side commands for scripted installs: the setup wizard prints the pairing URL with
``browsers code``. Children's requests are answered with `kiteguard requests` (timecli).
"""

from __future__ import annotations

import argparse
import json
import urllib.parse
from datetime import datetime, timezone

from .commands import CommandError, open_runtime
from .pairing import PairingError, Pairings
from .paths import Home
from .ports import DEFAULT_UI_PORT


def register(subparsers: argparse._SubParsersAction) -> None:
    browsers = subparsers.add_parser("browsers", help="pair browsers to children, list and revoke them")
    actions = browsers.add_subparsers(dest="browsers_action", required=True)
    code = actions.add_parser("code", help="make a one-time 6-digit pairing code for a child")
    code.add_argument("profile", help="the child's profile name")
    code.add_argument("--json", action="store_true", help="print one JSON object")
    code.set_defaults(handler=make_code)
    listing = actions.add_parser("list", help="paired browsers and when each was last seen")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(handler=list_browsers)
    revoke = actions.add_parser("revoke", help="unpair a browser (it falls back to the default profile)")
    revoke.add_argument("token_id")
    revoke.set_defaults(handler=revoke_browser)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _pairings(home: Home) -> Pairings:
    runtime = open_runtime(home)
    return Pairings(runtime.store, _now, runtime.household.profile_names)


def pairing_url(code: str, ui_port: int) -> str:
    """The URL the setup wizard opens; the code stays in the fragment, which no server ever sees."""
    fragment = urllib.parse.urlencode({"code": code, "api": f"http://127.0.0.1:{ui_port}"})
    return f"http://kiteguard.invalid/pair#{fragment}"


def _ui_port(home: Home) -> int:
    try:
        return int(json.loads(home.run_file.read_text())["ui_port"])
    except (OSError, ValueError, KeyError, TypeError):
        return DEFAULT_UI_PORT


def make_code(args: argparse.Namespace, home: Home) -> int:
    try:
        made = _pairings(home).create_pairing_code(args.profile)
    except PairingError as exc:
        raise CommandError(str(exc)) from None
    url = pairing_url(made.code, _ui_port(home))
    if args.json:
        print(json.dumps({"code": made.code, "profile": made.profile, "expires_at": made.expires_at.isoformat(),
                          "url": url}))
    else:
        print(f"Pairing code for {made.profile}: {made.code} (valid until {made.expires_at:%H:%M} UTC, once)")
        print(f"Or open this address in the child's browser: {url}")
    return 0


def list_browsers(args: argparse.Namespace, home: Home) -> int:
    browsers = _pairings(home).browsers()
    if args.json:
        print(json.dumps([{"token_id": b.token_id, "profile": b.profile, "name": b.name,
                           "paired_at": b.paired_at.isoformat(),
                           "last_seen": b.last_seen.isoformat() if b.last_seen else None,
                           "proxy_ok": b.proxy_ok} for b in browsers]))
        return 0
    for b in browsers:
        seen = f"{b.last_seen:%Y-%m-%d %H:%M} UTC" if b.last_seen else "never"
        print(f"{b.token_id}  {b.profile:<12} {b.name:<24} last seen {seen}")
    if not browsers:
        print("No paired browsers. Make a code with: kiteguard browsers code PROFILE")
    return 0


def revoke_browser(args: argparse.Namespace, home: Home) -> int:
    if not _pairings(home).revoke(args.token_id):
        raise CommandError(f"no paired browser has the id {args.token_id!r}")
    print(f"Revoked {args.token_id}; a running Kiteguard stops trusting it within 10 seconds.")
    return 0
