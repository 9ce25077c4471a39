// A small accessible panel in a shadow DOM, shared by the overlay and "think before you send".
// The page cannot restyle it by accident, and its styles cannot leak into the page.
// Content scripts share one isolated world, so this global is invisible to the page's own scripts.

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  const STYLE = `
    :host { all: initial; }
    .panel { position: fixed; z-index: 2147483647; left: 50%; transform: translateX(-50%); bottom: 24px;
      max-width: min(520px, calc(100vw - 32px)); box-sizing: border-box; padding: 16px 18px; border-radius: 12px;
      background: #fffdf7; color: #1f1f1f; border: 2px solid #1d6b57; box-shadow: 0 6px 24px rgba(0,0,0,.25);
      font: 16px/1.45 system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
    .panel.alert { border-color: #b3261e; }
    h2 { font-size: 18px; margin: 0 0 6px; }
    p { margin: 0 0 10px; }
    .buttons { display: flex; gap: 10px; flex-wrap: wrap; justify-content: flex-end; }
    button { font: inherit; min-height: 44px; min-width: 44px; padding: 6px 16px; border-radius: 8px; cursor: pointer;
      border: 2px solid #1d6b57; background: #1d6b57; color: #fff; }
    button.secondary { background: transparent; color: #1d6b57; }
    button:focus-visible { outline: 3px solid #f4b400; outline-offset: 2px; }
    @media (prefers-color-scheme: dark) { .panel { background: #1f2321; color: #eee; }
      button.secondary { color: #8fd3bd; border-color: #8fd3bd; } }`;

  let host = null;

  function close() {
    if (host) {
      host.remove();
      host = null;
    }
  }

  /**
   * Show one panel (replacing any other). `role` is "status" (polite), "alert" or "alertdialog".
   * `buttons` are [{label, primary, onClick}]; every button closes the panel first.
   */
  function show({ role, title, text, buttons, urgent = false }) {
    const returnFocus = document.activeElement;
    close();
    host = document.createElement("kiteguard-panel");
    const root = host.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const panel = document.createElement("div");
    panel.className = urgent ? "panel alert" : "panel";
    panel.setAttribute("role", role);
    panel.setAttribute("aria-labelledby", "kg-title");
    panel.setAttribute("aria-describedby", "kg-text");
    panel.lang = ext.i18n.getUILanguage().split("-")[0];
    const heading = document.createElement("h2");
    heading.id = "kg-title";
    heading.textContent = title;
    const body = document.createElement("p");
    body.id = "kg-text";
    body.textContent = text;
    const row = document.createElement("div");
    row.className = "buttons";
    const made = buttons.map(({ label, primary, onClick }) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.className = primary ? "" : "secondary";
      button.addEventListener("click", () => {
        close();
        if (returnFocus && returnFocus.focus) {
          returnFocus.focus();
        }
        if (onClick) {
          onClick();
        }
      });
      return button;
    });
    row.append(...made);
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        close(); // Escape never acts: it only dismisses, like any dialog
        if (returnFocus && returnFocus.focus) {
          returnFocus.focus();
        }
      }
    });
    panel.append(heading, body, row);
    root.append(style, panel);
    document.documentElement.append(host);
    if (role === "alertdialog") {
      made[made.length - 1].focus(); // callers put the safe choice last, so Enter on a reflex is harmless
    }
    return host;
  }

  const t = (key, subs = []) => ext.i18n.getMessage(key, subs) || `[${key}]`;
  const category = (id) => (id && ext.i18n.getMessage(`category_${id}`)) || t("category_unknown");

  globalThis.kiteguardPanel = { show, close, t, category };
})();
