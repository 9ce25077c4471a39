"""The questions the terminal wizard asks, reading from any input and writing to any output.

Everything takes ``ask`` (input-like) and ``ask_secret`` (getpass-like) so tests can answer.
"""

from __future__ import annotations

from collections.abc import Callable

from kiteguard.installer.messages import text
from kiteguard.installer.presets import PRESET_IDS, Child
from kiteguard.proxy.password import PasswordRefused, check_new_password

Ask = Callable[[str], str]
PRESET_CHOICES = dict(zip(("1", "2", "3", "4"), PRESET_IDS, strict=True))


def ask_language(ask: Ask) -> str:
    while True:
        answer = ask(text("prompt.language", "vi")).strip().lower() or "vi"
        if answer in ("vi", "en"):
            return answer


def ask_password(ask_secret: Ask, say: Callable[[str], None], language: str) -> str:
    while True:
        first = ask_secret(text("prompt.password", language))
        try:
            check_new_password(first)
        except PasswordRefused:
            say(text("prompt.password_short", language))
            continue
        if ask_secret(text("prompt.password_again", language)) == first:
            return first
        say(text("prompt.password_mismatch", language))


def ask_children(ask: Ask, language: str) -> tuple[Child, ...]:
    children: list[Child] = []
    while True:
        name = ask(text("prompt.child_name", language)).strip()
        if not name:
            return tuple(children)
        while True:
            choice = ask(text("prompt.child_age", language, name=name)).strip()
            if choice in PRESET_CHOICES or choice in PRESET_IDS:
                children.append(Child(name[:64], PRESET_CHOICES.get(choice, choice)))
                break


def ask_step(ask: Ask, language: str) -> str:
    """"yes", "skip" or "quit"."""
    while True:
        answer = ask(text("prompt.step", language)).strip().lower()
        if answer in ("", "y", "yes", "c", "có", "co"):
            return "yes"
        if answer in ("s", "skip", "b"):
            return "skip"
        if answer in ("q", "quit", "t"):
            return "quit"
