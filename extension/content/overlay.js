// In-page overlays the background asks for: blocked sub-resources and frames, "time almost up",
// and pages in a warn category. Messages come only from our own background (runtime.onMessage
// in a content script never receives messages from web pages).

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  const { show, t, category } = globalThis.kiteguardPanel;
  let hiddenCount = 0;

  function showBlocked(overlay) {
    hiddenCount += 1;
    show({
      role: "status",
      title: t("overlay_blocked_title"),
      text: hiddenCount > 1 ? t("overlay_blocked_many", [String(hiddenCount)]) : t("overlay_blocked_text", [category(overlay.category)]),
      buttons: [{ label: t("overlay_ok"), primary: true }],
    });
  }

  function showTime(overlay) {
    show({
      role: "alert",
      urgent: overlay.minutes <= 1,
      title: t("overlay_time_title"),
      text: overlay.category
        ? t("overlay_time_text", [String(overlay.minutes), category(overlay.category)])
        : t("overlay_time_text_all", [String(overlay.minutes)]),
      buttons: [{ label: t("overlay_ok"), primary: true }],
    });
  }

  function showWarn(overlay) {
    show({
      role: "status", // a reminder, not a question: the warning page already asked, so no focus is taken
      title: t("overlay_warn_title"),
      text: t("overlay_warn_text", [category(overlay.category)]),
      buttons: [{ label: t("overlay_ok"), primary: true }],
    });
  }

  const kinds = { blocked: showBlocked, time: showTime, warn: showWarn };

  ext.runtime.onMessage.addListener((message) => {
    if (message && message.type === "showOverlay" && message.overlay && Object.hasOwn(kinds, message.overlay.kind)) {
      kinds[message.overlay.kind](message.overlay);
    }
  });
})();
