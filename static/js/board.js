// The TV board: who is called to which table, and the next numbers. Numbers only, never names.
import { $, el, pageData } from "./dom.js";
import { follow, showConnection } from "./live.js";
import { chime, soundReady, unlockSound } from "./alerts.js";
import { waitFor, waitWords } from "./queue-rules.js";
import { inLanguage, lang, locale, t } from "./words.js";

const state = pageData("board-state");
const serving = new Map();  // number -> {table, status}
let services = state.board.services;

function render(announcement) {
  const list = $("serving");
  list.replaceChildren();
  // Newest call first: a TV cannot scroll, so if calls outnumber the rows that fit, the oldest drop off the bottom.
  const called = [...serving.entries()].filter(([, t]) => t.status === "called").reverse();
  for (const [number, { table }] of called) {
    const item = el("li", "serving-row called");
    item.dataset.number = number;
    item.dataset.table = table;
    // "Table 7" as the words around the number, so a crowded board can drop them (organiser.css .table-word).
    const [before, after] = t("Table %(table)s", { table: "\u0000" }).split("\u0000");
    const where = el("span", "serving-table");
    where.append(el("span", "table-word", before), String(table), after ? el("span", "table-word", after) : "");
    item.append(el("span", "serving-number", number), el("span", "serving-arrow", "→"), where,
      el("span", "serving-status", t("please come now")));
    list.append(item);
  }
  if (!called.length) list.append(el("li", "muted", t("Nobody called right now.")));
  // Runners already on a table matter less to the tent: small print at the side, so calls keep the room.
  const treating = [...serving.entries()].filter(([, t]) => t.status === "in_treatment");
  $("treating").replaceChildren(...treating.map(([number, { table }]) => el("span", "treating-item", `${number} → ${table}`)));
  $("treating-box").hidden = !treating.length;
  const next = $("next");
  next.replaceChildren();
  for (const service of Object.values(services)) {
    const block = el("div", "next-service");
    block.append(el("h3", null, t("%(service)s · %(count)s waiting", { service: inLanguage(service.names, service.name), count: service.waiting })));
    const numbers = el("p", "next-numbers");
    for (const number of service.next) numbers.append(el("span", "next-number", number));
    if (!service.next.length) numbers.textContent = "—";
    block.append(numbers);
    const wait = waitFor(service.waiting + 1, service);
    if (service.status === "open" && wait) {
      const words = waitWords(wait, new Date(), t, locale());
      block.append(el("p", "next-wait", t("Joining now: %(wait)s", { wait: words[0].toLocaleLowerCase(lang()) + words.slice(1) })));
    }
    if (service.status !== "open") block.append(el("p", "service-state", t("%(service)s is %(status)s", { service: inLanguage(service.names, service.name), status: t(service.status) })));
    next.append(block);
  }
  if (announcement !== undefined) {
    $("announcement").textContent = announcement || "";
    $("announcement").hidden = !announcement;
  }
  fitRows();  // last: the announcement above the list changes the room it has
}

// A TV cannot scroll. When calls outnumber the rows that fit, they close up into two columns, then three (without
// the word "Table"), each still readable across the tent; only past that do the oldest fold into one line.
const LAYOUTS = ["", "compact", "dense"];
function fitRows() {
  const box = $("serving").parentElement;
  const rows = [...$("serving").children];
  const also = $("also-called");
  for (const row of rows) row.hidden = false;
  also.replaceChildren();
  also.hidden = true;
  for (const layout of LAYOUTS) {
    $("serving").className = `serving ${layout}`.trim();
    const cut = rows.some((row) => row.scrollWidth > row.clientWidth);  // "P-120 → Table 120" wider than a column
    if (box.scrollHeight <= box.clientHeight && !cut) break;
  }
  const folded = [];
  for (let index = rows.length - 1; index > 0 && box.scrollHeight > box.clientHeight; index -= 1) {
    rows[index].hidden = true;
    folded.unshift(rows[index]);
    also.replaceChildren(el("strong", null, t("Also called: ")), ...folded.map((row) => el("span", "treating-item",
      t("%(number)s → table %(table)s", { number: row.dataset.number, table: row.dataset.table }))));
    also.hidden = false;
  }
}

function applySnapshot(board) {
  serving.clear();
  for (const ticket of board.serving) serving.set(ticket.number, { table: ticket.table, status: ticket.status });
  services = board.services;
  render(inLanguage(board.announcements, board.announcement));
}

// "Number R 42, table 4", in the page's language, for runners without a phone. Browsers speak (and chime) only
// after a click on the page, or on a TV started with the kiosk flag in docs/deploy.md.
function speak(calls) {
  if (!("speechSynthesis" in window) || !soundReady()) return;
  for (const { number, table } of calls) {
    const words = t("Number %(number)s, table %(table)s", { number: number.replace(/^([A-Z]+)-0*(\d+)$/, "$1 $2"), table });
    const utterance = new SpeechSynthesisUtterance(words);
    utterance.lang = lang();
    window.speechSynthesis.speak(utterance);
  }
}

function applyDelta(delta) {
  const calls = [];
  for (const change of delta.changes) {
    if (change.status === "called" || change.status === "in_treatment") {
      if (change.status === "called") calls.push(change);
      serving.set(change.number, { table: change.table, status: change.status });
    } else {
      serving.delete(change.number);
    }
  }
  services = delta.services;
  render(inLanguage(delta.announcements, delta.announcement));
  if (calls.length) {
    chime(1);
    setTimeout(() => speak(calls), 1200);  // after the chime
  }
}

follow({ event: state.slug }, "board", {
  snapshot: (snap) => applySnapshot(snap.board),
  delta: applyDelta,
  connection: (s, detail) => showConnection($("connection"), s, detail),
});
function showSound() {
  $("enable-sound").hidden = soundReady();
  $("sound-status").hidden = !soundReady();
}
$("enable-sound").addEventListener("click", () => {
  unlockSound();
  chime(1);
  setTimeout(showSound, 300);
});
unlockSound(false);  // a kiosk TV started allowed to play sound needs no click; elsewhere this stays locked
showSound();
setTimeout(showSound, 500);
window.addEventListener("resize", fitRows);
applySnapshot(state.board);
