// Holds N Socket.IO phones on one server and times how long a broadcast takes to reach each of them.
// Config (a JSON file named by argv[2]): url, auths (list of auth objects, one per phone), event ("board"), trigger ("ours" |
// "floor" | "none"), pin, concurrency. Speaks JSON lines: prints {type: "ready"}, waits for {cmd: "fire", calls},
// {cmd: "changes", count} or {cmd: "reconnect"} on stdin, prints {type: "result"}; stdin closing disconnects
// everyone and exits. A gathered delta (`steps`) counts as received for each version it carries.
import { io } from "socket.io-client";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const say = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const phones = [];
const received = new Map(); // version -> number of phones that have it
let connectErrors = 0;
let drops = 0;
let payloadBytes = 0; // size of the last broadcast the first phone received
let firstPhone = true;

let snapshots = 0;

// `back`: a phone coming back after a blip, saying the version it has (as live.js does): our server sends it no
// snapshot if nothing changed, so it is up to date once connected.
function connectOne(auth, back = null) {
  return new Promise((resolve) => {
    const phone = back || { times: new Map(), sizes: firstPhone, auth, version: null };
    phone.ready = false;
    firstPhone = false;
    const hello = back && config.trigger === "ours" && phone.version !== null ? { ...auth, version: phone.version } : auth;
    const socket = io(config.url, {
      transports: ["websocket"], forceNew: true, reconnection: false, auth: hello, timeout: 60000,
    });
    phone.socket = socket;
    const done = () => { if (!phone.ready) { phone.ready = true; phones.push(phone); resolve(); } };
    socket.on(config.event, (payload) => {
      if (phone.sizes) payloadBytes = JSON.stringify(payload).length;
      for (const step of payload.steps || [{ version: payload.version }]) {
        if (!phone.times.has(step.version)) {
          phone.times.set(step.version, now());
          received.set(step.version, (received.get(step.version) || 0) + 1);
        }
      }
      phone.version = Math.max(phone.version ?? 0, payload.version);
    });
    socket.on("snapshot", (snap) => {
      snapshots += 1;
      if (snap && snap.board) phone.version = snap.board.version;
      done();
    });
    // The floor snapshots every connect; ours snapshots a new phone, and a phone coming back only if it is behind.
    if (config.trigger !== "ours" || hello.version !== undefined) socket.on("connect", done);
    socket.on("connect_error", () => { connectErrors += 1; resolve(); });
    socket.on("disconnect", () => { if (phone.ready && !phone.leaving) drops += 1; });
  });
}

// Every phone drops at once (a Wi-Fi blip) and all come back at once; seconds until the last is up to date.
async function reconnectAll() {
  const gone = phones.splice(0);
  for (const phone of gone) { phone.leaving = true; phone.socket.disconnect(); }
  await sleep(500);
  snapshots = 0;
  const started = now();
  await Promise.all(gone.map((phone) => { phone.leaving = false; return connectOne(phone.auth, phone); }));
  return { seconds: (now() - started) / 1000, back: phones.length, snapshots };
}

async function connectAll() {
  const started = now();
  let next = 0;
  let lastReported = 0;
  async function worker() {
    while (next < config.auths.length) {
      const auth = config.auths[next++];
      await connectOne(auth);
      if (phones.length % 1000 === 0 && phones.length !== lastReported) {
        lastReported = phones.length;
        say({ type: "progress", connected: phones.length, errors: connectErrors });
      }
    }
  }
  await Promise.all(Array.from({ length: config.concurrency || 50 }, worker));
  return (now() - started) / 1000;
}

async function staffSession() {
  const answer = await fetch(`${config.url}/api/v1/events/demo/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pin: config.pin }),
  });
  const cookie = answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrf_token: csrf } = await answer.json();
  let key = 0;
  return async (table, action) => {
    key += 1;
    const reply = await fetch(`${config.url}/api/v1/events/demo/tables/${table}/${action}`, {
      method: "POST", body: "{}",
      headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRFToken": csrf,
                 "Idempotency-Key": `bench-${process.pid}-${key}` },
    });
    if (reply.status !== 200) throw new Error(`${action}: ${reply.status} ${await reply.text()}`);
    return reply.json();
  };
}

async function waitForAll(version, timeoutMs) {
  const deadline = now() + timeoutMs;
  while ((received.get(version) || 0) < phones.length && now() < deadline) await sleep(2);
}

// One change, timed from just before the request leaves to each phone's receipt of its version.
async function fireOnce(act, index) {
  const t0 = now();
  let version;
  if (config.trigger === "ours") {
    const answer = await act(1 + (index % 6), "call-next");
    version = answer.ticket.version;
  } else {
    version = (await (await fetch(`${config.url}/fire`, { method: "POST" })).json()).version;
  }
  const answerMs = now() - t0; // the trigger's own HTTP round trip, broadcast included
  await waitForAll(version, config.wait_ms || 15000);
  const latencies = [];
  let missed = 0;
  for (const phone of phones) {
    const at = phone.times.get(version);
    if (at === undefined) missed += 1; else latencies.push(at - t0);
  }
  if (config.trigger === "ours") {
    // Free the table again; that is a change too, so wait for it before timing the next call.
    const freed = await act(1 + (index % 6), "no-show");
    await waitForAll(freed.ticket.version, config.wait_ms || 15000);
  }
  return { version, latencies, missed, all_ms: missed ? null : Math.max(...latencies), answer_ms: answerMs };
}

async function main() {
  const connectSeconds = await connectAll();
  say({ type: "ready", connected: phones.length, errors: connectErrors, connect_s: connectSeconds });
  const act = config.trigger === "ours" ? await staffSession() : null;
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const command = JSON.parse(line);
    if (command.cmd === "fire") {
      const runs = [];
      for (let i = 0; i < command.calls; i += 1) {
        runs.push(await fireOnce(act, i));
        await sleep(command.pause_ms ?? 300);
      }
      say({ type: "result", runs, connected: phones.length, drops, connect_errors: connectErrors, payloadBytes });
    } else if (command.cmd === "reconnect") {
      say({ type: "result", ...(await reconnectAll()), drops, connect_errors: connectErrors });
    } else if (command.cmd === "changes") {
      // Bare changes for the CPU measure: call and no-show in turn, each waited for on every phone.
      const started = now();
      for (let i = 0; i < command.count; i += 1) await fireOnce(act, i);
      say({ type: "result", seconds: (now() - started) / 1000, drops, connected: phones.length, payloadBytes });
    }
  }
  for (const phone of phones) phone.socket.disconnect();
  process.exit(0);
}

main().catch((error) => { say({ type: "error", message: String(error) }); process.exit(1); });
