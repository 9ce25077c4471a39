import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_LENGTH, isMessageField, shouldPrompt, textToScore } from "../../extension/lib/sendguard.js";

test("message and comment boxes are recognised, in English and Vietnamese", () => {
  const yes = [
    { tag: "TEXTAREA", name: "body" },
    { tag: "DIV", contentEditable: true, ariaLabel: "Message" },
    { tag: "DIV", role: "textbox", ariaLabel: "Viết bình luận..." },
    { tag: "INPUT", type: "text", placeholder: "Nhắn tin" },
    { tag: "INPUT", type: "text", name: "comment" },
    { tag: "INPUT", placeholder: "Reply to Lan" }, // no type attribute means text
  ];
  for (const field of yes) {
    assert.equal(isMessageField(field), true, JSON.stringify(field));
  }
});

test("private and unrelated fields are never read", () => {
  const no = [
    { tag: "INPUT", type: "password", name: "message" },
    { tag: "INPUT", type: "email", placeholder: "Message" },
    { tag: "INPUT", type: "search", placeholder: "Search messages" },
    { tag: "INPUT", type: "text", name: "username" },
    { tag: "TEXTAREA", autocomplete: "street-address" },
    { tag: "SELECT" },
    null,
  ];
  for (const field of no) {
    assert.equal(isMessageField(field), false, JSON.stringify(field));
  }
});

test("only text worth asking about is scored", () => {
  assert.equal(textToScore("  ok "), null);
  assert.equal(textToScore("you are so stupid"), "you are so stupid");
  assert.equal(textToScore("a".repeat(MAX_LENGTH + 50)).length, MAX_LENGTH);
});

test("the prompt appears only for hurtful text; a missing classifier never gets in the way", () => {
  const table = [
    [{ hurtful: true }, true],
    [{ label: "hate_bullying", score: 0.9 }, true],
    [{ label: "bullying", score: 0.6 }, true],
    [{ label: "bullying", score: 0.3 }, false],
    [{ label: "neutral", score: 0.99 }, false],
    [{ label: "bullying", score: "NaN" }, false],
    [null, false],
    ["503", false],
  ];
  for (const [result, expected] of table) {
    assert.equal(shouldPrompt(result), expected, JSON.stringify(result));
  }
});
