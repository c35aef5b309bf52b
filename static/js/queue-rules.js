// The queue's rules as the pages need them. queue_app/rules/places.py is the same place rule in Python;
// tests/browser/test_place_rule.py runs both on the same cases.

// A ticket in one of these is still in the queue or at a table.
export const ACTIVE = ["waiting", "called", "in_treatment"];

// How one public change moves a waiting ticket's place: +1 if the changed ticket is now waiting ahead of it in
// its queue (same service, lower seq), -1 if it was, 0 otherwise. `mine` is the phone's ticket {service, seq}.
export function placeChange(change, mine) {
  const wasAhead = change.from === "waiting" && change.from_service === mine.service && change.from_seq < mine.seq;
  const isAhead = change.status === "waiting" && change.service === mine.service && change.seq < mine.seq;
  return Number(isAhead) - Number(wasAhead);
}

// Who a table calls next (queue_app/rules/calling.py): each service its own queue, and a table serving several
// takes turns, starting after the service it called from last. `served` is in the event's order of services.
export function turnOrder(served, last) {
  const start = served.indexOf(last) + 1;
  return start > 0 ? [...served.slice(start), ...served.slice(0, start)] : [...served];
}

// The runners a table would call, in order, if it called again and again: `queues` is {service: [runner, ...]}
// in queue order. Answers [[service, runner], ...], at most `limit` long.
export function callOrder(served, queues, last, limit = Infinity) {
  const remaining = Object.fromEntries(served.map((code) => [code, [...(queues[code] ?? [])]]));
  const order = [];
  let previous = last;
  while (order.length < limit) {
    const code = turnOrder(served, previous).find((c) => remaining[c].length);
    if (code === undefined) break;
    order.push([code, remaining[code].shift()]);
    previous = code;
  }
  return order;
}

// A waiting runner's wait from their service's pace (queue_app/rules/estimates.py): {low, high, minutes} in whole
// minutes, or null while no table is working for the service. The first `free_tables` places (tables standing
// free that call this queue next) wait 0: they are called any moment.
export function waitFor(place, pace) {
  if (!pace || pace.per_place_low == null || pace.per_place_high == null) return null;
  const free = pace.free_tables ?? 0;
  if (place <= free) return { low: 0, high: 0, minutes: 0 };
  const ahead = place - free;
  return {
    low: Math.floor(ahead * pace.per_place_low),
    high: Math.max(1, Math.ceil(ahead * pace.per_place_high)),
    minutes: Math.ceil(ahead * pace.per_place),
  };
}

// "About 12–18 min, around 14:40" (the clock time in the phone's own time, which at a race is the venue's), in
// the page's language: `t` is words.js's (English when not given), and the time is written as `lang` writes it.
// A wait of 0 is a free table about to call: said so, never as a range.
export function waitWords(wait, now = new Date(), t = english, lang = undefined) {
  if (!wait) return t("No table is open for this yet: the wait shows once one is.");
  if (wait.high === 0) return t("A table is free: you will be called any moment.");
  const at = new Date(now.getTime() + wait.minutes * 60000).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
  const span = wait.low === wait.high ? `${wait.high}` : `${wait.low}–${wait.high}`;
  return t("About %(span)s min, around %(time)s", { span, time: at });
}

// The English text of a catalog template, its %(name)s places filled.
export function english(text, params = {}) {
  return text.replace(/%\((\w+)\)s/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// The English form of `singular`/`plural` for `count`, %(num)s being the count (words.js tn, in English).
export function englishCount(singular, plural, count, params = {}) {
  return english(count === 1 ? singular : plural, { num: count, ...params });
}

// Why a service takes no new runners now, or null if it does (queue_app/rules/joining.py accepting_joins).
// `service` is a board summary; `clock` the time of day in the event's time zone, as "HH:MM".
// `t` translates (words.js; English when not given).
export function refusal(service, clock, t = english) {
  if (service.status === "closed") return t("is closed");
  if (service.status === "paused") return t("is paused for a moment");
  if (!withinHours(service, clock)) {
    return openingAhead(service, clock) ? t("opens at %(time)s", { time: service.opens_at })
      : t("closed at %(time)s", { time: service.closes_at });
  }
  if (service.last_join_at && !withinHours({ opens_at: service.opens_at, closes_at: service.last_join_at }, clock)) {
    return t("closed at %(time)s", { time: service.last_join_at });
  }
  if (service.capacity != null && service.waiting >= service.capacity) return t("is full right now");
  const back = reach(service, service.waiting + 1, clock);
  if (back && !back.reached) return t("is full for today: we cannot reach you before %(time)s", { time: back.closes_at });
  return null;
}

// Whether the tent reaches a runner at `place` before the service closes (queue_app/rules/last_call.py reach):
// {reached, thin, closes_at, wait, minutes_left} in whole minutes of the event's clock ("HH:MM"), or null where no
// reach rule applies (no closing time, kept open, a fixed last-join time, no table working).
export const THIN_MINUTES = 15;
const minutesOf = (clock) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
export function reach(service, place, clock) {
  const wait = service && service.reach_rule && clock ? waitFor(place, service) : null;
  if (!wait) return null;
  const left = (minutesOf(service.closes_at) - minutesOf(clock) + 1440) % 1440;
  const reached = wait.minutes <= left;
  return { reached, thin: reached && left - wait.minutes < THIN_MINUTES, closes_at: service.closes_at,
    wait: wait.minutes, minutes_left: left };
}

// The time of day as "HH:MM" on an event's clock (its own time zone), which opening hours and last call are read
// on; a browser without this zone uses the phone's own clock.
export function eventClock(timeZone) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  let format;
  try {
    format = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
  } catch {
    format = new Intl.DateTimeFormat("en-GB", options);
  }
  return (now = new Date()) => format.format(now);
}

// Whether `clock` is within the service's hours (joining.py within_hours): a closing time before the opening
// time is an overnight window, 22:00–03:00 open from 22:00 until 03:00 the next morning.
export function withinHours({ opens_at: opens, closes_at: closes }, clock) {
  if (opens && closes && closes < opens) return clock >= opens || clock < closes;
  return !(opens && clock < opens) && !(closes && clock >= closes);
}

// Whether the hours keep runners out now and the service opens later on this clock (joining.py opening_ahead).
export function openingAhead(service, clock) {
  if (!service.opens_at || withinHours(service, clock)) return false;
  return Boolean(service.closes_at && service.closes_at < service.opens_at) || clock < service.opens_at;
}

// A table's alarm at `now` (ms), or null (queue_app/rules/alarms.py table_alarm): signed in, not on a break, free for
// more than `idleMinutes` while runners it serves wait ({kind: "idle", minutes, waiting}); or a massage past twice
// its service's length ({kind: "long", minutes, limit}). `table`: {staffed, on_break, free_since, services};
// `ticket`: the runner at it {status, service, started_at} or null; `services`: {code: {waiting, minutes}}.
export const LONG_TREATMENT = 2;
export function tableAlarm(table, ticket, services, idleMinutes, now = Date.now()) {
  if (!ticket) {
    const waiting = table.services.reduce((sum, code) => sum + (services[code]?.waiting ?? 0), 0);
    if (!table.staffed || table.on_break || !table.free_since || !waiting) return null;
    const free = now - Date.parse(table.free_since);
    return free > idleMinutes * 60000 ? { kind: "idle", minutes: Math.floor(free / 60000), waiting } : null;
  }
  if (ticket.status !== "in_treatment" || !ticket.started_at) return null;
  const limit = services[ticket.service].minutes * LONG_TREATMENT;
  const running = now - Date.parse(ticket.started_at);
  return running > limit * 60000 ? { kind: "long", minutes: Math.floor(running / 60000), limit } : null;
}

// An alarm as words for a tablet or the dashboard (rules/alarms.py alarm_words says the same), in the page's
// language: `t` and `tn` are words.js's (English when not given).
export function alarmWords(alarm, t = english, tn = englishCount) {
  if (!alarm) return "";
  if (alarm.kind === "idle") {
    return alarm.minutes
      ? tn("Free for %(minutes)s min while %(num)s runner waits", "Free for %(minutes)s min while %(num)s runners wait",
        alarm.waiting, { minutes: alarm.minutes })
      : tn("Free for under a minute while %(num)s runner waits", "Free for under a minute while %(num)s runners wait",
        alarm.waiting);
  }
  return t("In treatment %(minutes)s min: over twice the %(length)s min massage",
    { minutes: alarm.minutes, length: alarm.limit / LONG_TREATMENT });
}
