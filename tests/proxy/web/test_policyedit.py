"""Changes made on the page go through the policy file's validation: page and file never disagree."""

from __future__ import annotations

from datetime import time

import pytest

from kiteguard.proxy.policy import RequestFacts
from kiteguard.proxy.policyfile import dump_policy, parse_policy
from kiteguard.proxy.urls import parse_url


def stored(runtime):  # noqa: ANN001, ANN201
    return parse_policy(runtime.store.load_policy().toml)


async def test_a_deny_rule_from_the_page_blocks_in_the_engine(parent, runtime) -> None:  # noqa: ANN001
    reply = await parent.post("/sites/add", {"profile": "child", "list": "deny", "domain": "https://Game.Example.com/x"})
    assert reply.status == 303
    decision = runtime.decide(RequestFacts(url=parse_url("http://www.game.example.com/")), "child")
    assert decision.action == "block" and decision.primary.source == "custom"
    assert stored(runtime) == runtime.household
    why = await (await parent.client.get("/sites?url=www.game.example.com&profile=child")).text()
    assert "game.example.com" in why and 'badge block' in why


async def test_a_quota_from_the_page_is_the_policy_files_quota(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/time/quota", {"profile": "child", "category": "video", "day": "daily", "minutes": "60"})
    await parent.post("/time/quota", {"profile": "child", "category": "video", "day": "weekend", "minutes": "90"})
    profile = runtime.household.profile("child")
    assert profile.quotas.minutes_for("video", "mon") == 60 and profile.quotas.minutes_for("video", "sat") == 90
    assert "weekend = {video = 90}" in dump_policy(runtime.household)
    await parent.post("/time/quota", {"profile": "child", "category": "video", "day": "weekend", "minutes": ""})
    assert runtime.household.profile("child").quotas.minutes_for("video", "sat") == 60


# Refused changes leave the policy in force untouched, and the page says why.
@pytest.mark.parametrize(("path", "data", "says"), [
    ("/time/quota", {"profile": "child", "category": "video", "day": "daily", "minutes": "99999"}, "99999"),
    ("/time/quota", {"profile": "child", "category": "video", "day": "someday", "minutes": "5"}, "someday"),
    ("/time/window", {"profile": "child", "days": "mon", "from": "25:61", "to": "06:00"}, "25:61"),
    ("/sites/add", {"profile": "child", "list": "deny", "domain": "not a domain!"}, "not a domain"),
    ("/sites/add", {"profile": "nobody", "list": "deny", "domain": "a.vn"}, "nobody"),
    ("/children/rules", {"profile": "child", "cat.adult": "maybe"}, "maybe"),
    ("/children/add", {"name": "child"}, "used twice"),
    ("/children/remove", {"profile": "child"}, "unknown browsers"),
    ("/settings/general", {"language": "fr", "timezone": "Asia/Ho_Chi_Minh", "retention_days": "30"}, "fr"),
    ("/settings/general", {"language": "vi", "timezone": "Mars/Olympus", "retention_days": "30"}, "Mars/Olympus"),
])
async def test_refused_changes_change_nothing(parent, runtime, path, data, says) -> None:  # noqa: ANN001
    before = (runtime.household, runtime.policy_revision)
    reply = await parent.post(path, data)
    assert reply.status == 303
    assert (runtime.household, runtime.policy_revision) == before
    page = await (await parent.client.get(reply.headers["Location"])).text()
    assert 'class="note problem"' in page and says in page


async def test_offline_windows_show_on_the_week_grid(parent, runtime) -> None:  # noqa: ANN001
    reply = await parent.post("/time/window", {"profile": "child", "days": ["fri"], "from": "21:00", "to": "06:30"})
    assert reply.status == 303
    window = runtime.household.profile("child").offline[0]
    assert (window.days, window.start, window.end) == (("fri",), time(21), time(6, 30))
    html = await (await parent.client.get("/time")).text()
    assert html.count('class="offline"') == 3 + 6  # Friday 21-23 and Saturday 00-05 (judged at half past)
    await parent.post("/time/window/remove", {"profile": "child", "kind": "offline", "index": "0"})
    assert runtime.household.profile("child").offline == ()


async def test_category_windows_and_choices(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/time/window", {"profile": "child", "category": "games", "days": ["sat", "sun"],
                                       "from": "16:00", "to": "20:00"})
    assert runtime.household.profile("child").windows[0].category == "games"
    await parent.post("/children/rules", {"profile": "child", "cat.games": "block", "cat.adult": "block",
                                          "cat.social": "warn", "youtube_restrict": "strict",
                                          "sensitivity": "strict", "safe_search": "on"})
    profile = runtime.household.profile("child")
    assert profile.block == ("adult", "games") and profile.warn == ("social",)
    assert profile.youtube_restrict == "strict" and profile.safe_search and not profile.block_ip_urls


@pytest.mark.parametrize(("preset", "blocks_social", "video_minutes"), [
    ("6-9", True, 45), ("10-12", False, 60), ("13-15", False, 90), ("16-17", False, None),
])
async def test_age_presets(parent, runtime, preset, blocks_social, video_minutes) -> None:  # noqa: ANN001
    await parent.post("/children/add", {"name": "Minh Anh", "preset": preset})
    profile = runtime.household.profile("Minh Anh")
    assert profile.name == "Minh Anh" and profile.safe_search
    assert ("social" in profile.block) is blocks_social
    assert profile.quotas.minutes_for("video", "tue") == video_minutes
    assert "adult" in profile.block and "phishing" in profile.block


async def test_children_can_be_added_made_default_and_removed(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/children/add", {"name": "Bảo", "preset": "10-12"})
    await parent.post("/children/default", {"profile": "Bảo"})
    assert runtime.household.default_profile == "Bảo"
    await parent.post("/children/remove", {"profile": "child"})
    assert runtime.household.profile_names() == ("Bảo",)
