// The organiser's live dashboard: numbers refresh on every change, charts every minute. Its words come from the
// page (page_words.DASHBOARD), in the organiser's language.
import { $, el, pageData } from "./dom.js";
import { callApi } from "./api.js";
import { follow, showConnection } from "./live.js";
import { ACTIVE, alarmWords, tableAlarm } from "./queue-rules.js";
import { t, tn } from "./words.js";
import { followLastCallForms, lastCallFacts } from "./dashboard-last-call.js";

const config = pageData("dashboard-config");
const api = `/api/v1/events/${config.slug}`;
const tickets = new Map();
let numbers = null;
let haveTickets = false;  // until the staff snapshot arrives, an empty list means "not known yet", not "nobody"
let refreshTimer = null;
const charts = {};
let chartsDrawnAt = 0;

function shown(value) {
  return value === null || value === undefined ? "–" : `${value}`;
}

// "12 min", or a dash when there is nothing to measure yet.
function minutes(value) {
  return value === null || value === undefined ? "–" : t("%(minutes)s min", { minutes: value });
}

function send(method, path, body) {
  return callApi(method, `${api}${path}`,
    { csrf: config.csrf, body, signIn: `/admin/sign-in?next=${encodeURIComponent(location.pathname)}` });
}

// "4 of 6, 1 on a break": tables serving this service that count toward its wait (signed in, not on a break), of
// all that serve it.
function tablesWorking(code) {
  const serving = numbers.tables.filter((table) => table.services.includes(code));
  const working = serving.filter((table) => table.staffed && !table.on_break).length;
  const resting = serving.filter((table) => table.staffed && table.on_break).length;
  const counts = { working, all: serving.length, resting };
  return resting ? t("%(working)s of %(all)s, %(resting)s on a break", counts) : t("%(working)s of %(all)s", counts);
}

// Each table's alarm now (queue-rules.js tableAlarm, the server's rules/alarms.py), computed every second: a table
// free too long while runners wait turns red without waiting for the next change.
function alarms() {
  return new Map(numbers.tables.map((table) => [table.number,
    tableAlarm(table, table.ticket, numbers.services, numbers.idle_minutes)])
    .filter(([, alarm]) => alarm));
}

// Redraw a box only when what it shows has changed: a button replaced under the pointer loses the click,
// and on a busy day a change arrives every second or two.
function unchanged(box, ...inputs) {
  const key = JSON.stringify(inputs);
  if (box.dataset.drawn === key) return true;
  box.dataset.drawn = key;
  box.replaceChildren();
  return false;
}

// "12–18 min (measured on recent massages)", or why there is no estimate: the server's figure, by the rule the
// phones use (queue-rules.js waitFor), saying where its pace comes from.
function newRunnerWait(s) {
  const range = s.new_runner_wait_range;
  if (!range) return t("no table working");
  if (range[1] === 0) return t("called at once: a table is free");
  const span = range[0] === range[1] ? `${range[1]}` : `${range[0]}–${range[1]}`;
  return s.measured ? t("%(span)s min (measured on recent massages)", { span })
    : t("%(span)s min (from the set %(minutes)s min per massage, until 5 are done)", { span, minutes: s.minutes });
}

function renderServices() {
  const box = $("services");
  if (unchanged(box, numbers.services, numbers.tables.map((table) => [table.services, table.staffed, table.on_break]))) {
    return;
  }
  for (const [code, s] of Object.entries(numbers.services)) {
    const card = el("article", `service-card status-${s.status}`);
    card.dataset.service = code;
    const head = el("h3", null, s.name);
    head.append(el("span", `badge ${s.status}`, t(s.status)));  // open, paused or closed (page_words.DASHBOARD)
    card.append(head);
    const big = el("p", "waiting-big");
    big.append(el("strong", null, String(s.waiting)), " ", el("span", null, t("waiting")));
    card.append(big);
    const facts = el("dl", "facts");
    for (const [label, value] of [
      [t("New runner waits"), newRunnerWait(s)],
      [t("Median wait"), minutes(s.wait_median)],
      [t("90% wait under"), minutes(s.wait_p90)],
      [t("Median massage"), minutes(s.treatment_median)],
      [t("Tables working"), tablesWorking(code)],
      [t("Done / no-show"), `${s.done} / ${s.no_shows}`],
      [t("Sent to medical"), String(s.referrals)],
      ...lastCallFacts(s),
    ]) facts.append(el("dt", null, label), el("dd", null, value));
    card.append(facts);
    const actions = el("div", "service-actions");
    for (const [status, label, description] of [["open", t("Open"), t("Open %(service)s", { service: s.name })],
      ["paused", t("Pause"), t("Pause %(service)s", { service: s.name })],
      ["closed", t("Close"), t("Close %(service)s", { service: s.name })]]) {
      const button = el("button", `button small ${status === s.status ? "primary" : "secondary"}`, label);
      button.type = "button";
      button.disabled = status === s.status;
      button.dataset.service = code;
      button.dataset.status = status;
      button.setAttribute("aria-label", description);
      actions.append(button);
    }
    card.append(actions);
    box.append(card);
  }
}

function renderHeadline() {
  const stats = numbers.stats;
  const box = $("headline");
  if (unchanged(box, stats)) return;
  for (const [key, label, value] of [
    ["rate", t("Massages in the last hour"), shown(stats.massages_last_hour)],
    ["wait-median", t("Median wait (30 min)"), minutes(stats.wait_median)],
    ["wait-p90", t("90th percentile wait"), minutes(stats.wait_p90)],
    ["treatment-median", t("Median massage"), minutes(stats.treatment_median)],
    ["utilisation", t("Table utilisation (1 h)"),
      stats.utilisation === null ? "–" : `${Math.round(stats.utilisation * 100)}%`],
    ["done", t("Done today"), shown(stats.done)],
    ["no-shows", t("No-shows"), shown(stats.no_shows)],
    ["referrals", t("Sent to medical"), shown(stats.referrals)],
  ]) {
    const item = el("div", "headline-item");
    item.dataset.key = key;
    item.append(el("dt", null, label), el("dd", null, value));
    box.append(item);
  }
}

function renderTables() {
  const box = $("tables");
  const now = alarms();
  renderAlarms(now);
  if (unchanged(box, numbers.tables, [...now.entries()])) return;
  for (const table of numbers.tables) {
    const ticket = table.ticket;
    const alarm = now.get(table.number);
    const state = ticket ? ticket.status : table.on_break && table.staffed ? "on-break" : "free";
    const card = el("article", `table-card ${state}${(ticket && ticket.warning) || alarm ? " warning" : ""}`);
    card.dataset.table = table.number;
    card.append(el("h3", null, t("Table %(table)s", { table: table.number })));
    // Who works there, and since when (the tent's people; staff and the organiser only).
    for (const person of table.people ?? []) {
      const since = new Date(person.since).toLocaleTimeString(config.language, { hour: "2-digit", minute: "2-digit",
        timeZone: numbers.time_zone });
      card.append(el("p", "table-person", t("%(name)s since %(time)s", { name: person.name, time: since })));
    }
    if (!ticket) {
      const words = !table.staffed ? t("Nobody signed in") : table.on_break ? t("On a break") : t("Free");
      card.append(el("p", "muted", words));
    } else {
      card.append(el("p", "table-ticket", `${ticket.number} ${ticket.first_name ?? ""}`));
      const since = { minutes: Math.floor(ticket.minutes) };
      card.append(el("p", null, ticket.status === "called" ? t("called %(minutes)s min ago", since)
        : t("massage started %(minutes)s min ago", since)));
    }
    // A warning is "not arrived yet" or "running long" (rules/stats.py, page_words.DASHBOARD).
    if (alarm) card.append(el("p", "warning-text", `⚠ ${alarmWords(alarm, t, tn)}`));
    else if (ticket && ticket.warning) card.append(el("p", "warning-text", `⚠ ${t(ticket.warning)}`));
    box.append(card);
  }
}

// The alarms at the top of the page, where an organiser looks first: one line per table.
function renderAlarms(now) {
  const box = $("alarms");
  box.hidden = !now.size;
  const lines = [...now.entries()].map(([number, alarm]) => t("Table %(table)s: %(alarm)s",
    { table: number, alarm: alarmWords(alarm, t, tn) }));
  if (unchanged(box, lines)) return;
  const list = el("ul");
  for (const line of lines) list.append(el("li", null, line));
  const heading = now.size === 1 ? t("⚠ A table needs a look")
    : tn("⚠ %(num)s table needs a look", "⚠ %(num)s tables need a look", now.size);
  box.append(el("h2", null, heading), list);
}

function renderWaiting() {
  const box = $("waiting");
  const services = numbers ? numbers.services : {};
  unchanged(box, Object.keys(services));  // a column per service, each redrawn only when its runners change
  for (const [code, s] of Object.entries(services)) {
    let column = box.querySelector(`[data-service="${code}"]`);
    if (!column) {
      column = el("div", "waiting-column");
      column.dataset.service = code;
      box.append(column);
    }
    const mine = [...tickets.values()].filter((ticket) => ticket.service === code && ticket.status === "waiting")
      .sort((a, b) => a.seq - b.seq);
    const shown = mine.slice(0, 40);
    const others = Object.entries(services).filter(([other]) => other !== code);
    if (unchanged(column, haveTickets, s.name, mine.length, others.map(([, o]) => o.name),
      shown.map((ticket) => [ticket.number, ticket.first_name, ticket.bib, ticket.medical_flag, ticket.lane?.category]))) continue;
    column.append(el("h3", null, s.name));
    const list = el("ol", "waiting-list");
    for (const ticket of shown) {
      const number = ticket.number;
      const item = el("li");
      item.append(el("span", "w-number", number),
        el("span", "w-name", t("%(name)s · bib %(bib)s", { name: ticket.first_name ?? "", bib: ticket.bib ?? "–" })));
      if (ticket.lane) item.append(el("span", "lane-tag", ticket.lane.category));  // the organiser's own word
      if (ticket.medical_flag) item.append(el("span", "up-flag", t("⚠ medical")));
      const remove = el("button", "button small danger", t("Remove"));
      remove.type = "button";
      remove.dataset.remove = number;
      remove.setAttribute("aria-label", t("Remove %(number)s from the queue", { number }));
      const reissue = el("button", "button small secondary", t("New phone"));
      reissue.type = "button";
      reissue.dataset.reissue = number;
      reissue.dataset.name = ticket.first_name ?? "";
      reissue.setAttribute("aria-label", t("Move %(number)s to a new phone", { number }));
      const actions = el("div", "w-actions");
      if (ticket !== mine[0]) {
        actions.append(moveButton(ticket, t("To front"), { front: true }, t("Move %(number)s to front of the queue", { number })));
      }
      for (const [other, o] of others) {
        // "To Post-race": the word that tells the queues apart, so four buttons fit a line.
        actions.append(moveButton(ticket, t("To %(service)s", { service: o.name.replace(/ massage$/i, "") }), { service: other },
          t("Move %(number)s to %(service)s", { number, service: o.name })));
      }
      actions.append(reissue, remove);
      item.append(rowActions(number, actions));
      list.append(item);
    }
    if (!mine.length) list.append(el("li", "muted", haveTickets ? t("Nobody waiting.") : t("Loading…")));
    if (mine.length > 40) list.append(el("li", "muted", tn("…and %(num)s more", "…and %(num)s more", mine.length - 40)));
    column.append(list);
  }
}

// A waiting runner's buttons, folded behind one "…" on a phone so each row stays one line (organiser.css shows
// them open on wider screens). The row open stays open when its column is redrawn by the next change.
let openActions = null;
function rowActions(number, actions) {
  const more = el("details", "w-more");
  const summary = el("summary", null, "…");
  summary.setAttribute("aria-label", t("Actions for %(number)s", { number }));
  more.append(summary, actions);
  more.open = openActions === number;
  more.addEventListener("toggle", () => {
    if (more.open) openActions = number;
    else if (openActions === number) openActions = null;
  });
  return more;
}

// A button that moves a waiting runner (`move`: {front: true} or {service}); it asks first.
function moveButton(ticket, label, move, description) {
  const button = el("button", "button small secondary", label);
  button.type = "button";
  button.dataset.move = JSON.stringify({ number: ticket.number, name: ticket.first_name ?? "", ...move });
  button.setAttribute("aria-label", description);
  return button;
}

async function refreshNumbers() {
  refreshTimer = null;
  const { ok, answer } = await send("GET", "/dashboard");
  if (!ok) return;
  numbers = answer;
  renderServices();
  renderHeadline();
  renderTables();
  renderWaiting();
  // Charts follow changes too, at most every 15 s (the history is a heavier query); the first runner of the day
  // is drawn at once.
  if (!charts["chart-waiting"] || Date.now() - chartsDrawnAt > 15000) refreshCharts();
}

function soon() {
  // Coalesce bursts of changes into one refresh a second.
  if (!refreshTimer) refreshTimer = setTimeout(refreshNumbers, 1000);
}

// Charts read on the event's clock (its time zone), wherever the screen showing them is; a browser that does not
// know the zone shows its own.
function eventClock(seconds) {
  const moment = new Date(seconds * 1000);
  try { return window.uPlot.tzDate(moment, config.time_zone); } catch { return moment; }
}

// Clock times on the charts in the event's language and on its clock ("20:15" at a German event in Berlin, not
// "8:15pm"); a browser that does not know the zone uses its own.
const clockFormat = (() => {
  const options = { hour: "2-digit", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(config.language, { ...options, timeZone: config.time_zone });
  } catch {
    return new Intl.DateTimeFormat(config.language, options);
  }
})();
const clockTime = (seconds) => (seconds === null || seconds === undefined ? "–" : clockFormat.format(new Date(seconds * 1000)));

function drawChart(id, title, series, xs, rows) {
  const element = $(id);
  const width = Math.max(280, element.clientWidth || 320);
  const data = [xs, ...rows];
  const options = {
    width, height: 220, title: undefined,
    legend: { live: false },  // names only: values under the cursor ("Time: --") are noise on a wall of numbers
    cursor: { sync: { key: "dashboard" } },  // one time under the pointer across the three charts
    // Counts and minutes never go below zero, whatever padding the data would get.
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.1))] } },
    tzDate: eventClock,  // where the ticks fall: every 15 minutes on the event's clock
    // Whole runners and minutes on the y axis: no "1.5 runners waiting".
    axes: [{ values: (u, splits) => splits.map(clockTime), space: 80 }, { incrs: [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000] }],
    series: [{ value: (u, seconds) => clockTime(seconds) },
      ...series.map((label, index) => ({ label, stroke: ["#003d99", "#a30000", "#0a6b2d"][index % 3], width: 3 }))],
  };
  if (charts[id]) charts[id].destroy();
  element.replaceChildren();
  charts[id] = new window.uPlot(options, data, element);
}

async function refreshCharts() {
  chartsDrawnAt = Date.now();
  const { ok, answer } = await send("GET", "/history");
  if (!ok || !answer.points.length || !window.uPlot) return;
  const xs = answer.points.map((p) => Date.parse(p.at) / 1000);
  const codes = Object.keys(answer.services);
  const names = codes.map((c) => answer.services[c]);
  drawChart("chart-waiting", t("Waiting"), names, xs, codes.map((c) => answer.points.map((p) => p.waiting[c])));
  drawChart("chart-wait", t("Median wait"), names, xs, codes.map((c) => answer.points.map((p) => p.wait_median[c])));
  drawChart("chart-rate", t("Massages per hour"), [t("Massages per hour")], xs,
    [answer.points.map((p) => p.massages_per_hour)]);
}

document.addEventListener("click", async (event) => {
  const target = event.target.closest("button");
  if (!target) return;
  if (target.dataset.status) {
    const name = numbers.services[target.dataset.service]?.name || target.dataset.service;
    const asks = {
      paused: t("Pause %(service)s? Runners cannot join it until you open it again; those waiting keep their place.",
        { service: name }),
      closed: t("Close %(service)s? Runners cannot join it any more; those waiting keep their place.", { service: name }),
    };
    if (asks[target.dataset.status] && !window.confirm(asks[target.dataset.status])) return;
    const { ok, answer } = await send("PATCH", `/services/${target.dataset.service}`, { status: target.dataset.status });
    if (!ok) window.alert(answer.error || t("The service could not be changed. Try again."));
    soon();
  } else if (target.dataset.reissue) {
    const who = { number: target.dataset.reissue, name: target.dataset.name };
    if (!window.confirm(t("Move %(number)s (%(name)s) to a new phone? The link on their old phone stops working.", who))) {
      return;
    }
    const { ok, answer } = await send("POST", `/tickets/${encodeURIComponent(target.dataset.reissue)}/reissue`);
    if (!ok) return window.alert(answer.error);
    $("reissue-who").textContent = t("%(number)s · %(name)s · bib %(bib)s",
      { number: answer.number, name: answer.first_name ?? "", bib: answer.bib ?? "–" });
    $("reissue-qr").src = answer.qr;
    $("reissue-url").textContent = answer.url;
    $("reissue").hidden = false;
    $("reissue").scrollIntoView({ block: "center" });
  } else if (target.id === "reissue-close") {
    $("reissue").hidden = true;
    $("reissue-qr").removeAttribute("src");
  } else if (target.dataset.move) {
    const { number, name, ...move } = JSON.parse(target.dataset.move);
    const ask = move.front
      ? t("Move %(number)s (%(name)s) to the front of its queue: everyone now ahead of them moves back one place?",
        { number, name })
      : t("Move %(number)s (%(name)s) to %(service)s, in the order they joined?",
        { number, name, service: numbers.services[move.service]?.name ?? move.service });
    if (!window.confirm(ask)) return;
    const { ok, answer } = await send("POST", `/tickets/${encodeURIComponent(number)}/move`, move);
    if (!ok) window.alert(answer.error || t("The runner could not be moved. Try again."));
  } else if (target.dataset.remove) {
    if (!window.confirm(t("Remove %(number)s from the queue?", { number: target.dataset.remove }))) return;
    const { ok, answer } = await send("POST", `/tickets/${encodeURIComponent(target.dataset.remove)}/remove`);
    if (!ok) window.alert(answer.error);
  }
});

$("walk-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const body = {
    bib: form.bib.value, first_name: form.first_name.value, service: form.service.value,
    screening: { unwell: form.unwell.checked, injury: form.injury.checked, medical_condition: form.medical_condition.checked },
  };
  if (!$("walkin-override").hidden && form.name_override.value.trim()) body.name_override = form.name_override.value;
  const { ok, status, answer } = await send("POST", "/walk-ins", body);
  const result = $("walkin-result");
  result.replaceChildren();
  if (status === 201) {
    const added = { number: answer.number, name: answer.first_name, place: answer.place };
    const range = answer.wait_range;
    result.append(range
      ? t("%(number)s added for %(name)s: place %(place)s. About %(span)s min.",
        { ...added, span: range[0] === range[1] ? range[1] : range.join("–") })
      : t("%(number)s added for %(name)s: place %(place)s. No table is open for it yet.", added), " ");
    const link = el("a", null, t("Print the ticket slip"));
    link.href = `/t/${answer.token}/slip`;
    link.target = "_blank";
    result.append(link);
    const service = form.service.value;
    form.reset();
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    form.service.value = service;  // the next walk-in is most likely for the same massage
    $("walkin-override").hidden = true;
  } else if (ok && answer.referred) {
    result.textContent = t("Not queued: %(reason)s", { reason: answer.message });
  } else {
    result.textContent = answer.errors ? Object.values(answer.errors).join(" ") : answer.error;
    if (answer.code === "name_mismatch") {
      $("walkin-override").hidden = false;
      form.name_override.focus();
    } else {
      focusRefusal(form, answer.field);
    }
  }
});

// A refused walk-in puts the focus on the field to fix (or on the refusal), for a keyboard or a screen reader.
function focusRefusal(form, field) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const input = field && form.elements[field];
  if (input && input.focus) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "walkin-result");
    input.focus();
  } else {
    $("walkin-result").tabIndex = -1;
    $("walkin-result").focus();
  }
}

// The walk-in's massage is the one chosen last, here and after a reload: the next walk-in most likely wants it too.
const SERVICE_KEY = `walk-in-service:${config.slug}`;
$("walkin-service").addEventListener("change", () => localStorage.setItem(SERVICE_KEY, $("walkin-service").value));
if ([...$("walkin-service").options].some((o) => o.value === localStorage.getItem(SERVICE_KEY))) {
  $("walkin-service").value = localStorage.getItem(SERVICE_KEY);
}

$("announce").addEventListener("submit", async (event) => {
  event.preventDefault();
  const { ok, answer } = await send("PUT", "/announcement", { text: $("announce-text").value });
  $("announce-result").textContent = ok ? (answer.announcement ? t("Sent to every phone and the board.") : t("Cleared."))
    : answer.error;
});

follow({ event: config.slug, role: "staff" }, "staff", {
  snapshot: (snap) => {
    tickets.clear();
    for (const ticket of snap.staff.tickets) tickets.set(ticket.number, ticket);
    haveTickets = true;
    if (numbers) renderWaiting();
    soon();
  },
  delta: (delta) => {
    for (const ticket of delta.tickets) {
      if (ACTIVE.includes(ticket.status)) tickets.set(ticket.number, ticket);
      else tickets.delete(ticket.number);
    }
    if (numbers) renderWaiting();
    soon();
  },
  connection: (state, detail) => showConnection($("connection"), state, detail),
  signed_out: () => window.location.reload(),  // the organiser signed out: the reload leads to the sign-in page
});

followLastCallForms(send, () => Object.fromEntries(Object.entries(numbers?.services ?? {}).map(([c, s]) => [c, s.name])));
refreshNumbers();  // draws the charts too, once there is a day to draw
setInterval(refreshNumbers, 30000);
setInterval(() => { if (numbers) renderTables(); }, 1000);  // alarms rise with time, not only with changes
setInterval(refreshCharts, 60000);
