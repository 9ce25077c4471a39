// The extension as shipped: manifest, locales, and every string the UI asks for.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { TIP_COUNT } from "../../extension/lib/tips.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const EXT = join(ROOT, "extension");
const read = (path) => readFileSync(join(EXT, path), "utf8");
const manifest = JSON.parse(read("manifest.json"));
const locales = Object.fromEntries(["en", "vi"].map((lang) => [lang, JSON.parse(read(`_locales/${lang}/messages.json`))]));

function files(dir, extension) {
  return readdirSync(join(EXT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(EXT.length + 1));
}

test("one manifest serves Chromium (service worker) and Firefox (background scripts)", () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, "background.js");
  assert.deepEqual(manifest.background.scripts, ["background.js"]);
  const gecko = manifest.browser_specific_settings.gecko;
  assert.ok(gecko.id && gecko.strict_min_version);
  assert.deepEqual(gecko.data_collection_permissions, { required: ["none"] });
  assert.ok(locales[manifest.default_locale]);
  assert.ok(read(manifest.storage.managed_schema).includes("pairingCode"));
});

test("vi and en have exactly the same strings and placeholders", () => {
  assert.deepEqual(Object.keys(locales.vi).sort(), Object.keys(locales.en).sort());
  for (const key of Object.keys(locales.en)) {
    assert.deepEqual(Object.keys(locales.vi[key].placeholders ?? {}), Object.keys(locales.en[key].placeholders ?? {}), key);
    assert.ok(locales.vi[key].message.trim(), `vi ${key} is empty`);
  }
  // Chromium refuses a description longer than 132 characters.
  assert.ok(locales.vi.ext_description.message.length <= 132 && locales.en.ext_description.message.length <= 132);
});

test("Vietnamese is really Vietnamese: the hotline, the prompt and the tips carry diacritics", () => {
  assert.equal(locales.vi.sendguard_text.message, "Tin này có thể làm tổn thương người khác. Vẫn gửi chứ?");
  assert.equal(locales.en.sendguard_text.message, "This might hurt someone. Send anyway?");
  assert.match(locales.vi.help_hotline.message, /111/);
  for (let index = 1; index <= TIP_COUNT; index += 1) {
    assert.match(locales.vi[`tip_${index}`].message, /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệịỉĩọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i, `tip_${index}`);
    assert.ok(locales.en[`tip_${index}`], `tip_${index}`);
  }
});

test("every category the proxy knows has a name in both languages", () => {
  const source = readFileSync(join(ROOT, "proxy/categories.py"), "utf8");
  const ids = [...source.matchAll(/^\s+"([a-z_]+)",$/gm)].map((match) => match[1]);
  assert.equal(ids.length, 14);
  for (const id of ids) {
    assert.ok(locales.en[`category_${id}`] && locales.vi[`category_${id}`], id);
  }
});

test("every string the UI asks for exists", () => {
  const wanted = new Set();
  for (const html of files(".", ".html")) {
    for (const match of read(html).matchAll(/data-i18n="([a-z0-9_]+)"/g)) wanted.add(match[1]);
    for (const match of read(html).matchAll(/data-i18n-attr="([^"]+)"/g)) {
      for (const pair of match[1].split(";")) wanted.add(pair.split(":")[1].trim());
    }
  }
  for (const script of files(".", ".js")) {
    for (const match of read(script).matchAll(/\b(?:t|getMessage)\("([a-z0-9_]+)"/g)) wanted.add(match[1]);
    for (const match of read(script).matchAll(/"((?:pairing_error|error|request_state|overlay|sendguard)_[a-z_]+)"/g)) wanted.add(match[1]);
  }
  for (const match of JSON.stringify(manifest).matchAll(/__MSG_([a-z0-9_]+)__/g)) wanted.add(match[1]);
  assert.ok(wanted.size > 40);
  for (const key of wanted) {
    assert.ok(locales.en[key], `missing string ${key}`);
  }
});

test("no remote code and no third-party servers: only loopback and the proxy's reserved name", () => {
  for (const path of [...files(".", ".js"), ...files(".", ".html")]) {
    const text = read(path);
    assert.doesNotMatch(text, /\beval\(|new Function\(|<script[^>]+src="https?:/, path);
    for (const match of text.matchAll(/\b(?:https?|wss?):\/\/([a-z0-9.[\]:-]+)/gi)) {
      assert.match(match[1], /^(127\.0\.0\.1|localhost|\[::1\]|kiteguard\.invalid)(:|$)/, `${path}: ${match[0]}`);
    }
  }
});
