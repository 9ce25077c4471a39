// "Think before you send" on message and comment fields. While the child types, the text is
// scored by the local Kiteguard (never stored anywhere); if it looks hurtful, pressing Enter or
// the send button first shows a gentle prompt. "Send anyway" always works: education, not censorship.

(() => {
  const ext = globalThis.browser ?? globalThis.chrome;
  const { show, t } = globalThis.kiteguardPanel;
  const DEBOUNCE_MS = 600;
  const SEND_WORDS = /^(send|post|reply|comment|submit|gửi|đăng|trả lời|bình luận)$/i;
  const scores = new WeakMap(); // field -> {text, prompt}: the latest answer, in memory only
  const sendAnyway = new WeakMap(); // field -> the text the child chose to send anyway
  const timers = new WeakMap();
  const messageFields = new WeakMap(); // element -> is it a message/comment box? (decided by the background)
  const pending = new WeakMap(); // element -> the background's answer, once asked
  let lastField = null;

  function candidateOf(target) {
    return target instanceof Element ? target.closest("textarea, input, [contenteditable], [role='textbox']") : null;
  }

  /** Ask the background once per element whether it is a message box; usually decided on focus, before any Enter. */
  function classifyField(element) {
    if (!pending.has(element)) {
      const field = {
        tag: element.tagName,
        type: element.getAttribute("type"),
        role: element.getAttribute("role"),
        contentEditable: element.isContentEditable,
        name: element.getAttribute("name"),
        id: element.id,
        placeholder: element.getAttribute("placeholder"),
        ariaLabel: element.getAttribute("aria-label"),
        autocomplete: element.getAttribute("autocomplete"),
      };
      const asked = ext.runtime
        .sendMessage({ type: "checkField", field })
        .then((answer) => Boolean(answer && answer.ok && answer.result.message))
        .catch(() => false)
        .then((isMessage) => {
          messageFields.set(element, isMessage);
          return isMessage;
        });
      pending.set(element, asked);
    }
    return pending.get(element);
  }

  function fieldOf(target) {
    const element = candidateOf(target);
    return element && messageFields.get(element) === true ? element : null;
  }

  // The same length rules as lib/sendguard.js; the background applies them again before scoring.
  const trimmed = (text) => (text.trim().length >= 4 ? text.trim().slice(0, 2000) : null);

  const textOf = (field) => (field.isContentEditable ? field.innerText : field.value) || "";

  async function score(field) {
    const text = trimmed(textOf(field));
    if (!text) {
      scores.delete(field);
      return;
    }
    const answer = await ext.runtime.sendMessage({ type: "scoreText", text }).catch(() => null);
    scores.set(field, { text, prompt: Boolean(answer && answer.ok && answer.result.prompt) });
  }

  /** True when sending this field's text now deserves a prompt first. */
  function needsPrompt(field) {
    const text = trimmed(textOf(field));
    const known = scores.get(field);
    return Boolean(text && known && known.prompt && known.text === text && sendAnyway.get(field) !== text);
  }

  function prompt(field, resend) {
    const text = trimmed(textOf(field));
    show({
      role: "alertdialog",
      title: t("sendguard_title"),
      text: t("sendguard_text"),
      buttons: [
        {
          label: t("sendguard_send_anyway"),
          primary: false,
          onClick: () => {
            sendAnyway.set(field, text);
            resend();
          },
        },
        { label: t("sendguard_change"), primary: true },
      ],
    });
  }

  document.addEventListener(
    "focusin",
    (event) => {
      const element = candidateOf(event.target);
      if (element) {
        classifyField(element);
      }
    },
    true,
  );

  document.addEventListener(
    "input",
    async (event) => {
      const element = candidateOf(event.target);
      if (!element || !(await classifyField(element))) {
        return;
      }
      lastField = element;
      clearTimeout(timers.get(element));
      timers.set(element, setTimeout(() => score(element), DEBOUNCE_MS));
    },
    true,
  );

  document.addEventListener(
    "keydown",
    (event) => {
      // isComposing: Vietnamese is often typed through an input method; Enter there confirms a word.
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || !event.isTrusted) {
        return;
      }
      const field = fieldOf(event.target);
      if (field && needsPrompt(field)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        prompt(field, () => {
          const form = field.closest("form");
          if (form && field.tagName !== "TEXTAREA") {
            form.requestSubmit();
          } else {
            const init = { key: "Enter", code: "Enter", keyCode: 13, which: 13, bubbles: true, cancelable: true };
            field.dispatchEvent(new KeyboardEvent("keydown", init));
          }
        });
      }
    },
    true,
  );

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      const field = [...form.querySelectorAll("textarea, input, [contenteditable]")].map(fieldOf).find(Boolean);
      if (field && needsPrompt(field)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        prompt(field, () => form.requestSubmit(event.submitter || undefined));
      }
    },
    true,
  );

  document.addEventListener(
    "click",
    (event) => {
      // Chat apps often send with a button outside any form: watch buttons whose label says "send".
      const button = event.target instanceof Element ? event.target.closest("button, [role='button']") : null;
      const label = button ? (button.getAttribute("aria-label") || button.textContent || "").trim() : "";
      if (!button || !event.isTrusted || !lastField || !SEND_WORDS.test(label) || button.type === "submit") {
        return;
      }
      if (needsPrompt(lastField)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        prompt(lastField, () => button.click());
      }
    },
    true,
  );
})();
