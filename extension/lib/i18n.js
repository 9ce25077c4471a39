// Fills `data-i18n` (text) and `data-i18n-attr` ("attr:key;attr:key") from _locales.
// The lookup function is injected: `chrome.i18n.getMessage` in the extension.

/** A message, or the key itself in brackets so a missing string is visible rather than blank. */
export function messageFor(getMessage, key, subs = []) {
  const text = getMessage(key, subs);
  return text || `[${key}]`;
}

/** "placeholder:code_hint;aria-label:close" -> [["placeholder", "code_hint"], ["aria-label", "close"]]. */
export function parseAttrSpec(spec) {
  return String(spec || "")
    .split(";")
    .map((pair) => pair.split(":").map((part) => part.trim()))
    .filter((pair) => pair.length === 2 && pair[0] && pair[1]);
}

/** Translate every marked element under `root` (a Document, element or shadow root). */
export function fillI18n(root, getMessage) {
  for (const element of root.querySelectorAll("[data-i18n]")) {
    element.textContent = messageFor(getMessage, element.dataset.i18n);
  }
  for (const element of root.querySelectorAll("[data-i18n-attr]")) {
    for (const [attribute, key] of parseAttrSpec(element.dataset.i18nAttr)) {
      element.setAttribute(attribute, messageFor(getMessage, key));
    }
  }
}
