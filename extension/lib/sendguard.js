// "Think before you send": which text fields send messages or comments, and when to ask.
// The child can always send; this only decides whether to show a gentle prompt first.

// Words (English and Vietnamese) that name a message or comment box in its attributes.
const MESSAGE_WORDS =
  /(message|messages|msg|comment|reply|chat|compose|post|tweet|caption|write|tin nhắn|nhắn tin|bình luận|trả lời|viết|soạn)/i;
// Fields that must never be read at all, whatever their label says.
const PRIVATE_TYPES = new Set(["password", "email", "tel", "number", "url", "search", "hidden", "date"]);
const PRIVATE_AUTOCOMPLETE = /(password|cc-|one-time-code|email|tel|address|postal)/i;

export const MIN_LENGTH = 4;
export const MAX_LENGTH = 2000;
export const PROMPT_LABELS = new Set(["bullying", "hate", "hate_bullying", "harassment", "threat"]);
export const PROMPT_SCORE = 0.6;

/**
 * A field description (tag, type, role, contentEditable, name, id, placeholder, ariaLabel,
 * autocomplete), as read from the DOM by the content script -> is it a message or comment box?
 */
export function isMessageField(field) {
  if (!field) {
    return false;
  }
  const tag = String(field.tag || "").toLowerCase();
  const type = String(field.type || "text").toLowerCase();
  if (PRIVATE_TYPES.has(type) || PRIVATE_AUTOCOMPLETE.test(String(field.autocomplete || ""))) {
    return false;
  }
  const editable = tag === "textarea" || field.contentEditable === true || field.role === "textbox";
  const textInput = tag === "input" && type === "text";
  if (!editable && !textInput) {
    return false;
  }
  const label = [field.name, field.id, field.placeholder, field.ariaLabel].filter(Boolean).join(" ");
  // A textarea or rich editor is where people write to each other; a one-line input only when its label says so.
  return (editable && tag !== "input") || MESSAGE_WORDS.test(label);
}

/** The text to score, trimmed to the cap, or null when it is too short to be worth asking about. */
export function textToScore(text) {
  const trimmed = String(text || "").trim();
  if (trimmed.length < MIN_LENGTH) {
    return null;
  }
  return trimmed.slice(0, MAX_LENGTH);
}

/** The classifier's answer -> show the prompt? An unavailable classifier never gets in the way. */
export function shouldPrompt(result) {
  if (!result || typeof result !== "object") {
    return false;
  }
  if (result.hurtful === true) {
    return true;
  }
  const score = Number(result.score);
  return PROMPT_LABELS.has(result.label) && Number.isFinite(score) && score >= PROMPT_SCORE;
}
