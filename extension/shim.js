// The thin browser/chrome shim: Firefox exposes promise-based `browser`, Chromium `chrome`
// (whose MV3 APIs also return promises). Everything else imports `ext` from here.

export const ext = globalThis.browser ?? globalThis.chrome;
