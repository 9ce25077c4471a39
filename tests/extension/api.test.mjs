// The API client against a real HTTP server on loopback, answering as Kiteguard's /api/ext does.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { ApiClient, ApiError } from "../../extension/lib/api.js";

const seen = [];
let server;
let base;

before(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      seen.push({ method: request.method, url: request.url, auth: request.headers.authorization, body });
      const reply = (status, data) => {
        response.writeHead(status, { "Content-Type": "application/json" });
        response.end(data === undefined ? "" : JSON.stringify(data));
      };
      const bearer = request.headers.authorization === "Bearer secret-token";
      if (request.url === "/api/ext/pair") {
        const { code } = JSON.parse(body);
        if (code === "999999") return reply(429, { error: "rate_limited" });
        return code === "123456"
          ? reply(200, { token: "secret-token", token_id: "tok_12345678", profile: "lan", child_name: "Lan" })
          : reply(403, { error: "bad_code" });
      }
      if (!bearer) return reply(401, { error: "unpaired" });
      if (request.url === "/api/ext/status") return reply(200, { profile: "lan", child_name: "Lan", time_left: { games: 20 }, requests: [] });
      if (request.url === "/api/ext/classify") return reply(503, { error: "classifier not ready" });
      return reply(200, { id: 1 });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => server.close());

const code = async (promise) => {
  try {
    await promise;
    return "ok";
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return error.code;
  }
};

test("pairing with the parent's code returns the token bound to the child", async () => {
  const answer = await new ApiClient({ apiBase: base }).pair("123456", "Chromium (Linux)");
  assert.deepEqual(answer, { token: "secret-token", token_id: "tok_12345678", profile: "lan", child_name: "Lan" });
  assert.deepEqual(JSON.parse(seen.at(-1).body), { code: "123456", browser_name: "Chromium (Linux)" });
  assert.equal(seen.at(-1).auth, undefined, "no token is sent before there is one");
});

test("refusals become error codes the popup can explain", async () => {
  const anonymous = new ApiClient({ apiBase: base });
  const paired = new ApiClient({ apiBase: base, token: "secret-token" });
  const table = [
    [() => anonymous.pair("000000", "x"), "bad_code"],
    [() => anonymous.pair("999999", "x"), "rate_limited"],
    [() => new ApiClient({ apiBase: base, token: "revoked" }).status(), "unpaired"],
    [() => paired.classify("hello there"), "unavailable"],
    [() => new ApiClient({ apiBase: "http://127.0.0.1:9", timeoutMs: 2000 }).status(), "offline"],
  ];
  for (const [call, expected] of table) {
    assert.equal(await code(call()), expected, call.toString());
  }
});

test("paired calls carry the bearer token and the contract's fields", async () => {
  const client = new ApiClient({ apiBase: base, token: "secret-token" });
  assert.equal((await client.status()).child_name, "Lan");
  await client.askForTime(30, "homework is done", { url: "https://game.test/" });
  assert.deepEqual(JSON.parse(seen.at(-1).body), {
    kind: "time", minutes: 30, category: null, url: "https://game.test/", message: "homework is done",
  });
  await client.askForSite("https://blocked.test/", "for school");
  assert.deepEqual(JSON.parse(seen.at(-1).body), { kind: "site", url: "https://blocked.test/", message: "for school" });
  await client.report("https://bad.test/", "bullying", "they are mean to my friend");
  assert.equal(seen.at(-1).url, "/api/ext/report");
  await client.heartbeat(true);
  assert.deepEqual(JSON.parse(seen.at(-1).body), { proxy_ok: true });
  assert.ok(seen.slice(-4).every((request) => request.auth === "Bearer secret-token"));
});

test("nonsense from the popup is refused before it reaches the network", async () => {
  const client = new ApiClient({ apiBase: base, token: "secret-token" });
  const before = seen.length;
  assert.throws(() => client.askForTime(0, ""), ApiError);
  assert.throws(() => client.askForTime(10000, ""), ApiError);
  assert.throws(() => client.report("https://x.test/", "annoying", ""), ApiError);
  assert.equal(seen.length, before);
});
