"""Reading and writing the household policy file (TOML).

``parse_policy`` validates everything and names the field and the bad value on error;
``dump_policy`` writes one canonical form, so export -> import -> export is byte-identical.

Exceptions::

    PolicyError            any refused policy file; ``field`` names the offending key
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .categories import CATEGORIES, category_order, is_category
from .household import (
    DAY_GROUPS,
    DAYS,
    LANGUAGES,
    SENSITIVITIES,
    YOUTUBE_MODES,
    CategoryWindow,
    Household,
    Profile,
    Quotas,
    TimeWindow,
)
from .urls import InvalidHost, normalise_host

MAX_QUOTA_MINUTES = 24 * 60
HOUSEHOLD_KEYS = {"language", "timezone", "default_profile", "retention_days", "log_full_urls", "profiles"}
PROFILE_KEYS = {
    "name", "block", "warn", "safe_search", "youtube_restrict", "sensitivity", "block_ip_urls",
    "allow", "deny", "offline", "windows", "quotas",
}
WINDOW_KEYS = {"days", "from", "to"}


class PolicyError(ValueError):
    """A policy file was refused. ``field`` is a dotted path such as ``profiles[0].offline[1].from``."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field
        self.message = message


def parse_policy(text: str) -> Household:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError("", f"not valid TOML: {exc}") from None
    return household_from_dict(data)


def household_from_dict(data: Mapping[str, Any]) -> Household:
    _reject_unknown(data, HOUSEHOLD_KEYS, "")
    language = _choice(data.get("language", "vi"), LANGUAGES, "language")
    timezone = _string(data.get("timezone", "Asia/Ho_Chi_Minh"), "timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError("timezone", f"{timezone!r} is not an IANA time zone") from None
    retention = _integer(data.get("retention_days", 30), "retention_days", low=1, high=3650)
    log_full_urls = _boolean(data.get("log_full_urls", False), "log_full_urls")
    raw_profiles = data.get("profiles")
    if not isinstance(raw_profiles, list) or not raw_profiles:
        raise PolicyError("profiles", "at least one [[profiles]] table is required")
    profiles = tuple(_profile(raw, f"profiles[{i}]") for i, raw in enumerate(raw_profiles))
    names = [profile.name for profile in profiles]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise PolicyError(f"profiles[{i}].name", f"profile name {name!r} is used twice")
    default = _string(data.get("default_profile", names[0]), "default_profile")
    if default not in names:
        raise PolicyError("default_profile", f"{default!r} is not one of the profiles {names}")
    return Household(
        language=language,
        timezone=timezone,
        default_profile=default,
        retention_days=retention,
        log_full_urls=log_full_urls,
        profiles=profiles,
    )


def _profile(raw: Any, where: str) -> Profile:
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "must be a table")
    _reject_unknown(raw, PROFILE_KEYS, where)
    name = _string(raw.get("name"), f"{where}.name")
    if not name.strip() or len(name) > 64:
        raise PolicyError(f"{where}.name", f"{name!r} must be 1 to 64 characters")
    block = _categories(raw.get("block", []), f"{where}.block")
    warn = _categories(raw.get("warn", []), f"{where}.warn")
    for category in warn:
        if category in block:
            raise PolicyError(f"{where}.warn", f"{category!r} is also in block")
    allow = _domains(raw.get("allow", []), f"{where}.allow")
    deny = _domains(raw.get("deny", []), f"{where}.deny")
    for domain in allow:
        if domain in deny:
            raise PolicyError(f"{where}.allow", f"{domain!r} is also in deny")
    raw_offline = _list(raw.get("offline", []), f"{where}.offline")
    offline = tuple(_window(item, f"{where}.offline[{i}]") for i, item in enumerate(raw_offline))
    windows = tuple(
        _category_window(item, f"{where}.windows[{i}]")
        for i, item in enumerate(_list(raw.get("windows", []), f"{where}.windows"))
    )
    return Profile(
        name=name,
        block=block,
        warn=warn,
        safe_search=_boolean(raw.get("safe_search", False), f"{where}.safe_search"),
        youtube_restrict=_choice(raw.get("youtube_restrict", "off"), YOUTUBE_MODES, f"{where}.youtube_restrict"),
        sensitivity=_choice(raw.get("sensitivity", "balanced"), SENSITIVITIES, f"{where}.sensitivity"),
        block_ip_urls=_boolean(raw.get("block_ip_urls", False), f"{where}.block_ip_urls"),
        allow=allow,
        deny=deny,
        offline=offline,
        windows=windows,
        quotas=_quotas(raw.get("quotas", {}), f"{where}.quotas"),
    )


def _window(raw: Any, where: str) -> TimeWindow:
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "must be a table with days, from and to")
    _reject_unknown(raw, WINDOW_KEYS | {"category"}, where)
    days = _days(raw.get("days", list(DAYS)), f"{where}.days")
    start = _time_of_day(raw.get("from"), f"{where}.from")
    end = _time_of_day(raw.get("to"), f"{where}.to")
    if start == end:
        raise PolicyError(f"{where}.to", f"from and to are both {start:%H:%M}: the window would be empty")
    return TimeWindow(days=days, start=start, end=end)


def _category_window(raw: Any, where: str) -> CategoryWindow:
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "must be a table with category, days, from and to")
    category = _string(raw.get("category"), f"{where}.category")
    if not is_category(category):
        raise PolicyError(f"{where}.category", f"unknown category {category!r}")
    return CategoryWindow(category=category, window=_window(raw, where))


def _quotas(raw: Any, where: str) -> Quotas:
    if not isinstance(raw, Mapping):
        raise PolicyError(where, "must be a table of minutes per category")
    daily: list[tuple[str, int]] = []
    overrides: list[tuple[str, tuple[tuple[str, int], ...]]] = []
    for key, value in raw.items():
        if is_category(key):
            daily.append((key, _integer(value, f"{where}.{key}", low=0, high=MAX_QUOTA_MINUTES)))
        elif key in DAYS or key in DAY_GROUPS:
            if not isinstance(value, Mapping):
                raise PolicyError(f"{where}.{key}", "must be a table such as {video = 90}")
            table = []
            for category, minutes in value.items():
                if not is_category(category):
                    raise PolicyError(f"{where}.{key}.{category}", f"unknown category {category!r}")
                table.append((category, _integer(minutes, f"{where}.{key}.{category}", low=0, high=MAX_QUOTA_MINUTES)))
            overrides.append((key, tuple(sorted(table, key=lambda item: category_order(item[0])))))
        else:
            raise PolicyError(f"{where}.{key}", f"{key!r} is neither a category nor a day (mon..sun, weekday, weekend)")
    override_order = DAYS + tuple(DAY_GROUPS)
    return Quotas(
        daily=tuple(sorted(daily, key=lambda item: category_order(item[0]))),
        overrides=tuple(sorted(overrides, key=lambda item: override_order.index(item[0]))),
    )


# -- scalar checks ---------------------------------------------------------------------------------------


def _reject_unknown(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in raw:
        if key not in allowed:
            field = f"{where}.{key}" if where else key
            raise PolicyError(field, f"unknown key {key!r}")


def _string(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise PolicyError(field, f"expected text, got {value!r}")
    return value


def _boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise PolicyError(field, f"expected true or false, got {value!r}")
    return value


def _integer(value: Any, field: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PolicyError(field, f"{value!r} is not a whole number from {low} to {high}")
    return value


def _choice(value: Any, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise PolicyError(field, f"{value!r} is not one of {', '.join(choices)}")
    return str(value)


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise PolicyError(field, f"expected a list, got {value!r}")
    return value


def _categories(value: Any, field: str) -> tuple[str, ...]:
    names = []
    for item in _list(value, field):
        if not isinstance(item, str) or not is_category(item):
            raise PolicyError(field, f"unknown category {item!r}; known: {', '.join(CATEGORIES)}")
        if item in names:
            raise PolicyError(field, f"category {item!r} is listed twice")
        names.append(item)
    return tuple(sorted(names, key=category_order))


def _domains(value: Any, field: str) -> tuple[str, ...]:
    domains: set[str] = set()
    for item in _list(value, field):
        if not isinstance(item, str):
            raise PolicyError(field, f"expected a domain name, got {item!r}")
        try:
            domains.add(normalise_host(item))
        except InvalidHost as exc:
            raise PolicyError(field, f"{item!r} is not a domain name ({exc})") from None
    return tuple(sorted(domains))


def _days(value: Any, field: str) -> tuple[str, ...]:
    days = set()
    for item in _list(value, field):
        if item in DAY_GROUPS:
            days.update(DAY_GROUPS[item])
        elif item in DAYS:
            days.add(item)
        else:
            raise PolicyError(field, f"{item!r} is not a day (mon..sun, weekday, weekend)")
    if not days:
        raise PolicyError(field, "at least one day is required")
    return tuple(day for day in DAYS if day in days)


def _time_of_day(value: Any, field: str) -> time:
    text = _string(value, field) if value is not None else None
    if text is None:
        raise PolicyError(field, "a time of day such as \"21:00\" is required")
    hours, sep, minutes = text.partition(":")
    if sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2:
        if text == "24:00":
            return time(0, 0)  # midnight at the end of the day is midnight at the start of the next
        if int(hours) < 24 and int(minutes) < 60:
            return time(int(hours), int(minutes))
    raise PolicyError(field, f"{text!r} is not a time of day (HH:MM, 00:00 to 23:59)")


# -- canonical export ------------------------------------------------------------------------------------


def dump_policy(household: Household) -> str:
    lines = [
        f"language = {_quote(household.language)}",
        f"timezone = {_quote(household.timezone)}",
        f"default_profile = {_quote(household.default_profile)}",
        f"retention_days = {household.retention_days}",
        f"log_full_urls = {_bool(household.log_full_urls)}",
    ]
    for profile in household.profiles:
        lines += ["", "[[profiles]]", *_profile_lines(profile)]
    return "\n".join(lines) + "\n"


def _profile_lines(profile: Profile) -> list[str]:
    lines = [
        f"name = {_quote(profile.name)}",
        f"block = {_array(profile.block)}",
        f"warn = {_array(profile.warn)}",
        f"safe_search = {_bool(profile.safe_search)}",
        f"youtube_restrict = {_quote(profile.youtube_restrict)}",
        f"sensitivity = {_quote(profile.sensitivity)}",
        f"block_ip_urls = {_bool(profile.block_ip_urls)}",
        f"allow = {_array(profile.allow)}",
        f"deny = {_array(profile.deny)}",
    ]
    for window in profile.offline:
        lines += ["", "  [[profiles.offline]]", *_window_lines(window)]
    for category_window in profile.windows:
        lines += ["", "  [[profiles.windows]]", f"  category = {_quote(category_window.category)}"]
        lines += _window_lines(category_window.window)
    if profile.quotas:
        lines += ["", "  [profiles.quotas]"]
        lines += [f"  {category} = {minutes}" for category, minutes in profile.quotas.daily]
        for key, table in profile.quotas.overrides:
            inner = ", ".join(f"{category} = {minutes}" for category, minutes in table)
            lines.append(f"  {key} = {{{inner}}}")
    return lines


def _window_lines(window: TimeWindow) -> list[str]:
    return [
        f"  days = {_array(window.days)}",
        f"  from = {_quote(window.start.strftime('%H:%M'))}",
        f"  to = {_quote(window.end.strftime('%H:%M'))}",
    ]


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def _array(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(item) for item in items) + "]"


def _bool(value: bool) -> str:
    return "true" if value else "false"
