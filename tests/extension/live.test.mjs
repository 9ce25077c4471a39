import assert from "node:assert/strict";
import { test } from "node:test";

import { overlayFor, parseLiveMessage, targetTabs } from "../../extension/lib/live.js";

test("live messages are checked before anything acts on them", () => {
  const table = [
    // well-formed
    [{ type: "block", url: "https://ads.test/x.js", category: "adult", page: "https://news.test/a" },
      { type: "block", url: "https://ads.test/x.js", category: "adult", page: "https://news.test/a", navigation: false }],
    ['{"type":"warn","url":"https://game.test/","category":"games","navigation":true}',
      { type: "warn", url: "https://game.test/", category: "games", page: null, navigation: true }],
    [{ type: "time_warning", kind: "quota", category: "games", minutes: 5, minutes_left: 4.6 },
      { type: "time_warning", category: "games", minutesLeft: 5 }],
    [{ type: "time_warning", kind: "offline", category: null, minutes: 10 }, { type: "time_warning", category: null, minutesLeft: 10 }],
    [{ type: "time_left", time_left: { games: 12.7, video: 0, "Bad Key": 3, chat: -1 } },
      { type: "time_left", timeLeft: { games: 12, video: 0 } }],
    [{ type: "answer", id: 7, status: "approved", kind: "time", granted_minutes: 30 },
      { type: "answer", requestId: "7", status: "approved", kind: "time", minutes: 30 }],
    // malformed or unknown: ignored
    ["{not json", null],
    [{ type: "block", url: "javascript:alert(1)" }, null],
    [{ type: "time_warning", category: "games" }, null],
    [{ type: "answer", id: 7, status: "maybe" }, null],
    [{ type: "run_code", code: "alert(1)" }, null],
    [null, null],
  ];
  for (const [raw, expected] of table) {
    assert.deepEqual(parseLiveMessage(raw), expected, JSON.stringify(raw));
  }
});

test("overlays: sub-resources and frames, warn pages, and time almost up within the last 10 minutes", () => {
  const table = [
    [{ type: "block", url: "https://a.test/i.png", category: "adult", navigation: false },
      { kind: "blocked", category: "adult", url: "https://a.test/i.png" }],
    [{ type: "block", url: "https://a.test/", category: "adult", navigation: true }, null], // the block page says it already
    [{ type: "warn", url: "https://g.test/", category: "games" }, { kind: "warn", category: "games", url: "https://g.test/" }],
    [{ type: "time_warning", category: "games", minutesLeft: 10 }, { kind: "time", category: "games", minutes: 10 }],
    [{ type: "time_warning", category: "games", minutesLeft: 1 }, { kind: "time", category: "games", minutes: 1 }],
    [{ type: "time_warning", category: null, minutesLeft: 5 }, { kind: "time", category: null, minutes: 5 }],
    [{ type: "time_warning", category: "games", minutesLeft: 4 }, { kind: "time", category: "games", minutes: 4 }],
    [{ type: "time_warning", category: "games", minutesLeft: 25 }, null],
    [{ type: "time_warning", category: "games", minutesLeft: 0 }, null], // the block page takes over
    [{ type: "time_left", timeLeft: {} }, null],
    [null, null],
  ];
  for (const [event, expected] of table) {
    assert.deepEqual(overlayFor(event), expected, JSON.stringify(event));
  }
});

test("an overlay goes to the page that loaded the blocked thing, else to the active tab", () => {
  const tabs = [
    { id: 1, url: "https://news.test/story", active: false },
    { id: 2, url: "https://video.test/", active: true },
  ];
  assert.deepEqual(targetTabs({ type: "block", page: "https://news.test/other" }, tabs), [1]);
  assert.deepEqual(targetTabs({ type: "block", page: "https://unknown.test/" }, tabs), [2]);
  assert.deepEqual(targetTabs({ type: "time_warning" }, tabs), [2]);
  assert.deepEqual(targetTabs({ type: "warn", url: "https://news.test/x" }, tabs), [1]);
});

test("the tab of a blocked site shows the block page already: no overlay on top of it", () => {
  const tabs = [{ id: 2, url: "https://games.test/", active: true }];
  assert.deepEqual(targetTabs({ type: "block", url: "https://games.test/favicon.ico" }, tabs), []);
  assert.deepEqual(targetTabs({ type: "block", url: "https://ads.test/x.png" }, tabs), [2]);
});
