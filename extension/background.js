// The background: one message router, the pairing, the header rule, the live channel,
// the heartbeat and the proxy check. Listeners are registered at the top level because an
// MV3 worker can be evicted at any moment; anything that must outlive it is in storage.

import { ext } from "./shim.js";
import { ApiClient, ApiError } from "./lib/api.js";
import { reconnectDelay } from "./lib/backoff.js";
import { headerRuleUpdate } from "./lib/headerrule.js";
import { overlayFor, parseLiveMessage, targetTabs } from "./lib/live.js";
import { DEFAULT_API_BASE, liveUrl, parseApiBase, parsePairingCode, parsePairingUrl } from "./lib/pairing.js";
import { createRouter } from "./lib/router.js";
import { isMessageField, shouldPrompt, textToScore } from "./lib/sendguard.js";
import { badgeText } from "./lib/timeleft.js";

const TICK_ALARM = "kiteguard-tick";
const TICK_MINUTES = 0.5; // heartbeat and proxy check; the parent is alerted after 2 silent minutes
const PROXY_CHECK_URL = "http://kiteguard.invalid/check";
const KEEPALIVE_MS = 20000; // a message every 20 s keeps a Chromium worker with an open socket alive

// ---- state: the pairing in storage.local (survives restarts), the rest in storage.session

async function loadPairing() {
  const { pairing } = await ext.storage.local.get("pairing");
  return pairing && pairing.token && pairing.tokenId ? pairing : null;
}

async function loadManaged() {
  try {
    return (await ext.storage.managed.get(null)) || {};
  } catch {
    return {}; // no policy installed: the usual case outside a managed setup
  }
}

async function loadSession() {
  return ext.storage.session.get(null);
}

async function apiBaseFor(pairing) {
  if (pairing && pairing.apiBase) {
    return pairing.apiBase;
  }
  const managed = await loadManaged();
  try {
    return managed.apiBase ? parseApiBase(managed.apiBase) : DEFAULT_API_BASE;
  } catch {
    return DEFAULT_API_BASE;
  }
}

async function clientFor(pairing) {
  return new ApiClient({ apiBase: await apiBaseFor(pairing), token: pairing ? pairing.token : null });
}

function browserName() {
  const agent = navigator.userAgent;
  const family = /Firefox\//.test(agent) ? "Firefox" : /Edg\//.test(agent) ? "Edge" : "Chromium";
  const system = /Windows/.test(agent) ? "Windows" : /Mac OS/.test(agent) ? "macOS" : "Linux";
  return `${family} (${system})`;
}

// ---- pairing

async function savePairing(pairing) {
  await ext.storage.local.set({ pairing });
  await ext.declarativeNetRequest.updateDynamicRules(headerRuleUpdate(pairing ? pairing.tokenId : null));
}

async function pairWithCode(code, apiBase = null) {
  const base = apiBase || (await apiBaseFor(null));
  const client = new ApiClient({ apiBase: base });
  const answer = await client.pair(parsePairingCode(code), browserName());
  await savePairing({
    token: answer.token,
    tokenId: answer.token_id,
    profile: answer.profile,
    childName: answer.child_name,
    apiBase: base,
  });
  await ext.storage.session.set({ liveAttempt: 0 });
  return { childName: answer.child_name };
}

async function forgetPairing() {
  await savePairing(null);
  await ext.storage.session.set({ status: null });
  closeLive();
}

/**
 * Browser policy (managed storage) may preset a token or a one-time code, for the installer.
 * A code is tried once: retrying a used or expired code would only trip the API's rate limit.
 */
async function applyManagedPairing() {
  const managed = await loadManaged();
  const current = await loadPairing();
  const apiBase = managed.apiBase ? parseApiBase(managed.apiBase) : null;
  if (managed.token && managed.tokenId && (!current || current.tokenId !== managed.tokenId)) {
    await savePairing({
      token: managed.token,
      tokenId: managed.tokenId,
      profile: null,
      childName: null,
      apiBase: apiBase || DEFAULT_API_BASE,
    });
    return;
  }
  const { managedCodeTried } = await ext.storage.local.get("managedCodeTried");
  if (managed.pairingCode && !current && managedCodeTried !== managed.pairingCode) {
    try {
      await pairWithCode(managed.pairingCode, apiBase);
    } catch (error) {
      // Kiteguard not answering yet (browser started first) is worth retrying; a refused code is not.
      if (!(error instanceof ApiError && error.code === "offline")) {
        await ext.storage.local.set({ managedCodeTried: managed.pairingCode });
      }
      console.debug("kiteguard: the pairing code from policy did not work:", error && (error.code || error.message));
    }
  }
}

// ---- status, heartbeat, proxy check

async function checkProxy() {
  try {
    const response = await fetch(PROXY_CHECK_URL, {
      cache: "no-store",
      credentials: "omit",
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) {
      return false;
    }
    // Only the Kiteguard proxy answers this reserved, unresolvable name.
    const answer = await response.json();
    return answer && answer.kiteguard === true;
  } catch {
    return false;
  }
}

async function refreshStatus(pairing) {
  try {
    const status = await (await clientFor(pairing)).status();
    await ext.storage.session.set({ status, statusAt: Date.now() });
    return status;
  } catch (error) {
    if (error instanceof ApiError && error.code === "unpaired") {
      await forgetPairing(); // revoked by the parent: the proxy now applies the default profile
    }
    return null;
  }
}

let ticking = null;

/** One tick at a time: the alarm, a wake-up and the popup may all ask at once. */
function tick() {
  if (!ticking) {
    ticking = runTick().finally(() => {
      ticking = null;
    });
  }
  return ticking;
}

async function runTick() {
  if (!(await loadPairing())) {
    await applyManagedPairing().catch(() => {});
  }
  const pairing = await loadPairing();
  const proxyOk = await checkProxy();
  await ext.storage.session.set({ proxyOk });
  if (pairing) {
    await ext.declarativeNetRequest.updateDynamicRules(headerRuleUpdate(pairing.tokenId));
    await (await clientFor(pairing)).heartbeat(proxyOk).catch(() => {});
    await refreshStatus(pairing);
    connectLive();
  }
  await updateBadge();
}

async function updateBadge() {
  const [pairing, session] = await Promise.all([loadPairing(), loadSession()]);
  let text = "";
  let color = "#1d6b57";
  if (!pairing) {
    text = "?";
  } else if (session.proxyOk === false) {
    text = "!";
    color = "#b3261e";
  } else {
    text = badgeText(session.status ? session.status.time_left : null);
  }
  await ext.action.setBadgeText({ text });
  await ext.action.setBadgeBackgroundColor({ color });
}

// ---- live channel

let socket = null;
let keepalive = null;

function closeLive() {
  if (socket) {
    socket.onclose = null;
    socket.close();
    socket = null;
  }
  clearInterval(keepalive);
}

async function connectLive() {
  if (socket && socket.readyState <= WebSocket.OPEN) {
    return;
  }
  const pairing = await loadPairing();
  if (!pairing || (socket && socket.readyState <= WebSocket.OPEN)) {
    return;
  }
  const ws = new WebSocket(liveUrl(await apiBaseFor(pairing)));
  socket = ws;
  ws.onopen = () => {
    // Browsers cannot set headers on a WebSocket, so the token is the first message instead.
    ws.send(JSON.stringify({ type: "hello", token: pairing.token }));
    ext.storage.session.set({ liveAttempt: 0, liveConnected: true });
    clearInterval(keepalive);
    keepalive = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), KEEPALIVE_MS);
  };
  ws.onmessage = (message) => handleLive(parseLiveMessage(message.data));
  ws.onclose = async (closed) => {
    if (socket === ws) {
      socket = null;
    }
    clearInterval(keepalive);
    const { liveAttempt = 0 } = await loadSession();
    await ext.storage.session.set({ liveConnected: false, liveAttempt: liveAttempt + 1 });
    if (closed.code === 4401) {
      await forgetPairing();
      return;
    }
    // If the worker is evicted before this fires, the next alarm tick reconnects instead.
    setTimeout(connectLive, reconnectDelay(liveAttempt));
  };
}

const NOTICE_MS = 60000;

async function showOverlay(event) {
  const overlay = overlayFor(event);
  if (!overlay) {
    return;
  }
  if (overlay.kind === "warn") {
    // The child just chose "continue" on the warning page: the page itself is still loading, so the
    // reminder waits for it (tabs.onUpdated, below) instead of going to a document about to vanish.
    await ext.storage.session.set({ notice: { origin: new URL(event.url).origin, overlay, until: Date.now() + NOTICE_MS } });
    return;
  }
  const tabs = await ext.tabs.query({ lastFocusedWindow: true });
  for (const tabId of targetTabs(event, tabs)) {
    ext.tabs.sendMessage(tabId, { type: "showOverlay", overlay }).catch(() => {});
  }
}

async function deliverNotice(tabId, url) {
  const { notice } = await loadSession();
  if (!notice || notice.until < Date.now()) {
    return;
  }
  let origin = null;
  try {
    origin = new URL(url).origin;
  } catch {
    return;
  }
  if (origin === notice.origin) {
    await ext.storage.session.set({ notice: null });
    ext.tabs.sendMessage(tabId, { type: "showOverlay", overlay: notice.overlay }).catch(() => {});
  }
}

async function handleLive(event) {
  if (!event) {
    return;
  }
  const { status } = await loadSession();
  if (event.type === "time_left" && status) {
    await ext.storage.session.set({ status: { ...status, time_left: event.timeLeft } });
  }
  if (event.type === "answer") {
    await refreshStatus(await loadPairing());
  }
  await showOverlay(event);
  await updateBadge();
}

// ---- the message router

async function requirePairing() {
  const pairing = await loadPairing();
  if (!pairing) {
    throw new ApiError("unpaired");
  }
  return { pairing, client: await clientFor(pairing) };
}

const routes = {
  getState: {
    handler: async () => {
      const [pairing, session, managed] = await Promise.all([loadPairing(), loadSession(), loadManaged()]);
      return {
        paired: Boolean(pairing),
        childName: pairing ? (session.status && session.status.child_name) || pairing.childName : null,
        status: session.status || null,
        proxyOk: session.proxyOk ?? null,
        liveConnected: Boolean(session.liveConnected),
        managed: Boolean(managed.token || managed.pairingCode),
      };
    },
  },
  pairWithCode: {
    handler: async (message) => {
      const paired = await pairWithCode(message.code, message.apiBase ? parseApiBase(message.apiBase) : null);
      await tick();
      return paired;
    },
  },
  refreshStatus: {
    handler: async () => {
      await tick();
      return routes.getState.handler();
    },
  },
  askForTime: {
    handler: async (message) => {
      const { client } = await requirePairing();
      const answer = await client.askForTime(message.minutes, message.message, {
        category: message.category || null,
        url: typeof message.url === "string" ? message.url : null,
      });
      await refreshStatus(await loadPairing());
      return answer;
    },
  },
  askForSite: {
    handler: async (message) => {
      const { client } = await requirePairing();
      const answer = await client.askForSite(String(message.url), message.message);
      await refreshStatus(await loadPairing());
      return answer;
    },
  },
  reportPage: {
    handler: async (message) => (await requirePairing()).client.report(String(message.url), message.reason, message.message),
  },
  checkField: {
    content: true, // content verbs answer only yes/no, so a page driving our content script learns nothing
    handler: async (message) => ({ message: isMessageField(message.field) }),
  },
  scoreText: {
    content: true,
    handler: async (message) => {
      const text = textToScore(message.text);
      const pairing = await loadPairing();
      if (!text || !pairing) {
        return { prompt: false };
      }
      try {
        return { prompt: shouldPrompt(await (await clientFor(pairing)).classify(text)) };
      } catch {
        return { prompt: false }; // no classifier yet (503) or Kiteguard offline: never get in the way
      }
    },
  },
};

const route = createRouter(routes, {
  extensionId: ext.runtime.id,
  extensionOrigin: ext.runtime.getURL(""),
  log: (error) => console.debug("kiteguard:", error && error.message),
});

// ---- top-level listeners

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  route(message, sender).then(sendResponse);
  return true; // the answer is asynchronous
});

ext.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (change.status === "complete" && tab && tab.url) {
    deliverNotice(tabId, tab.url);
  }
  let pairingUrl = null;
  try {
    pairingUrl = change.url ? parsePairingUrl(change.url) : null;
  } catch {
    pairingUrl = null; // a malformed code in a pairing URL: ignore, the popup still takes codes
  }
  if (pairingUrl) {
    pairWithCode(pairingUrl.code, pairingUrl.apiBase)
      .then(tick)
      .then(() => ext.tabs.update(tabId, { url: ext.runtime.getURL("popup/popup.html?paired=1") }))
      .catch((error) => {
        console.debug("kiteguard: pairing by URL failed:", error && (error.code || error.message));
        return ext.tabs.update(tabId, { url: ext.runtime.getURL("popup/popup.html?paired=0") });
      });
  }
});

ext.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === TICK_ALARM) {
    tick();
  }
});

async function start() {
  await ext.alarms.create(TICK_ALARM, { periodInMinutes: TICK_MINUTES });
  await tick();
}

ext.runtime.onInstalled.addListener(start);
ext.runtime.onStartup.addListener(start);
// Also on every wake-up: the worker may have been evicted with the socket closed.
tick();
