"""The `kiteguard` command line. Its subcommands and output are a public contract.

Feature modules contribute subcommands through ``register(subparsers)``; handlers take
``(args, home)`` and return an exit code. Errors a user can fix print one line and exit 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from .. import __version__
from ..blocklists import cli as lists_cli
from ..installer import cli as installer_cli
from . import browsercli, commands, passwordcli, timecli
from .paths import resolve_home
from .policyfile import PolicyError
from .ports import PortBusy
from .store import StoreError

COMMAND_MODULES: tuple[ModuleType, ...] = (commands, timecli, lists_cli, passwordcli, installer_cli, browsercli)
USER_ERRORS = (commands.CommandError, PolicyError, PortBusy, StoreError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiteguard", description="Kiteguard: a parental-protection filter.")
    parser.add_argument("--home", help="state directory (default: $KITEGUARD_HOME, else the user data dir)")
    parser.add_argument("--version", action="version", version=f"kiteguard {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.handler(args, resolve_home(args.home)) or 0)
    except USER_ERRORS as exc:
        print(f"kiteguard: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
