// Small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // The language menu applies itself; its button stays for keyboards and for no-JS browsers.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
    const button = select.form.querySelector("button");
    if (button) button.hidden = true;
  }

  // Ask before destructive buttons (remove a child, revoke a browser).
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  // Lists: while an update runs, refresh its progress every two seconds.
  const progress = document.querySelector("[data-progress-url]");
  if (progress) {
    const poll = async () => {
      try {
        const reply = await fetch(progress.dataset.progressUrl, { credentials: "same-origin" });
        if (!reply.ok) return;
        const state = await reply.json();
        progress.textContent = state.text;
        if (state.running) window.setTimeout(poll, 2000);
        else window.location.reload();
      } catch (error) {
        // The page still works: the parent can reload it by hand.
      }
    };
    window.setTimeout(poll, 2000);
  }
});
