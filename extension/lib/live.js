// Messages from the live channel (WebSocket from the local API), checked before use, and
// what each one means for the child: an overlay in a tab, a badge, or just fresh state.

const CATEGORY = /^[a-z_]{1,32}$/;
export const QUOTA_WARNING_MAX = 10; // Kiteguard warns when 10, 5 and 1 minutes are left

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
    case "quota_warning": {
      const left = minutes(data.minutes_left);
      return category && left !== null ? { type: "quota_warning", category, minutesLeft: left } : null;
    }
    case "time_left": {
      const table = timeLeftTable(data.time_left);
      return table ? { type: "time_left", timeLeft: table } : null;
    }
    case "answer":
      if (typeof data.request_id !== "number" && typeof data.request_id !== "string") {
        return null;
      }
      if (!["approved", "denied"].includes(data.status)) {
        return null;
      }
      return {
        type: "answer",
        requestId: String(data.request_id),
        status: data.status,
        url: isUrl(data.url) ? data.url : null,
        minutes: minutes(data.minutes),
        message: typeof data.message === "string" ? data.message.slice(0, 500) : "",
      };
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
  if (event.type === "quota_warning" && event.minutesLeft > 0 && event.minutesLeft <= QUOTA_WARNING_MAX) {
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
