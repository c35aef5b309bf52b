// Writers to one event, as fast as they go: each table calls the next runner and marks a no-show, in a loop,
// for a bounded time. Config (a JSON file named by argv[2]): urls (one per server process), tables, seconds, pin.
// Prints {type: "result"} with every action's latency; the tables are spread over the processes in turn.
import { readFileSync } from "node:fs";

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const now = () => performance.timeOrigin + performance.now();
const latencies = [];
const errors = [];
let changes = 0;

async function session(url) {
  const answer = await fetch(`${url}/api/v1/events/demo/login`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ pin: config.pin }),
  });
  const cookie = answer.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrf_token: csrf } = await answer.json();
  return async (table, action) => {
    const t0 = now();
    const reply = await fetch(`${url}/api/v1/events/demo/tables/${table}/${action}`, {
      method: "POST", body: "{}", headers: { "Content-Type": "application/json", Cookie: cookie, "X-CSRFToken": csrf },
    });
    latencies.push(now() - t0);
    const body = await reply.json();
    if (reply.status !== 200) errors.push(`${action} ${table}: ${reply.status} ${body.code}`);
    return reply.status === 200 ? body : null;
  };
}

async function table(number, act, until) {
  while (now() < until) {
    const called = await act(number, "call-next");
    if (called && called.ticket) {
      changes += 1;
      if (await act(number, "no-show")) changes += 1;
    }
  }
}

const acts = [];
for (let n = 0; n < config.tables; n += 1) acts.push(await session(config.urls[n % config.urls.length]));
const started = now();
const until = started + config.seconds * 1000;
await Promise.all(acts.map((act, i) => table(i + 1, act, until)));
const seconds = (now() - started) / 1000;
process.stdout.write(JSON.stringify({ type: "result", latencies, errors: errors.length,
                                      error_sample: errors.slice(0, 5), changes, seconds }) + "\n");
