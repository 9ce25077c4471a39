// One async message router with verb-named messages.
//
// Content scripts run inside web pages and are untrusted: a page can drive them. They may
// only use the verbs marked `content`; everything else (pairing, asking a parent,
// reporting) is reserved for the extension's own pages.

export class RouterError extends Error {
  constructor(code) {
    super(code);
    this.name = "RouterError";
    this.code = code;
  }
}

/** "extension" for our own pages, "content" for our content scripts in a tab, "foreign" otherwise. */
export function senderKind(sender, extensionId, extensionOrigin) {
  if (!sender || sender.id !== extensionId) {
    return "foreign";
  }
  if (typeof sender.url === "string" && sender.url.startsWith(extensionOrigin)) {
    return "extension";
  }
  // Anything else from our own id with a tab is a content script, living inside a web page.
  return sender.tab ? "content" : "foreign";
}

/**
 * `routes` maps a verb to {handler: async (message, sender) => result, content?: boolean}.
 * The returned function answers {ok: true, result} or {ok: false, error}; it never throws,
 * so a failing handler cannot leave a popup waiting forever.
 */
export function createRouter(routes, { extensionId, extensionOrigin, log = () => {} }) {
  return async function route(message, sender) {
    try {
      const verb = message && typeof message.type === "string" ? message.type : null;
      const entry = verb && Object.hasOwn(routes, verb) ? routes[verb] : null;
      if (!entry) {
        throw new RouterError("unknown_verb");
      }
      const kind = senderKind(sender, extensionId, extensionOrigin);
      if (kind === "foreign" || (kind === "content" && !entry.content)) {
        throw new RouterError("not_allowed");
      }
      return { ok: true, result: await entry.handler(message, sender) };
    } catch (error) {
      log(error);
      return { ok: false, error: error && error.code ? error.code : "internal" };
    }
  };
}
