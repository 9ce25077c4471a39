"""Children from the command line (``--child NAME:AGE``) turned into profiles with an age preset.

The presets themselves are the settings page's (``kiteguard.proxy.presets``), so a child set up
here looks exactly like one added on the page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from kiteguard.proxy.household import Household
from kiteguard.proxy.policyfile import dump_policy, household_from_dict
from kiteguard.proxy.presets import PRESETS, preset

PRESET_IDS: tuple[str, ...] = tuple(item.id for item in PRESETS)


@dataclass(frozen=True)
class Child:
    name: str
    preset: str


class ChildError(ValueError):
    """A ``--child`` value that is not NAME:AGE."""


def preset_for_age(age: str) -> str:
    """"9" -> "6-9"; a preset id is returned as is."""
    if age in PRESET_IDS:
        return age
    if not age.isdigit() or not 6 <= int(age) <= 17:
        raise ChildError(age)
    years = int(age)
    return next(name for name in PRESET_IDS if int(name.split("-")[0]) <= years <= int(name.split("-")[1]))


def parse_child(value: str) -> Child:
    name, sep, age = value.rpartition(":")
    if not sep or not name.strip() or len(name.strip()) > 64:
        raise ChildError(value)
    try:
        return Child(name.strip(), preset_for_age(age.strip()))
    except ChildError:
        raise ChildError(value) from None


def household_for(children: tuple[Child, ...], language: str, base: Household) -> Household:
    """The household with one profile per child, keeping every other profile the parent made.

    A child whose profile exists gets the preset over it (their own sites and time windows
    stay). The first child becomes the default profile, so an unknown device gets a child's
    rules rather than none.
    """
    data: dict[str, Any] = tomllib.loads(dump_policy(base))
    profiles: list[dict[str, Any]] = data["profiles"]
    for child in children:
        table = next((p for p in profiles if p["name"] == child.name), None)
        if table is None:
            table = {"name": child.name}
            profiles.append(table)
        preset(child.preset).apply(table)
    data["language"] = language
    if children:
        data["default_profile"] = children[0].name
    return household_from_dict(data)

