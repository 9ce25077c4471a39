"""`kiteguard password set`: set the parent's password from standard input (scripted installs, tests)."""

from __future__ import annotations

import argparse
import sys

from .commands import CommandError
from .password import PasswordFile, PasswordRefused
from .paths import Home


class PasswordCommandError(CommandError):
    """A refused password; printed as one line, exit code 1."""


def register(subparsers: argparse._SubParsersAction) -> None:
    password = subparsers.add_parser("password", help="the parent's password for the settings page")
    actions = password.add_subparsers(dest="password_action", required=True)
    setter = actions.add_parser("set", help="read a new password from standard input (first line)")
    setter.set_defaults(handler=set_password)


def set_password(args: argparse.Namespace, home: Home) -> int:
    line = sys.stdin.readline()
    password = line.rstrip("\r\n")
    if not password:
        raise PasswordCommandError("no password on standard input; the password is unchanged")
    home.ensure()
    try:
        stored = PasswordFile(home.root).set(password)
    except PasswordRefused as exc:
        raise PasswordCommandError(f"password refused, the password is unchanged: {exc}") from None
    strength = "strong enough for LAN access" if stored.strong else "not strong enough for LAN access"
    print(f"parent password saved ({strength})")
    return 0
