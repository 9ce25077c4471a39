import assert from "node:assert/strict";
import { test } from "node:test";

import { HEADER_NAME, HEADER_RULE_ID, buildHeaderRule, headerRuleUpdate } from "../../extension/lib/headerrule.js";

test("the header rule sets the token id on every web request, frames and sockets included", () => {
  const rule = buildHeaderRule("tok_AbCdEf012345");
  assert.equal(rule.action.type, "modifyHeaders");
  assert.deepEqual(rule.action.requestHeaders, [{ header: HEADER_NAME, operation: "set", value: "tok_AbCdEf012345" }]);
  for (const type of ["main_frame", "sub_frame", "image", "script", "xmlhttprequest", "websocket", "media"]) {
    assert.ok(rule.condition.resourceTypes.includes(type), type);
  }
  const matcher = new RegExp(rule.condition.regexFilter);
  assert.ok(matcher.test("https://example.test/") && matcher.test("ws://chat.test/socket"));
  assert.ok(!matcher.test("chrome-extension://abc/popup.html"));
});

test("a value that could inject another header is never sent", () => {
  for (const bad of ["short", "has space 12345", "line\r\nX-Evil: 1", "", null, 42, "x".repeat(65)]) {
    assert.throws(() => buildHeaderRule(bad), TypeError, String(bad));
  }
});

test("pairing installs the rule; unpairing removes it", () => {
  assert.deepEqual(headerRuleUpdate(null), { removeRuleIds: [HEADER_RULE_ID], addRules: [] });
  const update = headerRuleUpdate("tok_AbCdEf012345");
  assert.deepEqual(update.removeRuleIds, [HEADER_RULE_ID]);
  assert.equal(update.addRules.length, 1);
});
