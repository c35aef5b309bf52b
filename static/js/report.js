// The day's report: draws its charts (uPlot, from static/vendor/) from the JSON the page carries (#report-data):
// joins per 15 minutes, told against real waits, tables working over time, and next year's tables per hour. The
// tables and sentences beside them hold the same figures; without script the CSS heat strip stays.
import { pageData } from "./dom.js";

const INK = "#0b0b0b";
const BLUE = "#003d99";
const RED = "#a30000";
const GREEN = "#0a6b2d";
// A chart is never wider than A4's printable width (190 mm at 96 dpi, less a little), so it prints as drawn.
const MOST_WIDTH = 680;
const HEIGHT = 230;
const DAY = 24 * 60;

// Minutes after midnight as the event's clock reads them (the server counts them on that clock): 14:05.
function clock(minute) {
  const inDay = ((Math.round(minute) % DAY) + DAY) % DAY;
  return `${String(Math.floor(inDay / 60)).padStart(2, "0")}:${String(inDay % 60).padStart(2, "0")}`;
}

// "14:00" labels of hours as minutes, in the day's order (an hour after midnight follows 23:00).
function hourMinutes(labels) {
  let day = 0;
  let before = -1;
  return labels.map((label) => {
    const [hours, minutes] = label.split(":").map(Number);
    let minute = hours * 60 + minutes + day;
    if (minute < before) { day += DAY; minute += DAY; }
    before = minute;
    return minute;
  });
}

// Rows at every quarter hour from the first to the last, a quarter nobody joined in holding nulls: a line breaks
// there rather than drawing waits nobody had.
function everyQuarter(rows, keys) {
  if (!rows.length) return [[], ...keys.map(() => [])];
  const byMinute = new Map(rows.map((row) => [row.minute, row]));
  const minutes = [];
  for (let minute = rows[0].minute; minute <= rows[rows.length - 1].minute; minute += 15) minutes.push(minute);
  return [minutes, ...keys.map((key) => minutes.map((minute) => byMinute.get(minute)?.[key] ?? null))];
}

// Every axis starts at zero and reaches past the highest value drawn.
const fromZero = (u, min, max) => [0, Math.max(1, Math.ceil((max || 0) * 1.15))];

function draw(id, data, series, step) {
  const element = document.getElementById(id);
  if (!element || !data[0].length) return null;
  const settings = {
    width: Math.min(MOST_WIDTH, Math.max(260, element.clientWidth || 320)), height: HEIGHT,
    legend: { live: false },
    cursor: { show: false, sync: { key: "report" } },
    // Half a step either side, so the first and last bars are whole.
    scales: { x: { time: false, range: (u, min, max) => [min - step / 2, max + step / 2] }, y: { range: fromZero } },
    axes: [
      { values: (u, splits) => splits.map((minute) => (minute % 15 === 0 ? clock(minute) : "")),
        incrs: [15, 30, 60, 120, 180, 240, 360, 720], font: "14px system-ui", stroke: INK, space: 56 },
      { font: "14px system-ui", stroke: INK, size: 48 },
    ],
    series: [{}, ...series],
  };
  element.replaceChildren();
  return new window.uPlot(settings, data, element);
}

const bars = (label, colour, fill) => ({
  label, stroke: colour, fill, width: 2, paths: window.uPlot.paths.bars({ size: [0.7, 60] }), points: { show: false },
});
const line = (label, colour, dash = []) => ({
  label, stroke: colour, width: 3, dash, points: { show: true, size: 8, fill: colour },
});
const steps = (label, colour, dash = []) => ({
  label, stroke: colour, width: 3, dash, paths: window.uPlot.paths.stepped({ align: 1 }), points: { show: false },
});

function drawAll() {
  const report = pageData("report-data");
  const words = report.words;
  const drawn = [
    draw("chart-joins", [report.joins.map((j) => j.minute), report.joins.map((j) => j.joins)],
      [bars(words.joins, BLUE, "rgba(0, 61, 153, 0.35)")], 15),
    draw("chart-waits", everyQuarter(report.waits, ["told", "real"]),
      [line(words.told, BLUE, [10, 5]), line(words.real, RED)], 15),
    // A quarter hour is drawn from its start: the steps run on to the next one.
    draw("chart-tables", [report.tables.map((s) => s.minute), report.tables.map((s) => s.working),
      report.tables.map((s) => s.massaging)], [steps(words.working, INK), steps(words.massaging, GREEN, [10, 5])], 15),
    draw("chart-next-year", [hourMinutes(report.next_year.map((h) => h.hour)),
      report.next_year.map((h) => h.needed), report.next_year.map((h) => h.worked)],
    [bars(words.needed, BLUE, "rgba(0, 61, 153, 0.35)"), line(words.worked, RED)], 60),
  ];
  document.body.classList.toggle("charted", drawn.some(Boolean));
}

if (document.getElementById("report-data") && window.uPlot) {
  drawAll();
  let width = window.innerWidth;
  let resizing = null;
  window.addEventListener("resize", () => {
    if (window.innerWidth === width) return;  // a phone's toolbar sliding away changes only the height
    width = window.innerWidth;
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      for (const plot of [...window.uPlot.sync("report").plots]) plot.destroy();
      drawAll();
    }, 200);
  });
}
