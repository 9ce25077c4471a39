import assert from "node:assert/strict";
import { test } from "node:test";

import { PairingInputError, liveUrl, parseApiBase, parsePairingCode, parsePairingUrl } from "../../extension/lib/pairing.js";

test("a pairing code is six digits, however the child types it", () => {
  // accepted, as typed -> as sent
  for (const [typed, code] of [["123456", "123456"], [" 123 456 ", "123456"], ["123-456", "123456"], ["000001", "000001"]]) {
    assert.equal(parsePairingCode(typed), code);
  }
  // refused, with a message the popup can show
  for (const typed of ["12345", "1234567", "12a456", "", null, "１２３４５６"]) {
    assert.throws(() => parsePairingCode(typed), (error) => error instanceof PairingInputError && error.messageKey === "pairing_error_code_format");
  }
});

test("the API must be on this computer: no third-party server, ever", () => {
  // loopback addresses are normalised to scheme://host:port
  assert.equal(parseApiBase("http://127.0.0.1:8765/"), "http://127.0.0.1:8765");
  assert.equal(parseApiBase("http://localhost:9000/anything"), "http://localhost:9000");
  assert.equal(parseApiBase("http://[::1]:8765"), "http://[::1]:8765");
  // anything else is refused
  for (const bad of ["https://kiteguard.example.com", "http://192.168.1.10:8765", "http://127.0.0.1.evil.test",
    "http://user:pw@127.0.0.1:8765", "file:///etc/passwd", "javascript:alert(1)", "not a url"]) {
    assert.throws(() => parseApiBase(bad), PairingInputError, bad);
  }
});

test("the pairing URL keeps the code in the fragment, which never leaves the browser", () => {
  assert.deepEqual(parsePairingUrl("http://kiteguard.invalid/pair#code=654321"), { code: "654321", apiBase: null });
  assert.deepEqual(parsePairingUrl("http://kiteguard.invalid/pair#code=654321&api=http%3A%2F%2F127.0.0.1%3A9999"), {
    code: "654321",
    apiBase: "http://127.0.0.1:9999",
  });
  // other pages are not pairing URLs at all
  for (const other of ["http://kiteguard.invalid/check", "https://example.test/pair#code=654321", "garbage"]) {
    assert.equal(parsePairingUrl(other), null, other);
  }
  // a pairing URL with a bad code or a remote API is refused, not half-used
  assert.throws(() => parsePairingUrl("http://kiteguard.invalid/pair#code=12"), PairingInputError);
  assert.throws(() => parsePairingUrl("http://kiteguard.invalid/pair#code=123456&api=http://evil.test"), PairingInputError);
});

test("the live channel is the API's WebSocket", () => {
  assert.equal(liveUrl("http://127.0.0.1:8765"), "ws://127.0.0.1:8765/api/ext/live");
});
