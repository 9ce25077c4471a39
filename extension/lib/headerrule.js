// The declarativeNetRequest rule that tells the proxy which child is browsing.
// It carries the token *id* only (never the secret token); the proxy maps the id to a
// profile and strips the header before anything goes upstream.

export const HEADER_NAME = "X-Kiteguard-Browser";
export const HEADER_RULE_ID = 1;

const ALL_RESOURCE_TYPES = [
  "main_frame", "sub_frame", "stylesheet", "script", "image", "font", "object",
  "xmlhttprequest", "ping", "media", "websocket", "other",
];

/** The rule for a token id; an id that is not a plain token is refused rather than sent. */
export function buildHeaderRule(tokenId) {
  if (typeof tokenId !== "string" || !/^[A-Za-z0-9_-]{8,64}$/.test(tokenId)) {
    throw new TypeError("token id must be 8-64 URL-safe characters");
  }
  return {
    id: HEADER_RULE_ID,
    priority: 1,
    action: {
      type: "modifyHeaders",
      requestHeaders: [{ header: HEADER_NAME, operation: "set", value: tokenId }],
    },
    condition: { regexFilter: "^(https?|wss?)://", resourceTypes: ALL_RESOURCE_TYPES },
  };
}

/** The `updateDynamicRules` argument that installs (or, for null, removes) the rule. */
export function headerRuleUpdate(tokenId) {
  return {
    removeRuleIds: [HEADER_RULE_ID],
    addRules: tokenId ? [buildHeaderRule(tokenId)] : [],
  };
}
