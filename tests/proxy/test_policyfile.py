"""The household policy file: validation names the bad value, export is canonical."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiteguard.proxy.policyfile import PolicyError, dump_policy, parse_policy

# The example, plus per-day quota overrides and a second child.
EXAMPLE = (
    Path(__file__).with_name("household_example.toml").read_text(encoding="utf-8")
    .replace("  social = 30\n", "  social = 30\n  weekend = {video = 90}\n  sat = {video = 120}\n")
    + '\n[[profiles]]\nname = "minh"\nblock = ["adult"]\n'
)


def test_export_import_export_is_byte_identical() -> None:
    first = dump_policy(parse_policy(EXAMPLE))
    second = dump_policy(parse_policy(first))
    assert first == second
    assert 'deny = ["example-bad.vn"]' in first


def test_the_example_policy_means_what_it_says() -> None:
    household = parse_policy(EXAMPLE)
    child = household.profile("be-an")
    assert household.default().name == "be-an"
    assert child.action_for("gambling") == "block" and child.action_for("dating") == "warn"
    assert child.action_for("games") == "allow"
    assert child.offline[0].crosses_midnight
    assert child.quotas.minutes_for("video", "sat") == 120  # a single day beats its group
    assert child.quotas.minutes_for("video", "sun") == 90
    assert child.quotas.minutes_for("video", "mon") is None
    assert child.quotas.minutes_for("games", "mon") == 60


def test_unknown_profile_names_get_the_default_never_a_looser_one() -> None:
    household = parse_policy(EXAMPLE)
    assert household.profile("forged").name == "be-an"
    assert household.profile(None).name == "be-an"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        # times and days
        (('to = "06:30"', 'to = "25:61"'), "profiles[0].offline[0].to", "'25:61' is not a time of day"),
        (('from = "21:00"', 'from = "9pm"'), "profiles[0].offline[0].from", "'9pm'"),
        (('days = ["mon", "tue"', 'days = ["monday", "tue"'), "profiles[0].offline[0].days", "'monday'"),
        (('from = "21:00"', 'from = "06:30"'), "profiles[0].offline[0].to", "empty"),
        # categories, quotas and names
        (('block = ["adult",', 'block = ["casino",'), "profiles[0].block", "unknown category 'casino'"),
        (("games = 60", "gamez = 60"), "profiles[0].quotas.gamez", "'gamez'"),
        (("games = 60", "games = -5"), "profiles[0].quotas.games", "-5"),
        (("weekend = {video = 90}", "weekend = {vidoe = 90}"), "profiles[0].quotas.weekend.vidoe", "vidoe"),
        (('name = "minh"', 'name = "be-an"'), "profiles[1].name", "used twice"),
        (('default_profile = "be-an"', 'default_profile = "nobody"'), "default_profile", "'nobody'"),
        (('warn = ["hate_bullying", "dating"]', 'warn = ["adult"]'), "profiles[0].warn", "also in block"),
        # household keys, domains, time zone
        (('language = "vi"', 'language = "fr"'), "language", "'fr'"),
        (('timezone = "Asia/Ho_Chi_Minh"', 'timezone = "Mars/Olympus"'), "timezone", "Mars/Olympus"),
        (('safe_search = true', 'safe_search = "yes"'), "profiles[0].safe_search", "true or false"),
        (('allow = ["khanacademy.org"]', 'allow = ["not a domain"]'), "profiles[0].allow", "'not a domain'"),
        (('allow = ["khanacademy.org"]', 'allow = ["example-bad.vn"]'), "profiles[0].allow", "also in deny"),
        (('safe_search = true', 'safe_search = true\nsafesearch = true'), "profiles[0].safesearch", "unknown key"),
    ],
)
def test_a_bad_value_is_refused_with_its_field_named(change: tuple[str, str], field: str, words: str) -> None:
    old, new = change
    assert old in EXAMPLE
    with pytest.raises(PolicyError) as caught:
        parse_policy(EXAMPLE.replace(old, new, 1))
    assert caught.value.field == field
    assert words in str(caught.value)


def test_broken_toml_is_refused_with_a_clear_message() -> None:
    with pytest.raises(PolicyError, match="not valid TOML"):
        parse_policy("[[profiles]\nname = ")


def test_a_policy_needs_a_profile() -> None:
    with pytest.raises(PolicyError, match="at least one"):
        parse_policy('language = "en"\n')


def test_international_domains_are_stored_as_punycode() -> None:
    household = parse_policy(EXAMPLE.replace('deny = ["example-bad.vn"]', 'deny = ["Nhà-Cái.VN."]'))
    assert household.profile("be-an").deny == ("nhà-cái.vn".encode("idna").decode(),)
    assert household.profile("be-an").deny[0].startswith("xn--")
