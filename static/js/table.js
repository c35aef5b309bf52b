// A therapist's table: the current athlete, who is next, and the actions, live. Its words come from the page
// (page_words.TABLE), in the tablet's language.
import { $, el, pageData } from "./dom.js";
import { callApi } from "./api.js";
import { follow, showConnection } from "./live.js";
import { ACTIVE, alarmWords, callOrder, tableAlarm } from "./queue-rules.js";
import { askMedicalReason, pickRunner } from "./table-dialogs.js";
import { t, tn } from "./words.js";

const config = pageData("table-config");
const tickets = new Map();
let services = {};
let servedHere = [];
let lastService = null;  // the service this table called from last: tables take turns between services
let thisTable = { staffed: true, on_break: false, free_since: null, services: [] };
let pending = null;

// The buttons that act at once, by the action they post; Call a particular runner and Send to medical ask first.
const BUTTONS = {
  "call-next": $("call-next"), start: $("start"), finish: $("finish"), "call-again": $("call-again"),
  "no-show": $("no-show"), requeue: $("requeue"), break: $("break"), resume: $("resume"),
};
const ASKING = { pick: $("pick"), medical: $("medical") };
let lastNoShow = null;  // a runner marked a no-show at this table (by the therapist or the timer), undoable a while
const UPCOMING_SHOWN = 5;

function current() {
  for (const ticket of tickets.values()) {
    if (ticket.table === config.table && (ticket.status === "called" || ticket.status === "in_treatment")) return ticket;
  }
  return null;
}

// Everyone this table serves, in the order it will call them (the server's rule: queue-rules.js callOrder), each
// with their place in their own queue.
function upcoming() {
  const queues = {};
  const waiting = [...tickets.values()].filter((t) => t.status === "waiting" && servedHere.includes(t.service));
  for (const ticket of waiting.sort((a, b) => a.seq - b.seq)) {
    const queue = (queues[ticket.service] ??= []);
    queue.push({ ...ticket, place: queue.length + 1 });
  }
  return callOrder(servedHere, queues, lastService).map(([, ticket]) => ticket);
}

function readTables(tables) {
  const mine = tables?.find((t) => t.number === config.table);
  if (!mine) return;
  thisTable = mine;
  // Who works here (the organiser may end a sign-in or take someone off the roster: the name goes at once).
  const who = (mine.people ?? []).map((person) => person.name).join(" + ");
  if ($("who").textContent !== (who ? `${who} · ` : "")) $("who").textContent = who ? `${who} · ` : "";
  servedHere = mine.services;
  lastService = mine.last_service;
}

function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

// How long the massage has run, against its service's length: m:ss, "of 10 min", and a bar that fills.
function sessionClock(ticket) {
  const length = (services[ticket.service]?.minutes ?? 0) * 60;
  const ran = Math.max(0, Math.floor((Date.now() - Date.parse(ticket.started_at)) / 1000));
  const line = el("p", "athlete-status session-line");
  line.append(el("span", null, t("In treatment")), " ", el("span", `session-clock${ran > length ? " over" : ""}`, clock(ran)),
    " ", el("span", "session-length", t("of %(minutes)s min", { minutes: length / 60 })));
  line.querySelector(".session-clock").id = "session-clock";
  const bar = el("progress", "session-bar");
  bar.id = "session-bar";
  bar.max = length;
  bar.value = Math.min(ran, length);
  bar.setAttribute("aria-label", t("Massage time used"));
  return [line, bar];
}

function renderCurrent(ticket) {
  const box = $("current");
  box.replaceChildren();
  if (!ticket && thisTable.on_break) {
    box.append(el("p", "break-head", t("On a break")), el("p", "muted", t("This table counts toward no wait until you resume.")));
    return;
  }
  if (!ticket) {
    box.append(el("p", "muted", t("Nobody called yet. Press Call next when the table is ready.")));
    return;
  }
  const head = el("div", "athlete-head");
  head.append(el("span", "athlete-number", ticket.number), el("span", "athlete-name", ticket.first_name));
  box.append(head);
  box.append(el("p", "athlete-meta", t("Bib %(bib)s · %(service)s", { bib: ticket.bib, service: ticket.service_name })));
  if (ticket.medical_flag) box.append(el("p", "flag", t("⚠ Has a medical condition: ask before you start.")));
  if (ticket.status === "called") {
    const left = Math.max(0, Math.round((Date.parse(ticket.grace_ends_at) - Date.now()) / 1000));
    const line = el("p", "athlete-status countdown-line");
    line.append(el("span", null, ticket.on_way_at ? t("✓ On the way") : t("Waiting for the runner")),
      el("span", `table-countdown${left <= 60 ? " urgent" : ""}`, clock(left)));
    box.append(line);
  } else {
    box.append(...sessionClock(ticket));
  }
}

// Free too long while runners wait, or a massage past twice its length: said under the buttons, and the page's
// frame turns red (rules/alarms.py; queue-rules.js tableAlarm).
function renderAlarm(ticket) {
  const alarm = tableAlarm(thisTable, ticket, services, config.idle_minutes);
  const words = alarmWords(alarm, t, tn);
  $("alarm").hidden = !alarm;
  if ($("alarm").textContent !== words) $("alarm").textContent = words;
  document.body.classList.toggle("alarm-idle", alarm?.kind === "idle");
  document.body.classList.toggle("alarm-long", alarm?.kind === "long");
}

// A no-show at this table, with Undo while it can still be taken back.
function renderNoShow() {
  const open = lastNoShow && Date.parse(lastNoShow.undo_until) > Date.now() && !current();
  $("no-show-notice").hidden = !open;
  if (!open) return;
  const who = { number: lastNoShow.number, name: lastNoShow.first_name ?? "" };
  $("no-show-text").textContent = lastNoShow.byTimer
    ? t("%(number)s (%(name)s) did not arrive in time and was marked a no-show.", who)
    : t("%(number)s (%(name)s) was marked a no-show.", who);
}

function renderUpcoming() {
  const list = $("upcoming");
  const waiting = upcoming();
  list.replaceChildren();
  for (const ticket of waiting.slice(0, UPCOMING_SHOWN)) {
    const item = el("li");
    const meta = el("span", "up-meta", services[ticket.service]?.name ?? ticket.service);
    if (ticket.medical_flag) meta.append(" ", el("span", "up-flag", t("⚠ medical")));
    item.append(el("span", "up-number", ticket.number), el("span", "up-name", ticket.first_name), meta);
    list.append(item);
  }
  if (!waiting.length) list.append(el("li", "muted", t("Nobody waiting.")));
  const more = waiting.length - UPCOMING_SHOWN;
  if (more > 0) list.append(el("li", "more", tn("+ %(num)s more", "+ %(num)s more", more)));
  $("waiting-count").textContent = `(${waiting.length})`;
}

function render() {
  const ticket = current();
  renderCurrent(ticket);
  renderUpcoming();
  const status = ticket ? ticket.status : null;
  const free = !ticket && !thisTable.on_break;
  for (const key of ["call-next", "break"]) BUTTONS[key].hidden = !free;
  ASKING.pick.hidden = !free;
  BUTTONS.resume.hidden = Boolean(ticket) || !thisTable.on_break;
  BUTTONS.start.hidden = status !== "called";
  BUTTONS["call-again"].hidden = status !== "called";
  BUTTONS["no-show"].hidden = status !== "called";
  BUTTONS.requeue.hidden = status !== "called" || ticket.requeues > 0;  // once per runner
  BUTTONS.finish.hidden = status !== "in_treatment";
  ASKING.medical.hidden = !ticket;
  $("note-field").hidden = status !== "in_treatment";
  for (const button of [...Object.values(BUTTONS), ...Object.values(ASKING)]) button.disabled = Boolean(pending);
  renderNoShow();
  renderAlarm(ticket);
}

function store(ticket) {
  const mine = tickets.get(ticket.number);
  if (ticket.status === "no_show" && ticket.table === config.table && ticket.undo_until) {
    // Marked by the timer if this tablet did not just press No-show itself.
    lastNoShow = { ...ticket, byTimer: !(pending && pending.action === "no-show") };
  } else if (lastNoShow && ticket.number === lastNoShow.number) {
    lastNoShow = null;
  }
  if (ACTIVE.includes(ticket.status)) tickets.set(ticket.number, ticket);
  else if (mine) tickets.delete(ticket.number);
}

function randomKey() {
  // crypto.randomUUID needs HTTPS; getRandomValues works on a plain LAN address too.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// A line under the athlete: news ("Nobody is waiting") or a refusal, styled apart. Ticket numbers never break
// at their hyphen (a non-breaking one), so "P-002" is not split across two lines.
function say(text, kind = "info") {
  $("message").textContent = text.replace(/\b([A-Z])-(\d+)/g, "$1\u2011$2");
  $("message").dataset.kind = kind;
}

// Send an action once; a retry after a dropped connection reuses the same key, so it never acts twice. `extra`
// joins the body: the runner picked to call out of turn, the reason for the medical tent.
async function act(action, extra = {}) {
  // Name the runner the tablet shows, so an action that arrives late (after a dropped connection) is refused
  // instead of acting on someone the therapist never saw: for Call next, the first runner waiting here.
  const ticket = action === "call-next" ? upcoming()[0] : action === "undo-no-show" ? lastNoShow : current();
  const body = { ticket: ticket ? ticket.number : null, ...extra };
  if (action === "finish") body.note = $("note").value.trim() || null;
  pending = { action, key: randomKey() };
  render();
  say("");
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const { ok, status, answer } = await callApi("POST", `/api/v1/events/${config.slug}/tables/${config.table}/${action}`,
          { csrf: config.csrf, body, headers: { "Idempotency-Key": pending.key }, signIn: `/e/${config.slug}/staff` });
        if (status === 401) return;
        if (!ok) { say(answer.error || t("The server refused this. Press again."), "error"); live.resync(); return; }
        if (answer.ticket) store(answer.ticket);
        if (answer.on_break !== undefined) thisTable = { ...thisTable, on_break: answer.on_break, staffed: true,
          free_since: answer.on_break ? thisTable.free_since : new Date().toISOString() };
        if (answer.message) say(answer.message);
        if (action === "send-to-medical") {
          say(t("%(number)s is sent to the medical tent; their phone tells them where to go.", { number: body.ticket }));
        }
        if (action === "finish") $("note").value = "";
        return;
      } catch (error) {
        if (attempt >= 4) { say(t("No connection. Check the network and press again."), "error"); return; }
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
      }
    }
  } finally {
    pending = null;
    render();
  }
}

// The page came with the state it was rendered from: start from it, so the socket has nothing to send if
// nothing changed since (live.js says which version it has).
const live = follow({ event: config.slug, role: "staff" }, "staff", {
  snapshot: (snap) => {
    tickets.clear();
    for (const ticket of snap.staff.tickets) store(ticket);
    services = snap.staff.services;
    readTables(snap.staff.tables);
    render();
  },
  delta: (delta) => {
    services = delta.services;
    readTables(delta.tables);
    for (const ticket of delta.tickets) store(ticket);
    render();
  },
  connection: (state, detail) => {
    showConnection($("connection"), state, detail);
    if (state === "refused") window.location.assign(`/e/${config.slug}/staff`);
  },
  signed_out: () => window.location.assign(`/e/${config.slug}/staff`),  // the PIN changed
}, config.snapshot);

// A tablet lies on a table for hours: keep its screen on. The browser offers this on HTTPS or localhost only,
// and drops the lock whenever the page is hidden, so take it again each time the page comes back.
let wakeLock = null;
function showWake(state) {
  const words = { on: t("Screen stays on"), off: t("Screen may sleep"), unsupported: t("Screen may sleep") };
  $("wake").dataset.state = state;
  $("wake").textContent = words[state];
}
async function keepAwake() {
  if (!("wakeLock" in navigator)) return showWake("unsupported");
  if (document.visibilityState !== "visible") {
    if (wakeLock) await wakeLock.release();
    return;
  }
  if (wakeLock && !wakeLock.released) return;
  try {
    wakeLock = await navigator.wakeLock.request("screen");
    wakeLock.addEventListener("release", () => showWake("off"));
    showWake("on");
  } catch {
    showWake("off");  // refused (battery saver, no permission): the sign tells the therapist
  }
}
document.addEventListener("visibilitychange", keepAwake);
keepAwake();

for (const [action, button] of Object.entries(BUTTONS)) {
  button.addEventListener("click", () => {
    // No-show ends the runner's place: ask first (it can still be undone for a few minutes).
    const number = current()?.number;
    const ask = number ? t("Mark %(number)s as a no-show?", { number }) : t("Mark this runner as a no-show?");
    if (action === "no-show" && !window.confirm(ask)) return;
    act(action);
  });
}
ASKING.pick.addEventListener("click", () => pickRunner(upcoming(), services, config.table,
  (ticket) => act("call-runner", { ticket: ticket.number })));
ASKING.medical.addEventListener("click", () => {
  const ticket = current();
  if (ticket) askMedicalReason(ticket, (reason) => act("send-to-medical", { reason }));
});
$("undo-no-show").addEventListener("click", () => act("undo-no-show", { to: "table" }));
$("undo-to-queue").addEventListener("click", () => act("undo-no-show", { to: "queue" }));
setInterval(render, 1000);  // the countdown to the table, how long a massage has run, and the alarms
render();
