// The runner's ticket page: place, wait and call, live. When called it rings until the runner says they are
// coming, and counts down the time left to reach the table.
import { $, pageData } from "./dom.js";
import { follow, showConnection } from "./live.js";
import { buzz, chime, enableAlerts, soundReady, startRinging, stopRinging, unlockSound } from "./alerts.js";
import { eventClock, placeChange, reach, waitFor, waitWords } from "./queue-rules.js";
import { offerReach } from "./reach.js";
import { inLanguage, lang, locale, t, tn } from "./words.js";

const initial = pageData("initial-state");
const ticket = { ...initial.ticket };
let services = initial.board.services;
let placeVersion = ticket.version || 0;
// The newest version of our ticket heard on this connection: an older state that reaches us after it (a snapshot
// read before a change that overtook it, a board delta's step behind a newer ticket event) is stale. Forgotten
// when the connection drops, as live.js forgets its own.
let ticketHeard = -1;
let announcement = initial.board.announcement;
let announcements = initial.board.announcements;

const KNOWN = ["waiting", "called", "in_treatment", "done"];
const ENDED_MESSAGES = {
  left: "You left the queue.",
  no_show: "You were called but did not arrive, so your place has gone.",
  removed: "The tent staff took this ticket out of the queue.",
  sent_to_medical: "Please go to the medical tent now.",
  moved: "This ticket is now on another phone. Your place is kept there.",
};
const SERVICE_STATES = {
  paused: (name) => t("%(service)s is paused for a moment. You keep your place.", { service: name }),
  closed: (name) => t("%(service)s takes no new runners now. You keep your place.", { service: name }),
};
const TITLE = document.title;
const CLOSE_KEY = `close-alert:${initial.token}`;
let alertsAsked = false;
let ringingFor = null;     // the called_at of the call we ring for: a new call (or "call again") rings anew
let acknowledged = false;  // the runner pressed "I'm on my way" for this call
let closeAlerted = false;  // the "getting close" alert fires once
let closeDue = false;      // the place fell to the chosen number, maybe while the wait shown was still long
const CLOSE_MINUTES = 5;   // rules/alerts.py CLOSE_MINUTES
let countdownTimer = null;

const clock = eventClock(initial.time_zone);

// "We expect to reach you just before closing": the same rule as the join's (rules/last_call.py), on the event's
// clock, so it comes and goes as the pace, the tables and the time change.
function renderLastCall() {
  const found = ticket.status === "waiting" ? reach(services[ticket.service], ticket.place, clock()) : null;
  $("last-call").hidden = !(found && found.thin);
}

function estimate() {
  return waitWords(waitFor(ticket.place, services[ticket.service]), new Date(), t, locale());
}

// How many runners ahead of us make the "getting close" alert (the runner's choice, kept on this phone).
function closeAt() {
  const stored = Number(localStorage.getItem(CLOSE_KEY));
  return Number.isInteger(stored) && stored >= 0 && localStorage.getItem(CLOSE_KEY) !== null ? stored : 3;
}

function render() {
  document.body.className = `ticket-page status-${ticket.status}`;
  for (const section of document.querySelectorAll(".state")) section.hidden = true;
  $(KNOWN.includes(ticket.status) ? `state-${ticket.status}` : "state-ended").hidden = false;
  $("place").textContent = ticket.place;
  $("wait").textContent = estimate();
  renderLastCall();
  renderLane();
  $("table").textContent = ticket.table ?? "";
  $("table-line").dataset.digits = String(ticket.table ?? "").length;
  $("table-treatment").textContent = ticket.table ?? "";
  if (ENDED_MESSAGES[ticket.status]) $("ended-message").textContent = t(ENDED_MESSAGES[ticket.status]);
  $("medical-place").hidden = ticket.status !== "sent_to_medical";
  $("join-again").hidden = ticket.status === "sent_to_medical";
  $("leave-form").hidden = ticket.status !== "waiting";
  renderNotices();
  // Once asked, the button gives way to plain words; once called, the page itself is the alert.
  $("enable-alerts").hidden = ticket.status !== "waiting" || alertsAsked;
  $("enable-alerts-hint").hidden = $("enable-alerts").hidden;
  $("alerts-status").hidden = ticket.status !== "waiting" || !alertsAsked;
  $("close-setting").hidden = ticket.status !== "waiting";
  $("reach").hidden = ticket.status !== "waiting";
  // Once fired, the banner stays, and follows the place as it falls.
  $("close-alert").hidden = ticket.status !== "waiting" || !closeAlerted;
  if (closeAlerted) $("close-alert").textContent = closeWords();
  renderStepBack();
  // A phone whose sound is locked (a reload, a re-scan) asks for one tap, first thing on the page.
  $("sound-on").hidden = soundReady() || !["waiting", "called"].includes(ticket.status);
  $("on-my-way").hidden = ticket.status !== "called" || acknowledged || Boolean(ticket.on_way_at);
  $("on-my-way-done").hidden = ticket.status !== "called" || !(acknowledged || ticket.on_way_at);
  if (!document.documentElement.dataset.ringing) {
    document.title = ticket.status === "called" ? `${t("Go to table %(table)s", { table: ticket.table })} – ${TITLE}` : TITLE;
  }
  renderCountdown();
}

// Our own priority lane, if the service has lanes and our category is in one (nobody else's is ever sent).
function renderLane() {
  const lane = ticket.lane;
  $("lane").hidden = !lane;
  if (!lane) return;
  $("lane").textContent = lane.first
    ? t("Your lane: %(lane)s, called before the other lanes", { lane: lane.category })
    : t("Your lane: %(lane)s, 1 call in %(every)s", { lane: lane.category, every: lane.every });
}

// The organiser's announcement, and a word when our service is paused or closed while we wait.
function renderNotices() {
  const shown = inLanguage(announcements, announcement);
  $("announcement").textContent = shown || "";
  $("announcement").hidden = !shown;
  const service = services[ticket.service];
  const state = ticket.status === "waiting" && service && SERVICE_STATES[service.status];
  $("service-state").textContent = state ? state(inLanguage(service.names, service.name)) : "";
  $("service-state").hidden = !state;
}

// "Let others go first": offered while waiting, once, up to what the service allows and who is behind us.
function renderStepBack() {
  const service = services[ticket.service];
  const allowed = Math.min(service?.step_back ?? 0, (service?.waiting ?? 0) - ticket.place);
  const offer = ticket.status === "waiting" && !ticket.stepped_back && allowed > 0;
  $("step-back").hidden = !offer;
  if (!offer) return;
  const select = $("step-back-places");
  if (select.options.length !== allowed) {
    const chosen = select.value;
    select.replaceChildren(...Array.from({ length: allowed }, (_, i) => {
      const option = document.createElement("option");
      option.value = String(i + 1);
      option.textContent = tn("%(num)s runner", "%(num)s runners", i + 1);
      return option;
    }));
    if (chosen && Number(chosen) <= allowed) select.value = chosen;
  }
}

// m:ss left to reach the table, with a word at half time and in the last minute.
function renderCountdown() {
  clearTimeout(countdownTimer);
  if (ticket.status !== "called" || !ticket.grace_ends_at) return;
  const left = Math.max(0, Math.round((Date.parse(ticket.grace_ends_at) - Date.now()) / 1000));
  $("countdown").textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
  const half = (ticket.grace_seconds || 180) / 2;
  const warning = left === 0 ? t("Time is up: hurry, or ask at the tent.")
    : left <= 60 ? t("Less than a minute left to reach the table!")
      : left <= half ? t("Half your time has gone: head to the table now.") : "";
  if (warning && $("countdown-warning").textContent !== warning) {
    announce(warning, true);
    if (!acknowledged) buzz([300, 100, 300]);
  }
  $("countdown-warning").textContent = warning;
  $("countdown-box").dataset.urgent = left <= 60 ? "yes" : "no";
  countdownTimer = setTimeout(renderCountdown, 1000 - (Date.now() % 1000));
}

// Screen readers: the call interrupts, a place change waits its turn.
function announce(text, urgent = false) {
  $(urgent ? "announcer" : "status-announcer").textContent = text;
}

// Ring for a new call (or a "call again"); stop once the runner is coming, on the table, or no longer called.
function ringIfCalled() {
  if (ticket.status !== "called") {
    stopRinging();
    ringingFor = null;
    return;
  }
  if (ticket.called_at === ringingFor) return;
  ringingFor = ticket.called_at;
  acknowledged = Boolean(ticket.on_way_at);
  if (acknowledged) return;
  const table = { table: ticket.table, number: ticket.number };
  startRinging(t("%(number)s: go to table %(table)s", table), t("It is your turn. Your therapist is waiting."),
    `${t("Go to table %(table)s", table)} – ${TITLE}`);
  announce(t("It is your turn. Go to table %(table)s.", table), true);
}

// Once, as the place falls to the runner's chosen number of runners ahead (never at the moment of joining or of
// opening the page), and only while the wait shown is a few minutes at most (rules/alerts.py close_due): a
// chime beside "About 33–57 min" would say two things at once. `placeBefore` is the place before this update.
function alertIfClose(placeBefore) {
  if (ticket.status !== "waiting" || closeAlerted) return;
  const ahead = ticket.place - 1;
  if (ahead > closeAt()) {
    closeDue = false;
    return;
  }
  if (placeBefore !== undefined && ticket.place < placeBefore) closeDue = true;
  const wait = waitFor(ticket.place, services[ticket.service]);
  if (!closeDue || !wait || wait.high > CLOSE_MINUTES) return;
  closeAlerted = true;
  chime(1);
  buzz([300, 150, 300]);
  announce(closeWords(), true);
}

function closeWords() {
  const ahead = ticket.place - 1;
  return ahead === 0 ? t("You are next!")
    : tn("Almost your turn: %(num)s runner ahead of you.", "Almost your turn: %(num)s runners ahead of you.", ahead);
}

// The server's word on our own ticket: status, table and place as of its version.
function onTicket(update) {
  if (update.version != null) {
    if (update.version < ticketHeard) return;
    ticketHeard = update.version;
  }
  const before = { status: ticket.status, place: ticket.place };
  Object.assign(ticket, update);
  placeVersion = Math.max(placeVersion, update.version || 0);
  ringIfCalled();
  if (ticket.status !== before.status && ticket.status === "done") announce(t("Done. Thank you!"));
  else if (ticket.status !== before.status && ticket.status === "sent_to_medical") announce(ENDED_MESSAGES.sent_to_medical, true);
  else if (ticket.status === "waiting" && ticket.place !== before.place) {
    announce(t("You are number %(place)s in the queue.", { place: ticket.place }));
  }
  alertIfClose(before.status === "waiting" ? before.place : undefined);
  render();
}

// A public change: our own ticket's new state, or a ticket ahead of us leaving, joining or moving.
function onBoard(delta) {
  services = delta.services;
  ({ announcement, announcements } = delta);
  const placeBefore = ticket.place;
  for (const change of delta.changes) {
    if (change.number === ticket.number) {
      if (change.status !== ticket.status && delta.version >= ticketHeard) {
        onTicket({ status: change.status, table: change.table, seq: change.seq });
      }
      continue;
    }
    if (ticket.status !== "waiting" || delta.version <= placeVersion) continue;
    ticket.place += placeChange(change, ticket);
  }
  if (ticket.status === "waiting" && ticket.place !== placeBefore) {
    announce(t("You are number %(place)s in the queue.", { place: ticket.place }));
  }
  alertIfClose(placeBefore);
  render();
}

function onSnapshot(snap) {
  services = snap.board.services;
  ({ announcement, announcements } = snap.board);
  onTicket(snap.ticket);
}

follow({ ticket: initial.token }, "board", {
  snapshot: onSnapshot,
  delta: onBoard,
  ticket: onTicket,
  moved: () => onTicket({ status: "moved" }),
  connection: (state, detail) => {
    if (state === "reconnecting") ticketHeard = -1;
    showConnection($("connection"), state, detail);
    showStale(state === "reconnecting" || state === "refused");
  },
});

// While the socket is down, the place and wait are dimmed and say how old they are; the truth restores them.
let staleSince = null;
let staleTimer = null;
function showStale(stale) {
  clearInterval(staleTimer);
  if (!stale) {
    staleSince = null;
    delete document.body.dataset.stale;
    $("stale-note").hidden = true;
    return;
  }
  staleSince ??= Date.now();
  document.body.dataset.stale = "yes";
  const tell = () => {
    const gone = Math.floor((Date.now() - staleSince) / 1000);
    $("stale-note").textContent = t("Not live: last updated %(time)s ago", {
      time: `${Math.floor(gone / 60)}:${String(gone % 60).padStart(2, "0")}` });
  };
  tell();
  $("stale-note").hidden = false;
  staleTimer = setInterval(tell, 1000);
}

$("sound-on").addEventListener("click", () => {
  unlockSound();
  if (ticket.status === "called" && !acknowledged) {
    ringingFor = null;
    ringIfCalled();
  } else chime(1);
  render();
});

$("on-my-way").addEventListener("click", async () => {
  acknowledged = true;
  stopRinging();
  render();
  try {
    const response = await fetch(`/api/v1/tickets/${encodeURIComponent(initial.token)}/on-my-way`,
      { method: "POST", credentials: "same-origin", headers: { "Accept-Language": lang() } });
    if (response.ok) onTicket(await response.json());
  } catch { /* the tablet will see the runner arrive; the phone already stopped ringing */ }
});

$("enable-alerts").addEventListener("click", async () => {
  const { sound, notifications } = await enableAlerts();
  const parts = [sound ? t("sound") : null, navigator.vibrate ? t("vibration") : null,
    notifications ? t("notification") : null];
  const on = parts.filter(Boolean);
  $("alerts-status").textContent = on.length ? t("✓ Alerts on: %(ways)s", { ways: new Intl.ListFormat(locale()).format(on) })
    : t("Alerts are not available on this phone.");
  alertsAsked = true;
  render();
});

$("step-back").addEventListener("submit", async (event) => {
  event.preventDefault();
  const places = Number($("step-back-places").value);
  if (!window.confirm(tn("Let %(num)s runner go first? You can do this once.",
    "Let %(num)s runners go first? You can do this once.", places))) return;
  const response = await fetch(`/api/v1/tickets/${encodeURIComponent(initial.token)}/step-back`, {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "Accept-Language": lang() },
    body: JSON.stringify({ places }),
  });
  const answer = await response.json().catch(() => ({}));
  if (response.ok) onTicket(answer);
  $("step-back-status").textContent = response.ok ? "" : (answer.error || t("That did not work. Try again."));
});

$("close-at").value = String(closeAt());
$("close-at").addEventListener("change", () => {
  localStorage.setItem(CLOSE_KEY, $("close-at").value);
  closeAlerted = false;
  alertIfClose();
});

$("leave-form").addEventListener("submit", (event) => {
  if (!window.confirm(t("Leave the queue? You would lose your place."))) event.preventDefault();
});

offerReach(initial.token, initial.reach, closeAt);
ringIfCalled();
render();

// "How was it?": one face, maybe a comment, sent once (a second answer is refused by the server too).
let rating = null;
for (const face of document.querySelectorAll("#feedback .face")) {
  face.addEventListener("click", () => {
    rating = Number(face.dataset.rating);
    for (const other of document.querySelectorAll("#feedback .face")) other.setAttribute("aria-pressed", String(other === face));
  });
}
$("feedback").addEventListener("submit", async (event) => {
  event.preventDefault();
  if (!rating) {
    $("feedback-status").textContent = t("Choose one of the three faces.");
    document.querySelector("#feedback .face").focus();
    return;
  }
  const comment = $("feedback-comment").value.trim();
  const response = await fetch(`/api/v1/tickets/${encodeURIComponent(initial.token)}/feedback`, {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "Accept-Language": lang() },
    body: JSON.stringify(comment ? { rating, comment } : { rating }),
  }).catch(() => null);
  const answer = response ? await response.json().catch(() => ({})) : {};
  if (response && (response.ok || response.status === 409)) {
    $("feedback").hidden = true;
    $("feedback-thanks").hidden = false;
  } else {
    $("feedback-status").textContent = answer.error || t("That did not work. Try again.");
  }
});
setInterval(renderLastCall, 30000);  // the margin before closing shrinks with the clock, not with a change
