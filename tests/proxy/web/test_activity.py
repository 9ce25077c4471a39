"""Activity and Today show what really happened: usage minutes and blocked attempts."""

from __future__ import annotations

from datetime import date, timedelta

from kiteguard.proxy.store import Event


def block(runtime, host: str, category: str | None, minutes_ago: int = 5) -> Event:  # noqa: ANN001
    return Event(at=runtime.now() - timedelta(minutes=minutes_ago), profile="child", host=host, category=category,
                 action="block", source="blocklist", detail="test")


async def test_charts_follow_usage_and_blocks(parent, runtime) -> None:  # noqa: ANN001
    empty = await (await parent.client.get("/activity")).text()
    assert "Nothing was blocked" in empty and "<rect" not in empty
    today = date(2026, 11, 30)
    runtime.store.add_usage("child", today, "video", 45 * 60)
    runtime.store.add_usage("child", today - timedelta(days=1), "games", 20 * 60)
    runtime.store.add_events([block(runtime, "casino.example", "gambling"), block(runtime, "casino.example",
                              "gambling"), block(runtime, "gore.example", "violence")])
    html = await (await parent.client.get("/activity?days=7&profile=child")).text()
    assert html.count('<svg class="chart"') == 4 and "<rect" in html
    assert "<th scope=\"row\">2026-11-30</th>" in html and ">45<" in html   # the table under the usage chart
    assert "casino.example" in html and ">2<" in html
    month = await (await parent.client.get("/activity?days=30")).text()
    assert "2026-11-01" in month


async def test_today_shows_minutes_against_the_quota(parent, runtime) -> None:  # noqa: ANN001
    await parent.post("/time/quota", {"profile": "child", "category": "video", "day": "daily", "minutes": "60"})
    runtime.store.add_usage("child", date(2026, 11, 30), "video", 30 * 60)
    runtime.store.add_events([block(runtime, "casino.example", "gambling")])
    runtime.store.add_alert("clock", "the clock went back 2 hours", profile="child")
    html = await (await parent.client.get("/")).text()
    assert "30 min" in html and "60 min" in html and 'aria-label="50%"' in html
    assert "Pages blocked today: 1" in html and "clock was changed" in html
    alert_id = runtime.store.alerts()[0]["id"]
    await parent.post(f"/alerts/{alert_id}/seen")
    assert runtime.store.alerts(unseen_only=True) == []
