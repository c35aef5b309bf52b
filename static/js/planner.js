// The staffing planner page: says it is working while the server replays the day, then draws the answer's charts
// (uPlot, from static/vendor/) from the JSON the page carries. The tables under the charts hold the same numbers.
import { $, pageData } from "./dom.js";
import { t, tn } from "./words.js";

// One colour and one dash per number of tables tried, so the lines part without colour too.
const COLOURS = ["#003d99", "#a30000", "#0a6b2d", "#6b3fa0", "#8a4b00", "#006d75", "#0b0b0b", "#7a5c00"];
const DASHES = [[], [12, 6], [4, 4], [16, 4, 4, 4], [2, 6], [20, 8], [8, 3, 2, 3], [6, 10]];
const TARGET_COLOUR = "#0b0b0b";

$("plan-form").addEventListener("submit", () => {
  // The form is posted as usual; this only tells the organiser why nothing happens for a few seconds.
  $("plan-status").textContent = t("Planning… replaying the day takes a few seconds.");
  setTimeout(() => { $("plan-submit").disabled = true; }, 0);  // after the submit has left, so it is not cancelled
});

// An hour as the server labels it: 13:00 on the event's clock, or +4:00 / -1:00 from the start gun.
function hourLabel(hour, clock) {
  if (clock) return `${String(((hour % 24) + 24) % 24).padStart(2, "0")}:00`;
  return `${hour >= 0 ? "+" : "-"}${Math.abs(hour)}:00`;
}

// Every axis starts at zero and reaches past the highest value drawn, so no line runs off its chart or below it.
const fromZero = (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.1))];
const charts = {};

function draw(id, data, series) {
  const element = $(id);
  const plan = pageData("plan-data");
  const settings = {
    width: Math.max(260, element.clientWidth || 320), height: 240,
    legend: { live: false },
    cursor: { show: false, sync: { key: "planner" } },
    // Half an hour either side, so the first and last hours' bars and points are whole.
    scales: { x: { time: false, range: (u, min, max) => [min - 0.5, max + 0.5] }, y: { range: fromZero } },
    axes: [
      { values: (u, splits) => splits.map((hour) => (Number.isInteger(hour) ? hourLabel(hour, plan.clock) : "")),
        incrs: [1, 2, 3, 4, 6, 12, 24], font: "14px system-ui", stroke: "#0b0b0b" },
      { font: "14px system-ui", stroke: "#0b0b0b", size: 56 },
    ],
    series: [{}, ...series],
  };
  if (charts[id]) charts[id].destroy();
  element.replaceChildren();
  charts[id] = new window.uPlot(settings, data, element);
  return charts[id];
}

function drawAll() {
  const plan = pageData("plan-data");
  const counts = Object.keys(plan.tables);
  const hours = plan.tables[counts[0]].hours.map((h) => h.hour);
  // Hours nobody joined in have no wait: the line breaks there rather than drawing a wait nobody had.
  const line = (count, index) => ({
    label: tn("%(num)s table", "%(num)s tables", Number(count)),
    stroke: COLOURS[index % COLOURS.length], dash: DASHES[index % DASHES.length], width: 3,
    points: { show: true, size: 9, fill: COLOURS[index % COLOURS.length] },
  });
  draw("chart-fewest", [plan.fewest.map((f) => f.hour), plan.fewest.map((f) => f.tables)],
    [{ label: t("Fewest tables"), stroke: COLOURS[0], fill: "rgba(0, 61, 153, 0.35)", width: 2,
       paths: window.uPlot.paths.bars({ size: [0.7, 60] }), points: { show: false } }]);
  // The axis reaches the longest wait, so every number of tables tried shows against the target line.
  draw("chart-p90", [hours, ...counts.map((c) => plan.tables[c].hours.map((h) => h.wait_p90)),
    hours.map(() => plan.target)],
    [...counts.map(line), { label: t("Target %(minutes)s min", { minutes: plan.target_text }), stroke: TARGET_COLOUR,
      width: 2, dash: [3, 3], points: { show: false } }]);
  draw("chart-waiting", [hours, ...counts.map((c) => plan.tables[c].hours.map((h) => h.peak_waiting))],
    counts.map(line));
}

if ($("plan-data") && window.uPlot) {
  drawAll();
  let resizing = null;
  let width = window.innerWidth;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;  // a phone's toolbar sliding away changes only the height
    width = window.innerWidth;
    clearTimeout(resizing);
    resizing = setTimeout(drawAll, 200);
  });
}
