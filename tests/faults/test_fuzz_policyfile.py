"""Hypothesis on the policy loader: any file a parent (or a broken editor) produces is either a
valid household that survives export and import unchanged, or one PolicyError naming the field.
"""

from __future__ import annotations

import tomllib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kiteguard.proxy.categories import CATEGORIES
from kiteguard.proxy.policyfile import PolicyError, dump_policy, parse_policy

FAST = settings(max_examples=100, deadline=None)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.text(max_size=20),
                    st.floats(allow_nan=False), st.sampled_from(list(CATEGORIES)))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                             max_size=4), max_leaves=8)
TIMES = st.sampled_from(["07:00", "21:30", "00:00", "24:00", "25:61", "7", "", "12:00:00"])
DAYS = st.lists(st.sampled_from(["mon", "tue", "sat", "sun", "weekday", "weekend", "noday", ""]), max_size=3)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


@st.composite
def profiles(draw: st.DrawFn) -> str:
    """A [[profiles]] table with mostly plausible, sometimes wrong, values."""
    lines = ["[[profiles]]", f"name = {_toml(draw(st.sampled_from(['child', 'teen', '', 'x' * 70, 'con gái'])))}"]
    for key in draw(st.lists(st.sampled_from(["block", "warn", "allow", "deny", "safe_search", "sensitivity",
                                              "youtube_restrict", "block_ip_urls", "offline", "unknown_key"]),
                             unique=True, max_size=5)):
        if key in ("block", "warn"):
            value = _toml(draw(st.lists(st.sampled_from([*CATEGORIES, "nope"]), max_size=3)))
        elif key in ("allow", "deny"):
            value = _toml(draw(st.lists(st.sampled_from(["example.vn", "bad..host", "Ví-dụ.vn", "", "*.x.com"]),
                                        max_size=3)))
        elif key == "offline":
            windows = draw(st.lists(st.tuples(DAYS, TIMES, TIMES), max_size=2))
            value = "[" + ", ".join(f"{{days = {_toml(d)}, from = {_toml(a)}, to = {_toml(b)}}}"
                                    for d, a, b in windows) + "]"
        else:
            value = _toml(draw(SCALARS))
        lines.append(f"{key} = {value}")
    return "\n".join(lines)


@st.composite
def policy_files(draw: st.DrawFn) -> str:
    head = [f"timezone = {_toml(draw(st.sampled_from(['Asia/Ho_Chi_Minh', 'UTC', 'Mars/Olympus', ''])))}",
            f"default_profile = {_toml(draw(st.sampled_from(['child', 'teen', 'nobody'])))}"]
    if draw(st.booleans()):
        head.append(f"retention_days = {_toml(draw(SCALARS))}")
    return "\n".join(head) + "\n\n" + "\n\n".join(draw(st.lists(profiles(), max_size=3)))


def _check(text: str) -> None:
    try:
        household = parse_policy(text)
    except PolicyError as error:
        assert str(error)  # a message a parent can act on
        return
    exported = dump_policy(household)
    assert parse_policy(exported) == household
    assert dump_policy(parse_policy(exported)) == exported  # export -> import -> export is byte-identical


@FAST
@given(policy_files())
@example('timezone = "UTC"\ndefault_profile = "child"\n\n[[profiles]]\nname = "child"\nretention_days = 1')
def test_a_generated_policy_is_valid_and_stable_or_refused_with_a_field(text: str) -> None:
    _check(text)


@FAST
@given(st.dictionaries(st.sampled_from(["language", "timezone", "default_profile", "retention_days",
                                        "log_full_urls", "profiles", "extra"]), VALUES, max_size=6))
def test_any_toml_shape_is_refused_cleanly(data: dict) -> None:
    lines = [f"{key} = {_toml(value)}" for key, value in data.items() if not isinstance(value, dict)]
    text = "\n".join(lines)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass
    _check(text)


@FAST
@given(st.text(max_size=300))
@example("[[profiles]]\nname = 1")
@example('profiles = "child"')
@example("\x00")
def test_any_text_is_a_policy_or_one_clear_error(text: str) -> None:
    _check(text)
