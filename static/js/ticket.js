// The runner's ticket page: place, wait and call, live.
import { $, pageData } from "./dom.js";
import { follow, showConnection } from "./live.js";
import { alertCalled, enableAlerts } from "./alerts.js";
import { placeChange } from "./queue-rules.js";

const initial = pageData("initial-state");
const ticket = { ...initial.ticket };
let services = initial.board.services;
let placeVersion = ticket.version || 0;
let announcement = initial.board.announcement;

const KNOWN = ["waiting", "called", "in_treatment", "done"];
const ENDED_MESSAGES = {
  left: "You left the queue.",
  no_show: "You were called but did not arrive, so your place has gone.",
  removed: "The tent staff took this ticket out of the queue.",
  sent_to_medical: "Please go to the medical tent.",
};
const SERVICE_STATES = {
  paused: (name) => `${name} is paused for a moment. You keep your place.`,
  closed: (name) => `${name} takes no new runners now. You keep your place.`,
};
const TITLE = document.title;
let alertsAsked = false;

function estimate() {
  const service = services[ticket.service];
  return service ? Math.ceil(ticket.place * service.per_place) : ticket.estimated_wait_minutes;
}

function render() {
  document.body.className = `ticket-page status-${ticket.status}`;
  for (const section of document.querySelectorAll(".state")) section.hidden = true;
  $(KNOWN.includes(ticket.status) ? `state-${ticket.status}` : "state-ended").hidden = false;
  $("place").textContent = ticket.place;
  $("wait").textContent = estimate();
  $("table").textContent = ticket.table ?? "";
  $("table-line").dataset.digits = String(ticket.table ?? "").length;
  $("table-treatment").textContent = ticket.table ?? "";
  if (ENDED_MESSAGES[ticket.status]) $("ended-message").textContent = ENDED_MESSAGES[ticket.status];
  $("leave-form").hidden = ticket.status !== "waiting";
  renderNotices();
  // Alerts only help while waiting; once called the page itself is the alert.
  $("enable-alerts").hidden = ticket.status !== "waiting" || alertsAsked;
  $("alerts-status").hidden = ticket.status !== "waiting" || !alertsAsked;
  // The tab title is what a runner sees in the tab switcher or a lock-screen media card.
  document.title = ticket.status === "called" ? `Go to table ${ticket.table} – ${TITLE}` : TITLE;
}

// The organiser's announcement, and a word when our service is paused or closed while we wait.
function renderNotices() {
  $("announcement").textContent = announcement || "";
  $("announcement").hidden = !announcement;
  const service = services[ticket.service];
  const state = ticket.status === "waiting" && service && SERVICE_STATES[service.status];
  $("service-state").textContent = state ? state(service.name) : "";
  $("service-state").hidden = !state;
}

// Screen readers: the call interrupts, a place change waits its turn.
function announce(text, urgent = false) {
  $(urgent ? "announcer" : "status-announcer").textContent = text;
}

// The server's word on our own ticket: status, table and place as of its version.
function onTicket(update) {
  const before = { status: ticket.status, place: ticket.place };
  Object.assign(ticket, update);
  placeVersion = Math.max(placeVersion, update.version || 0);
  if (ticket.status === "called" && before.status !== "called") {
    alertCalled(`${ticket.number}: go to table ${ticket.table}`, "It is your turn. Your therapist is waiting.");
    announce(`It is your turn. Go to table ${ticket.table}.`, true);
  } else if (ticket.status !== before.status && ticket.status === "done") {
    announce("Done. Thank you!");
  } else if (ticket.status === "waiting" && ticket.place !== before.place) {
    announce(`You are number ${ticket.place} in the queue.`);
  }
  render();
}

// A public change: our own ticket's new state, or a ticket ahead of us leaving, joining or moving.
function onBoard(delta) {
  services = delta.services;
  announcement = delta.announcement;
  const placeBefore = ticket.place;
  for (const change of delta.changes) {
    if (change.number === ticket.number) {
      if (change.status !== ticket.status) onTicket({ status: change.status, table: change.table, seq: change.seq });
      continue;
    }
    if (ticket.status !== "waiting" || delta.version <= placeVersion) continue;
    ticket.place += placeChange(change, ticket);
  }
  if (ticket.status === "waiting" && ticket.place !== placeBefore) announce(`You are number ${ticket.place} in the queue.`);
  render();
}

function onSnapshot(snap) {
  services = snap.board.services;
  announcement = snap.board.announcement;
  onTicket(snap.ticket);
}

follow({ ticket: initial.token }, "board", {
  snapshot: onSnapshot,
  delta: onBoard,
  ticket: onTicket,
  connection: (state, detail) => showConnection($("connection"), state, detail),
});

// Once asked, the button gives way to plain text saying what will happen: a greyed-out button is unreadable outdoors.
$("enable-alerts").addEventListener("click", async () => {
  const { sound, notifications } = await enableAlerts();
  const parts = [sound ? "sound" : null, navigator.vibrate ? "vibration" : null, notifications ? "notification" : null];
  const on = parts.filter(Boolean);
  $("alerts-status").textContent = on.length ? `✓ Alerts on: ${on.join(", ")}` : "Alerts are not available on this phone.";
  alertsAsked = true;
  render();
});

$("leave-form").addEventListener("submit", (event) => {
  if (!window.confirm("Leave the queue? You would lose your place.")) event.preventDefault();
});

render();
