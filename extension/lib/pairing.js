// Pairing input: the 6-digit code a parent reads out, and the pairing URL the setup wizard opens.
// The URL keeps its secrets in the fragment (#code=...), which the browser never sends to any server.

export const PAIRING_HOST = "kiteguard.invalid";
export const PAIRING_PATH = "/pair";
export const DEFAULT_API_BASE = "http://127.0.0.1:8378"; // the default of kiteguard run --ui-port

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

export class PairingInputError extends Error {
  constructor(messageKey) {
    super(messageKey);
    this.name = "PairingInputError";
    this.messageKey = messageKey; // a _locales key, so the popup can explain in the child's language
  }
}

/** "123 456", "123-456" and " 123456 " are all the code 123456; anything else is refused. */
export function parsePairingCode(input) {
  const digits = String(input ?? "").replace(/[\s-]/g, "");
  if (!/^\d{6}$/.test(digits)) {
    throw new PairingInputError("pairing_error_code_format");
  }
  return digits;
}

/**
 * The local API address, or an error when it is not on this computer.
 * Kiteguard speaks only to the local Kiteguard: never to a third-party server.
 */
export function parseApiBase(input) {
  let url;
  try {
    url = new URL(String(input ?? ""));
  } catch {
    throw new PairingInputError("pairing_error_api_address");
  }
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname) || url.username || url.password) {
    throw new PairingInputError("pairing_error_api_address");
  }
  return `${url.protocol}//${url.host}`;
}

/** `http://kiteguard.invalid/pair#code=123456&api=http://127.0.0.1:8378` -> {code, apiBase}; other URLs -> null. */
export function parsePairingUrl(input) {
  let url;
  try {
    url = new URL(String(input ?? ""));
  } catch {
    return null;
  }
  if (url.hostname !== PAIRING_HOST || url.pathname !== PAIRING_PATH) {
    return null;
  }
  const params = new URLSearchParams(url.hash.replace(/^#/, ""));
  const code = parsePairingCode(params.get("code"));
  const api = params.get("api");
  return { code, apiBase: api ? parseApiBase(api) : null };
}

/** The WebSocket address of the live channel for an API base. */
export function liveUrl(apiBase) {
  return `${apiBase.replace(/^http/, "ws")}/api/ext/live`;
}
