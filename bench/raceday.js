// Race day replay: runners join at the arrivals' times (sped up), each with a phone watching its ticket, while
// tables call, start and finish at the services' durations. Config (a JSON file named by argv[2]): url, pin, speed, tables,
// arrivals ([[seconds, bib, service], ...]), minutes ({service: minutes}), walkSeconds, pollSeconds, maxWallSeconds.
// Prints one {type: "result"} line with every latency and error; stops by itself.
import { io } from "socket.io-client";
import { readFileSync } from "node:fs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const simToMs = (seconds) => (1000 * seconds) / config.speed;

const joinMs = [];
const staffMs = {};
const errors = [];
const refused = [];
const phones = new Map(); // token -> socket
let phonesPeak = 0;
let phoneDrops = 0;
let phoneErrors = 0;
let served = 0;
let started;
let stopping = false;
const outstanding = new Set(); // tokens still waiting or at a table
const idle = []; // tables with nobody to call: a join wakes one, as a tablet showing the queue would

function watch(token) {
  const socket = io(config.url, { transports: ["websocket"], forceNew: true, reconnection: false,
                                   auth: { ticket: token } });
  phones.set(token, socket);
  phonesPeak = Math.max(phonesPeak, phones.size);
  socket.on("ticket", (ticket) => {
    if (["done", "no_show", "left", "removed", "sent_to_medical"].includes(ticket.status)) {
      outstanding.delete(token);
      phones.delete(token);
      socket.disconnect();
    }
  });
  socket.on("connect_error", (error) => { phoneErrors += 1; errors.push(`phone: ${error.message}`); });
  socket.on("disconnect", (reason) => { if (!stopping && reason !== "io client disconnect") phoneDrops += 1; });
}

async function join(bib, service) {
  const t0 = now();
  try {
    const answer = await fetch(`${config.url}/api/v1/events/demo/tickets`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ bib: String(bib), first_name: "Runner", service,
                             screening: { unwell: false, injury: false, medical_condition: false } }),
    });
    const body = await answer.json();
    joinMs.push(now() - t0);
    if (answer.status === 201) {
      outstanding.add(body.token);
      watch(body.token);
      if (idle.length) idle[0](true);
    }
    else if (answer.status === 409) refused.push(`${bib}: ${body.code}`);
    else errors.push(`join ${bib}: ${answer.status} ${JSON.stringify(body)}`);
  } catch (error) {
    errors.push(`join ${bib}: ${error}`);
  }
}

async function staffSession() {
  const answer = await fetch(`${config.url}/api/v1/events/demo/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pin: config.pin }),
  });
  if (answer.status !== 200) throw new Error(`login: ${answer.status}`);
  const cookie = answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrf_token: csrf } = await answer.json();
  let key = 0;
  // `label` files the time under another name: a call-next right after a join woke the table is kept apart.
  return async (table, action, body = {}, label = action) => {
    key += 1;
    const t0 = now();
    try {
      const reply = await fetch(`${config.url}/api/v1/events/demo/tables/${table}/${action}`, {
        method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRFToken": csrf,
                   "Idempotency-Key": `race-${table}-${key}` },
      });
      (staffMs[label] ||= []).push(now() - t0);
      const answer = await reply.json();
      if (reply.status !== 200) { errors.push(`table ${table} ${action}: ${reply.status} ${JSON.stringify(answer)}`); return null; }
      return answer;
    } catch (error) {
      errors.push(`table ${table} ${action}: ${error}`);
      return null;
    }
  };
}

// One therapist: call the next runner, wait for them to walk over, massage for the service's minutes, repeat.
async function table(number, act, until) {
  let byJoin = false;
  // A window into a working day: tablets did not all press at the same millisecond, nor look again in step. Each
  // starts at its own moment within the first pollSeconds (evenly spread, the same every run); started together,
  // all 60 pressed "call next" within 20 ms and their idle looks stayed in step every pollSeconds, bursts of 60
  // writes that one process serves one after another (bench/README.md, section 7).
  await sleep((simToMs(config.pollSeconds) * (number - 1)) / config.tables);
  while (now() < until && !stopping) {
    const called = await act(number, "call-next", {}, byJoin ? "call-next (a join woke the table)" : "call-next");
    byJoin = false;
    const ticket = called && called.ticket;
    if (!ticket) {
      // Wait for a join (or look again after pollSeconds, as a therapist glancing at the tablet would).
      byJoin = await new Promise((resolve) => {
        const wake = (joined = false) => {
          clearTimeout(timer);
          const index = idle.indexOf(wake);
          if (index >= 0) idle.splice(index, 1);
          resolve(joined);
        };
        const timer = setTimeout(wake, simToMs(config.pollSeconds));
        idle.push(wake);
      });
      continue;
    }
    await sleep(simToMs(config.walkSeconds));
    if (!(await act(number, "start", { ticket: ticket.number }))) continue;
    await sleep(simToMs(60 * config.minutes[ticket.service]));
    if (await act(number, "finish", { ticket: ticket.number })) served += 1;
  }
}

async function main() {
  const first = config.arrivals[0][0];
  const last = config.arrivals[config.arrivals.length - 1][0];
  const until = now() + Math.min(config.maxWallSeconds * 1000, simToMs(last - first) + 120000);
  const sessions = [];
  for (let n = 1; n <= config.tables; n += 1) sessions.push(await staffSession());
  started = now();
  const tables = sessions.map((act, i) => table(i + 1, act, until));
  const joins = [];
  for (const [seconds, bib, service] of config.arrivals) {
    const due = started + simToMs(seconds - first);
    if (due > until) break;
    if (due > now()) await sleep(due - now());
    joins.push(join(bib, service));
    if (joins.length % 200 === 0) {
      say({ type: "progress", joined: joins.length, waiting_or_at_table: outstanding.size, phones: phones.size,
            served, errors: errors.length, last_error: errors[errors.length - 1],
            wall_s: Math.round((now() - started) / 1000) });
    }
  }
  await Promise.all(joins);
  // After the last arrival, let the tables drain the queue (bounded by `until`).
  while (outstanding.size > 0 && now() < until) await sleep(200);
  stopping = true;
  await Promise.all(tables);
  for (const socket of phones.values()) socket.disconnect();
  say({ type: "result", joins: joinMs.length, join_ms: joinMs, staff_ms: staffMs, errors, refused: refused.length,
        refused_sample: refused.slice(0, 5), phones_peak: phonesPeak, phone_drops: phoneDrops, phone_errors: phoneErrors,
        served, left_in_queue: outstanding.size, wall_s: (now() - started) / 1000 });
  // Exit only once the (large) result line has reached the pipe.
  process.stdout.write("", () => process.exit(0));
}

main().catch((error) => { say({ type: "error", message: String(error) }); process.exit(1); });
