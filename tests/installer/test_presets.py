from __future__ import annotations

import pytest

from kiteguard.installer.presets import Child, ChildError, household_for, parse_child, preset_for_age
from kiteguard.proxy.household import Household, Profile
from kiteguard.proxy.policyfile import dump_policy, parse_policy


# Ages map onto the settings page's four presets.
@pytest.mark.parametrize(
    ("age", "preset"),
    [("6", "6-9"), ("9", "6-9"), ("10", "10-12"), ("12", "10-12"), ("13", "13-15"), ("15", "13-15"),
     ("16", "16-17"), ("17", "16-17"), ("10-12", "10-12")],
)
def test_preset_for_age(age: str, preset: str) -> None:
    assert preset_for_age(age) == preset


@pytest.mark.parametrize("value", ["An", "An:", ":8", "An:5", "An:18", "An:tám", "An:-1"])
def test_bad_children_are_refused(value: str) -> None:
    with pytest.raises(ChildError):
        parse_child(value)


def test_names_may_hold_colons_and_vietnamese() -> None:
    assert parse_child("Nguyễn: Bé Na:7") == Child("Nguyễn: Bé Na", "6-9")


def test_household_gets_a_profile_per_child_and_keeps_the_others() -> None:
    base = Household(profiles=(Profile("child"), Profile("Bình", allow=("vnexpress.net",))), default_profile="child")
    household = household_for((Child("An", "6-9"), Child("Bình", "13-15")), "en", base)
    assert set(household.profile_names()) == {"An", "Bình", "child"}
    assert household.default_profile == "An" and household.language == "en"
    assert household.profile("An").youtube_restrict == "strict" and "social" in household.profile("An").block
    assert household.profile("Bình").youtube_restrict == "moderate"
    assert household.profile("Bình").allow == ("vnexpress.net",)  # the preset leaves their own sites alone
    text = dump_policy(household)
    assert dump_policy(parse_policy(text)) == text
