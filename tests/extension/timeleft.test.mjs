import assert from "node:assert/strict";
import { test } from "node:test";

import { badgeText, describeMinutes, sortTimeLeft } from "../../extension/lib/timeleft.js";
import { TIP_COUNT, tipKeyFor } from "../../extension/lib/tips.js";

test("the scarcest time is listed first", () => {
  assert.deepEqual(sortTimeLeft({ video: 45, games: 5, social: 5, chat: Number.NaN }), [
    { category: "games", minutes: 5 },
    { category: "social", minutes: 5 },
    { category: "video", minutes: 45 },
  ]);
  assert.deepEqual(sortTimeLeft(null), []);
});

test("minutes read as hours and minutes", () => {
  const table = [
    [0, { key: "time_none_left", subs: [] }],
    [-3, { key: "time_none_left", subs: [] }],
    [1, { key: "time_minutes", subs: ["1"] }],
    [59.9, { key: "time_minutes", subs: ["59"] }],
    [60, { key: "time_hours_minutes", subs: ["1", "00"] }],
    [125, { key: "time_hours_minutes", subs: ["2", "05"] }],
  ];
  for (const [minutes, expected] of table) {
    assert.deepEqual(describeMinutes(minutes), expected, String(minutes));
  }
});

test("the badge shows the least time left once it is an hour or less", () => {
  assert.equal(badgeText({ games: 12, video: 90 }), "12'");
  assert.equal(badgeText({ video: 90 }), "");
  assert.equal(badgeText(null), "");
});

test("one tip per day, the same all day, changing at local midnight", () => {
  const morning = tipKeyFor(new Date(2026, 10, 28, 0, 0, 1));
  assert.equal(tipKeyFor(new Date(2026, 10, 28, 23, 59, 59)), morning);
  assert.notEqual(tipKeyFor(new Date(2026, 10, 29, 0, 0, 0)), morning);
  const seen = new Set();
  for (let day = 1; day <= TIP_COUNT; day += 1) {
    seen.add(tipKeyFor(new Date(2026, 0, day)));
  }
  assert.equal(seen.size, TIP_COUNT, "every tip comes round in a fortnight");
});
