import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_MS, reconnectDelay } from "../../extension/lib/backoff.js";

test("reconnect delays grow, stay capped, and never fall below half the step", () => {
  const table = [
    // attempt, random, expected ms
    [0, 0, 500],
    [0, 0.999999, 1000],
    [1, 0, 1000],
    [3, 0.5, 6000],
    [6, 0, 30000],
    [7, 0, 30000], // capped at a minute: half of it at least
    [40, 0.999999, MAX_MS],
    [-5, 0, 500], // a corrupt counter from storage is treated as the first retry
    [Number.NaN, 0, 500],
  ];
  for (const [attempt, random, expected] of table) {
    assert.equal(reconnectDelay(attempt, () => random), expected, `attempt ${attempt}`);
  }
});
