// Messages from the live channel (WebSocket from the local API), checked before use, and
// what each one means for the child: an overlay in a tab, a badge, or just fresh state.

const CATEGORY = /^[a-z_]{1,32}$/;
export const TIME_WARNING_MAX = 10; // Kiteguard warns when 10, 5 and 1 minutes are left

function isUrl(value) {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function minutes(value) {
  const number = Number(value);
  return Number.isFinite(number) && number >= 0 ? Math.floor(number) : null;
}

function timeLeftTable(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return null;
  }
  const table = {};
  for (const [category, left] of Object.entries(value)) {
    const parsed = minutes(left);
    if (CATEGORY.test(category) && parsed !== null) {
      table[category] = parsed;
    }
  }
  return table;
}

/** A raw frame -> a checked event, or null for anything malformed or unknown. */
export function parseLiveMessage(raw) {
  let data;
  try {
    data = typeof raw === "string" ? JSON.parse(raw) : raw;
  } catch {
    return null;
  }
  if (!data || typeof data !== "object") {
    return null;
  }
  const category = typeof data.category === "string" && CATEGORY.test(data.category) ? data.category : null;
  switch (data.type) {
    case "block":
    case "warn":
      if (!isUrl(data.url)) {
        return null;
      }
      return {
        type: data.type,
        url: data.url,
        category,
        page: isUrl(data.page) ? data.page : null,
        navigation: Boolean(data.navigation),
      };
    case "time_warning": {
      // From Kiteguard's time warner: browsing of one category (or all of it) ends in a few minutes.
      const left = minutes(data.minutes ?? data.minutes_left);
      return left !== null ? { type: "time_warning", category, minutesLeft: left } : null;
    }
    case "time_left": {
      const table = timeLeftTable(data.time_left);
      return table ? { type: "time_left", timeLeft: table } : null;
    }
    case "answer": {
      const id = data.id ?? data.request_id;
      if ((typeof id !== "number" && typeof id !== "string") || !["approved", "denied"].includes(data.status)) {
        return null;
      }
      return {
        type: "answer",
        requestId: String(id),
        status: data.status,
        kind: data.kind === "site" ? "site" : "time",
        minutes: minutes(data.granted_minutes ?? data.minutes),
      };
    }
    default:
      return null;
  }
}

/**
 * The overlay an event asks for, or null.
 * A blocked *page* already shows the proxy's block page, so only sub-resources and frames get an overlay.
 */
export function overlayFor(event) {
  if (!event) {
    return null;
  }
  if (event.type === "block" && !event.navigation) {
    return { kind: "blocked", category: event.category, url: event.url };
  }
  if (event.type === "warn") {
    return { kind: "warn", category: event.category, url: event.url };
  }
  if (event.type === "time_warning" && event.minutesLeft > 0 && event.minutesLeft <= TIME_WARNING_MAX) {
    return { kind: "time", category: event.category, minutes: event.minutesLeft };
  }
  return null;
}

/**
 * Which tabs an overlay belongs in: the page that loaded the resource if known, else the active tab.
 * Never a tab showing the blocked site itself: that tab already shows the block page (and its favicon).
 */
export function targetTabs(event, tabs) {
  const parts = (value) => {
    try {
      return new URL(value);
    } catch {
      return null;
    }
  };
  const blockedHost = event.type === "block" && parts(event.url) ? parts(event.url).host : null;
  const eligible = tabs.filter((tab) => !blockedHost || !tab.url || !parts(tab.url) || parts(tab.url).host !== blockedHost);
  const page = event.page || (event.type === "warn" ? event.url : null);
  if (page && parts(page)) {
    const wanted = parts(page).origin;
    const matching = eligible.filter((tab) => tab.url && parts(tab.url) && parts(tab.url).origin === wanted);
    if (matching.length) {
      return matching.map((tab) => tab.id);
    }
  }
  return eligible.filter((tab) => tab.active).map((tab) => tab.id);
}
