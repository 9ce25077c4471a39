// The popup: who is paired, time left, asking a parent, reporting, help, tip, and what Kiteguard can see.
// It only talks to the background, which holds the token; nothing here calls the network.

import { ext } from "../shim.js";
import { fillI18n, messageFor } from "../lib/i18n.js";
import { PairingInputError, parsePairingCode } from "../lib/pairing.js";
import { describeMinutes, sortTimeLeft } from "../lib/timeleft.js";
import { tipKeyFor } from "../lib/tips.js";

const t = (key, subs = []) => messageFor((name, values) => ext.i18n.getMessage(name, values), key, subs);
const $ = (id) => document.getElementById(id);

async function send(message) {
  const answer = await ext.runtime.sendMessage(message);
  if (!answer || !answer.ok) {
    throw new Error((answer && answer.error) || "internal");
  }
  return answer.result;
}

function errorText(code) {
  const known = ["bad_code", "rate_limited", "offline", "unpaired", "unavailable"];
  return t(known.includes(code) ? `error_${code}` : "error_generic");
}

function categoryName(category) {
  return ext.i18n.getMessage(`category_${category}`) || category;
}

function renderTime(status) {
  const rows = sortTimeLeft(status ? status.time_left : null);
  const list = $("time-list");
  list.replaceChildren(
    ...rows.map(({ category, minutes }) => {
      const item = document.createElement("li");
      const { key, subs } = describeMinutes(minutes);
      item.textContent = `${categoryName(category)}: ${t(key, subs)}`;
      return item;
    }),
  );
  $("time-unlimited").hidden = rows.length > 0;
}

function renderRequests(status) {
  const requests = (status && status.requests) || [];
  $("requests").hidden = requests.length === 0;
  $("request-list").replaceChildren(
    ...requests.map((request) => {
      const item = document.createElement("li");
      const what =
        request.kind === "time" ? t("request_time", [String(request.minutes || "")]) : t("request_site", [request.host || ""]);
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = ` — ${t(`request_state_${["approved", "denied"].includes(request.status) ? request.status : "pending"}`)}`;
      item.append(what, state);
      if (request.answer) {
        const answer = document.createElement("div");
        answer.textContent = `“${request.answer}”`;
        item.append(answer);
      }
      return item;
    }),
  );
}

function render(state) {
  $("pairing").hidden = state.paired;
  for (const id of ["time", "ask", "report"]) {
    $(id).hidden = !state.paired;
  }
  $("greeting").hidden = !state.childName;
  if (state.childName) {
    $("greeting").textContent = t("greeting", [state.childName]);
  }
  $("proxy-warning").hidden = !(state.paired && state.proxyOk === false);
  renderTime(state.status);
  renderRequests(state.status);
}

async function activeTabUrl() {
  const [tab] = await ext.tabs.query({ active: true, lastFocusedWindow: true });
  return tab && /^https?:/.test(tab.url || "") ? tab.url : null;
}

async function refresh() {
  render(await send({ type: "getState" }));
  render(await send({ type: "refreshStatus" }));
}

function wireForms() {
  $("pairing-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("pairing-error").textContent = "";
    try {
      const code = parsePairingCode($("pairing-code").value);
      const result = await send({ type: "pairWithCode", code });
      $("paired-result").textContent = t("pairing_done", [result.childName || ""]);
      $("paired-result").hidden = false;
      await refresh();
    } catch (error) {
      $("pairing-error").textContent = error instanceof PairingInputError ? t(error.messageKey) : errorText(error.message);
    }
  });
  $("ask-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("ask-result").textContent = "";
    try {
      await send({
        type: "askForTime",
        minutes: Number($("ask-minutes").value),
        message: $("ask-message").value,
        url: await activeTabUrl(),
      });
      $("ask-result").textContent = t("ask_sent");
      $("ask-message").value = "";
      await refresh();
    } catch (error) {
      $("ask-result").textContent = errorText(error.message);
    }
  });
  $("ask-site").addEventListener("click", async () => {
    $("ask-result").textContent = "";
    const url = await activeTabUrl();
    if (!url) {
      $("ask-result").textContent = t("ask_site_no_page");
      return;
    }
    try {
      await send({ type: "askForSite", url, message: $("ask-message").value });
      $("ask-result").textContent = t("ask_sent");
      await refresh();
    } catch (error) {
      $("ask-result").textContent = errorText(error.message);
    }
  });
  $("report-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = await activeTabUrl();
    try {
      await send({ type: "reportPage", url: url || "", reason: $("report-reason").value, message: $("report-message").value });
      $("report-result").textContent = t("report_sent");
      $("report-message").value = "";
    } catch (error) {
      $("report-result").textContent = errorText(error.message);
    }
  });
}

function showPairingOutcome() {
  const paired = new URLSearchParams(location.search).get("paired");
  if (paired !== null) {
    $("paired-result").textContent = t(paired === "1" ? "pairing_done_url" : "pairing_failed_url");
    $("paired-result").hidden = false;
  }
}

document.documentElement.lang = ext.i18n.getUILanguage().split("-")[0];
fillI18n(document, (key, subs) => ext.i18n.getMessage(key, subs));
$("tip-text").textContent = t(tipKeyFor(new Date()));
showPairingOutcome();
wireForms();
refresh().catch(() => render({ paired: false }));
