// The runner's ticket page: place, wait and call, live.
import { follow, pageData, showConnection } from "./live.js";
import { alertCalled, enableAlerts } from "./alerts.js";

const initial = pageData("initial-state");
const ticket = { ...initial.ticket };
let services = initial.board.services;
let placeVersion = ticket.version || 0;

const $ = (id) => document.getElementById(id);
const ACTIVE = ["waiting", "called", "in_treatment"];
const ENDED_MESSAGES = {
  left: "You left the queue.",
  no_show: "You were called but did not arrive, so your place has gone.",
  removed: "The tent staff took this ticket out of the queue.",
  sent_to_medical: "Please go to the medical tent.",
};

function estimate() {
  const service = services[ticket.service];
  return service ? Math.ceil(ticket.place * service.per_place) : ticket.estimated_wait_minutes;
}

function render() {
  document.body.className = `ticket-page status-${ticket.status}`;
  for (const section of document.querySelectorAll(".state")) section.hidden = true;
  const known = ["waiting", "called", "in_treatment", "done"];
  $(known.includes(ticket.status) ? `state-${ticket.status}` : "state-ended").hidden = false;
  $("place").textContent = ticket.place;
  $("wait").textContent = estimate();
  $("table").textContent = ticket.table ?? "";
  $("table-treatment").textContent = ticket.table ?? "";
  if (ENDED_MESSAGES[ticket.status]) $("ended-message").textContent = ENDED_MESSAGES[ticket.status];
  $("leave-form").hidden = ticket.status !== "waiting";
}

function announce(text) {
  $("announcer").textContent = text;
}

// The server's word on our own ticket: status, table and place as of its version.
function onTicket(update) {
  const wasCalled = ticket.status === "called";
  Object.assign(ticket, update);
  placeVersion = Math.max(placeVersion, update.version || 0);
  if (ticket.status === "called" && !wasCalled) {
    alertCalled(`Go to table ${ticket.table}`);
    announce(`It is your turn. Go to table ${ticket.table}.`);
  } else if (ticket.status === "waiting") {
    announce(`You are number ${ticket.place} in the queue.`);
  }
  render();
}

// A public change: move our place when a ticket ahead of us leaves the queue or comes back to it.
function onBoard(delta) {
  services = delta.services;
  for (const change of delta.changes) {
    if (change.number === ticket.number) {
      if (change.status !== ticket.status) onTicket({ status: change.status, table: change.table, seq: change.seq });
      continue;
    }
    if (ticket.status !== "waiting" || change.service !== ticket.service || delta.version <= placeVersion) continue;
    if (change.seq >= ticket.seq) continue;
    const wasWaiting = change.from === "waiting";
    const isWaiting = change.status === "waiting";
    if (wasWaiting && !isWaiting) ticket.place -= 1;
    if (!wasWaiting && isWaiting) ticket.place += 1;
  }
  render();
}

function onSnapshot(snap) {
  services = snap.board.services;
  onTicket(snap.ticket);
}

follow({ ticket: initial.token }, "board", {
  snapshot: onSnapshot,
  delta: onBoard,
  ticket: onTicket,
  connection: (state, detail) => showConnection($("connection"), state, detail),
});

$("enable-alerts").addEventListener("click", async () => {
  const ready = await enableAlerts();
  $("enable-alerts").textContent = ready ? "Sound alerts are on" : "Sound is not available here";
  $("enable-alerts").disabled = true;
});

$("leave-form").addEventListener("submit", (event) => {
  if (!window.confirm("Leave the queue? You would lose your place.")) event.preventDefault();
});

if (!ACTIVE.includes(ticket.status)) $("enable-alerts").hidden = true;
render();
