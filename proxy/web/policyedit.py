"""Every change the settings page makes to the policy goes through here.

The page edits the same tables as the policy file, then hands them to the same validation as
``kiteguard policy import`` (``household_from_dict``) and puts the result in force with
``Runtime.apply_policy``. So the page and the file can never disagree, and a refused change
leaves the policy in force untouched.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from typing import Any

from ..household import Household
from ..policyfile import PolicyError, dump_policy, household_from_dict
from ..runtime import Runtime

Table = dict[str, Any]


def policy_tables(household: Household) -> Table:
    """The household as the policy file's tables (a fresh, mutable copy)."""
    return tomllib.loads(dump_policy(household))


def profile_table(data: Table, name: str) -> Table:
    for table in data["profiles"]:
        if table["name"] == name:
            return table
    raise PolicyError("profiles", f"there is no child named {name!r}")


def change_policy(runtime: Runtime, change: Callable[[Table], None]) -> Household:
    """Apply ``change`` to the policy in force, validate, save and put it in force; raises PolicyError."""
    runtime.reload_policy_if_changed()  # start from what `policy import` may just have saved
    data = policy_tables(runtime.household)
    change(data)
    household = household_from_dict(data)
    runtime.apply_policy(household)
    return household


def change_profile(runtime: Runtime, name: str, change: Callable[[Table], None]) -> Household:
    return change_policy(runtime, lambda data: change(profile_table(data, name)))
