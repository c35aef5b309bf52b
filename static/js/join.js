// The join form, live: each massage's state and wait before anything is typed; what cannot be picked is greyed.
// Joining happens in this same document, so the tap on Join unlocks sound for the call to come.
import { $, pageData } from "./dom.js";
import { unlockSound } from "./alerts.js";
import { follow, showConnection } from "./live.js";
import { eventClock, openingAhead, refusal, waitFor, waitWords } from "./queue-rules.js";
import { inLanguage, locale, t } from "./words.js";

const config = pageData("join-config");
let services = config.services;

const clock = eventClock(config.time_zone);

function render() {
  const now = clock();
  let open = 0;
  for (const [code, service] of Object.entries(services)) {
    const option = document.querySelector(`[data-service="${code}"]`);
    if (!option) continue;
    const reason = refusal(service, now, t);
    const input = option.querySelector("input");
    input.disabled = Boolean(reason);
    if (reason && input.checked) input.checked = false;
    option.classList.toggle("unavailable", Boolean(reason));
    option.querySelector(".service-wait").textContent = reason
      ? t("%(service)s %(refusal)s", { service: inLanguage(service.names, service.name), refusal: reason })
      : `${waitWords(waitFor(service.waiting + 1, service), new Date(), t, locale())} · ${t("%(count)s waiting", { count: service.waiting })}`;
    if (!reason) open += 1;
  }
  $("join-form").hidden = open === 0;
  $("nothing-open").hidden = open !== 0;
  const opening = Object.values(services).filter((s) => s.status !== "closed" && openingAhead(s, now))
    .map((s) => s.opens_at).sort()[0];
  $("nothing-open-when").textContent = opening ? t("It opens at %(time)s.", { time: opening })
    : t("Ask at the tent when it opens again.");
}

const live = follow({ event: config.slug }, "board", {
  snapshot: (snap) => { services = snap.board.services; render(); },
  delta: (delta) => { services = delta.services; render(); },
  connection: (state, detail) => showConnection($("connection"), state, detail),
});
const ticker = setInterval(render, 30000);  // opening hours and last call pass with the clock, not with a change
render();

// After a refused join, the focus goes to the first answer to fix (or to the refusal), so a keyboard or a screen
// reader lands on it.
function focusFirstError() {
  const invalid = document.querySelector("#join-form [aria-invalid=true]");
  const field = invalid?.matches("fieldset") ? invalid.querySelector("input:not([disabled])") : invalid;
  const refusal = document.querySelector(".form-error");
  if (field) field.focus();
  else if (refusal) {
    refusal.tabIndex = -1;
    refusal.focus();
  }
}
focusFirstError();

// Show the page the server answered in this document, and start its script.
async function showAnswer(response) {
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  live.socket.disconnect();
  clearInterval(ticker);
  // A referral is a page of its own in the history, so Back returns to the form (loaded afresh), not out of the
  // app; the ticket replaces the form, as a reload or a re-scan would show it anyway.
  if (new URL(response.url).pathname.endsWith("/medical")) {
    history.pushState(null, "", response.url);
    window.addEventListener("popstate", () => window.location.reload(), { once: true });
  } else history.replaceState(null, "", response.url);
  document.title = page.title;
  document.documentElement.lang = page.documentElement.lang;  // the answer's language (words.js and speech read it)
  document.documentElement.dir = page.documentElement.dir;
  document.body.className = page.body.className;
  document.body.replaceChildren(...[...page.body.childNodes].map((node) => document.importNode(node, true)));
  window.scrollTo(0, 0);
  // Scripts moved in like this never run: import the page's module. alerts.js stays the same instance, with
  // sound unlocked; the query makes a fresh instance of a page module seen before (the form after a refusal).
  const module = page.querySelector("script[type=module][src]");
  if (module) await import(`${new URL(module.getAttribute("src"), response.url).href}?shown=${Date.now()}`);
}

// Without this script the form still works: a plain POST, and a ticket page that asks for a tap to turn on sound.
$("join-form").addEventListener("submit", async (event) => {
  if (!window.fetch || !window.DOMParser) return;
  event.preventDefault();
  unlockSound();  // inside the tap: what lets the call ring later
  const form = event.target;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  let response;
  try {
    response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
  } catch {
    button.disabled = false;
    form.submit();  // no answer at all: let the browser try the plain way
    return;
  }
  await showAnswer(response);
});
