import assert from "node:assert/strict";
import { test } from "node:test";

import { createRouter, senderKind } from "../../extension/lib/router.js";

const ID = "abcdefghijklmnop";
const ORIGIN = `chrome-extension://${ID}/`;
const popup = { id: ID, url: `${ORIGIN}popup/popup.html` };
const content = { id: ID, url: "https://example.test/page", tab: { id: 3 } };
const otherExtension = { id: "zzzz", url: "chrome-extension://zzzz/x.html" };

test("senders are told apart: our pages, our content scripts, everyone else", () => {
  const table = [
    [popup, "extension"],
    [{ ...popup, tab: { id: 1 } }, "extension"], // the popup opened as a tab after pairing by URL
    [content, "content"],
    [otherExtension, "foreign"],
    [{ id: ID, url: "https://example.test/" }, "foreign"], // no tab, not our page
    [null, "foreign"],
  ];
  for (const [sender, kind] of table) {
    assert.equal(senderKind(sender, ID, ORIGIN), kind, JSON.stringify(sender));
  }
});

const route = createRouter(
  {
    getState: { handler: async () => ({ paired: true }) },
    pairWithCode: { handler: async (message) => ({ code: message.code }) },
    scoreText: { content: true, handler: async () => ({ prompt: false }) },
    breaks: {
      handler: async () => {
        throw Object.assign(new Error("x"), { code: "offline" });
      },
    },
    crashes: {
      handler: async () => {
        throw new TypeError("bug");
      },
    },
  },
  { extensionId: ID, extensionOrigin: ORIGIN },
);

test("our pages may use every verb", async () => {
  assert.deepEqual(await route({ type: "pairWithCode", code: "123456" }, popup), { ok: true, result: { code: "123456" } });
  assert.deepEqual(await route({ type: "scoreText", text: "hi" }, popup), { ok: true, result: { prompt: false } });
});

test("a web page driving our content script cannot pair, ask or report", async () => {
  assert.deepEqual(await route({ type: "pairWithCode", code: "123456" }, content), { ok: false, error: "not_allowed" });
  assert.deepEqual(await route({ type: "getState" }, content), { ok: false, error: "not_allowed" });
  assert.deepEqual(await route({ type: "scoreText", text: "hi" }, content), { ok: true, result: { prompt: false } });
  assert.deepEqual(await route({ type: "getState" }, otherExtension), { ok: false, error: "not_allowed" });
});

test("unknown verbs and failing handlers answer with an error code instead of throwing", async () => {
  const table = [
    [{ type: "deleteEverything" }, "unknown_verb"],
    [{ type: "__proto__" }, "unknown_verb"],
    [{ type: "toString" }, "unknown_verb"],
    [null, "unknown_verb"],
    [{ type: "breaks" }, "offline"],
    [{ type: "crashes" }, "internal"],
  ];
  for (const [message, error] of table) {
    assert.deepEqual(await route(message, popup), { ok: false, error }, JSON.stringify(message));
  }
});
