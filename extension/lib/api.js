// The client for Kiteguard's local extension API (/api/ext/...). Only this computer:
// the base address has been checked by `parseApiBase` before it gets here.
//
// Errors, as a tree:
//   ApiError(code)
//     code "unpaired"     the token was refused (revoked, or the browser was never paired): pair again
//     code "bad_code"     the pairing code was wrong, used or expired
//     code "rate_limited" too many pairing attempts; wait a minute
//     code "unavailable"  the API answered 503: a feature (the classifier) is not ready
//     code "offline"      Kiteguard did not answer at all
//     code "refused"      any other refusal (4xx/5xx) from the API

export const TIMEOUT_MS = 8000;
export const REPORT_REASONS = ["bullying", "child_sexual", "scam", "other"];

export class ApiError extends Error {
  constructor(code, status = 0) {
    super(code);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }
}

function codeForStatus(status, path) {
  if (status === 401 || status === 403) {
    return path === "/api/ext/pair" ? "bad_code" : "unpaired";
  }
  if (status === 429) {
    return "rate_limited";
  }
  if (status === 503) {
    return "unavailable";
  }
  return "refused";
}

export class ApiClient {
  /** `fetchImpl` is injected (the browser's fetch in the extension, Node's in tests). */
  constructor({ apiBase, token = null, fetchImpl = globalThis.fetch, timeoutMs = TIMEOUT_MS }) {
    this.apiBase = apiBase;
    this.token = token;
    // Bound: browsers refuse `fetch` called as a method of another object ("Illegal invocation").
    this.fetchImpl = fetchImpl.bind(globalThis);
    this.timeoutMs = timeoutMs;
  }

  async call(method, path, body = undefined) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (this.token) {
      headers.Authorization = `Bearer ${this.token}`;
    }
    let response;
    try {
      response = await this.fetchImpl(`${this.apiBase}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: "no-store",
        credentials: "omit",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new ApiError("offline");
    }
    if (!response.ok) {
      throw new ApiError(codeForStatus(response.status, path), response.status);
    }
    const text = await response.text();
    return text ? JSON.parse(text) : {};
  }

  pair(code, browserName) {
    return this.call("POST", "/api/ext/pair", { code, browser_name: browserName });
  }

  status() {
    return this.call("GET", "/api/ext/status");
  }

  heartbeat(proxyOk) {
    return this.call("POST", "/api/ext/heartbeat", { proxy_ok: proxyOk });
  }

  askForTime(minutes, message, { category = null, url = null } = {}) {
    const wanted = Math.floor(Number(minutes));
    if (!Number.isFinite(wanted) || wanted < 1 || wanted > 240) {
      throw new ApiError("refused");
    }
    return this.call("POST", "/api/ext/request", {
      kind: "time",
      minutes: wanted,
      category,
      url,
      message: String(message || "").slice(0, 500),
    });
  }

  askForSite(url, message) {
    return this.call("POST", "/api/ext/request", { kind: "site", url, message: String(message || "").slice(0, 500) });
  }

  report(url, reason, message) {
    if (!REPORT_REASONS.includes(reason)) {
      throw new ApiError("refused");
    }
    return this.call("POST", "/api/ext/report", { url, reason, message: String(message || "").slice(0, 500) });
  }

  classify(text) {
    return this.call("POST", "/api/ext/classify", { text });
  }
}
