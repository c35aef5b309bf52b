"""The day's story, from ticket rows, the audit log's moves and the runners' feedback: what the race director reads
after the race. Pure: plain rows and the event's clock in, figures out."""

from collections import Counter
from collections import namedtuple
from datetime import timedelta

from .stats import minutes
from .stats import percentile
from .times import local
from .times import utc_iso

ReportTicket = namedtuple("ReportTicket",
                          "service status created_at called_at ended_at told_low told_high told_minutes")
TableSpan = namedtuple("TableSpan", "table start end treating")
AT_TABLE = ("called", "in_treatment")
STEP = timedelta(minutes=15)
HOUR = timedelta(hours=1)
LIVE = timedelta(hours=1)  # a day whose last move is this recent is live: its open spans run on to now
MOST_SLOTS = 4 * 24 * 3  # three days of quarter hours: past that, the chart stops
TARGET_MINUTES = 20  # next year: the 90th percentile wait the planner keeps each hour within
WAIT_BUCKETS = ((0, 5), (5, 10), (10, 20), (20, 40), (40, 60), (60, None))  # minutes, the last open-ended
OUTCOMES = ("joined", "served", "left", "removed", "no_shows", "sent_to_medical", "still_in")
_STATUS = {"done": "served", "left": "left", "removed": "removed", "no_show": "no_shows",
           "sent_to_medical": "sent_to_medical", "waiting": "still_in", "called": "still_in",
           "in_treatment": "still_in"}
HOURLY = ("joined", "served", "left", "no_shows", "sent_to_medical")
_ENDED = {"done": "served", "left": "left", "no_show": "no_shows", "sent_to_medical": "sent_to_medical"}


def outcomes(tickets, referrals, services):
    """{service: {joined, served, left, removed, no_shows, sent_to_medical, still_in, referred}} and the total;
    `referred` counts the screening's referrals (runners who never got a ticket), `sent_to_medical` those a table
    sent there."""
    per = {code: dict.fromkeys(OUTCOMES, 0) | {"referred": referrals.get(code, 0)} for code in services}
    for ticket in tickets:
        row = per.setdefault(ticket.service, dict.fromkeys(OUTCOMES, 0) | {"referred": 0})
        row["joined"] += 1
        row[_STATUS[ticket.status]] += 1
    total = {key: sum(row[key] for row in per.values()) for key in (*OUTCOMES, "referred")}
    return per, total


def per_hour(tickets, clock):
    """[{hour: "14:00", joined, served, left, no_shows, sent_to_medical}] on the event's clock, for each hour with
    any of them: a runner counts as joined in the hour they joined, and as served, left, a no-show or sent to
    medical in the hour that ended their ticket."""
    hours = {}
    for ticket in tickets:
        ended = _ENDED.get(ticket.status)
        for key, at in (("joined", ticket.created_at), (ended, ticket.ended_at if ended else None)):
            if at is not None:
                hour = f"{local(at, clock):%H}:00"
                hours.setdefault(hour, {"hour": hour, **dict.fromkeys(HOURLY, 0)})[key] += 1
    return [hours[h] for h in sorted(hours)]


def per_service_hour(tickets, clock, services):
    """{service: per_hour of its tickets} for each of the event's services (an empty list for one nobody joined)."""
    codes = [*services, *sorted({t.service for t in tickets} - set(services))]
    return {code: per_hour([t for t in tickets if t.service == code], clock) for code in codes}


def walk_aways(tickets, clock):
    """Runners who left while waiting: how long each had waited, and when (on the event's clock)."""
    gone = sorted((t for t in tickets if t.status == "left" and t.ended_at), key=lambda t: t.ended_at)
    waited = [minutes(t.ended_at - t.created_at) for t in gone]
    return {"count": len(gone), "median_waited": percentile(waited, 0.5), "longest_waited": max(waited, default=None),
            "list": [{"waited": w, "at": f"{local(t.ended_at, clock):%H:%M}"}
                     for w, t in zip(waited, gone, strict=True)]}


def told_against_real(tickets):
    """What runners were told at joining against what followed (joining to being called): the error's median and
    90th percentile (real minus told, in minutes, by size), the share called within the range told, and how the
    real waits spread."""
    pairs = [(minutes(t.called_at - t.created_at), t) for t in tickets if t.called_at and t.told_minutes is not None]
    errors = [round(abs(real - t.told_minutes), 1) for real, t in pairs]
    # "Called any moment" (told 0-0) counts as inside within the first minute.
    inside = [t.told_low <= real <= max(t.told_high, 1) for real, t in pairs if t.told_low is not None]
    real_waits = [minutes(t.called_at - t.created_at) for t in tickets if t.called_at]
    spread = []
    for low, high in WAIT_BUCKETS:
        count = sum(1 for w in real_waits if w >= low and (high is None or w < high))
        spread.append({"from": low, "to": high, "count": count})
    return {"compared": len(pairs), "median_error": percentile(errors, 0.5), "p90_error": percentile(errors, 0.9),
            "inside_range": round(sum(inside) / len(inside), 3) if inside else None,
            "median_wait": percentile(real_waits, 0.5), "p90_wait": percentile(real_waits, 0.9), "spread": spread}


def peaks(tickets, moves, clock, origin=None):
    """Joins per 15 minutes (the heat strip and its chart, at minutes after `origin`), and the longest queue of the
    day and when, replayed from the moves."""
    strip = Counter(_quarter(ticket.created_at) for ticket in tickets)
    joins = [{"at": f"{local(slot, clock):%H:%M}", "joins": strip[slot],
              **({"minute": minute_of(slot, clock, origin)} if origin else {})} for slot in sorted(strip)]
    waiting, longest, when = 0, 0, None
    for move in sorted(moves, key=lambda m: m.at):
        waiting += (move.to_status == "waiting") - (move.from_status == "waiting")
        if waiting > longest:
            longest, when = waiting, move.at
    return {"joins": joins, "busiest": max(joins, key=lambda j: j["joins"], default=None),
            "longest_queue": longest, "longest_queue_at": f"{local(when, clock):%H:%M}" if when else None,
            "longest_queue_utc": utc_iso(when)}


def midnight(moments, clock):
    """The wall-clock midnight (naive, the event's clock) before the first of `moments`: where the report's charts
    count their minutes from; None without moments."""
    first = min((m for m in moments if m is not None), default=None)
    return local(first, clock).replace(hour=0, minute=0, second=0, microsecond=0) if first else None


def minute_of(moment, clock, origin):
    """A stored moment as whole minutes after `origin` on the event's clock (a chart's x)."""
    return int((local(moment, clock) - origin).total_seconds() // 60)


def table_spans(moves, seats, now):
    """When each table was working: from the audit log's moves [(ticket, at, to status, table)] in the order they
    happened, a span for each time a runner was called to or on a table (until their next move, or `now`;
    `treating` while in treatment); and from the seats [(table, since, until)], each time someone was signed in
    at it."""
    spans, last = [], {}
    for ticket, at, status, table in moves:
        before = last.get(ticket)
        if before and before[1] in AT_TABLE and before[2] is not None and at > before[0]:
            spans.append(TableSpan(before[2], before[0], at, before[1] == "in_treatment"))
        last[ticket] = (at, status, table)
    spans += [TableSpan(table, at, now, status == "in_treatment")
              for at, status, table in last.values() if status in AT_TABLE and table is not None and now > at]
    return spans + [TableSpan(table, since, until or now, False) for table, since, until in seats
                    if (until or now) > since]


def tables_over_time(spans, clock, origin, now):
    """Per 15 minutes from the first span to the last: how many tables worked (had a runner called or on them, or
    someone signed in), how many were massaging on average, and their use (massaging / working); with the most
    tables working at once and when. A span still open ends at `now`, but a day long over is not drawn on to it."""
    if not spans:
        return {"slots": [], "most": 0, "most_at": None, "use": None}
    recorded = max([s.end for s in spans if s.end != now] + [s.start for s in spans])
    last = max(s.end for s in spans) if now - recorded <= LIVE else recorded
    at = _quarter(min(s.start for s in spans))
    slots = []
    while at < last and len(slots) < MOST_SLOTS:
        end = at + STEP
        inside = [s for s in spans if s.start < end and s.end > at]
        working = len({s.table for s in inside})
        busy = sum((min(s.end, end) - max(s.start, at)) / STEP for s in inside if s.treating)
        slots.append({"at": f"{local(at, clock):%H:%M}", "minute": minute_of(at, clock, origin), "working": working,
                      "massaging": round(busy, 2), "use": round(busy / working, 3) if working else None})
        at = end
    top = max(slots, key=lambda slot: slot["working"])
    worked = sum(slot["working"] for slot in slots)
    return {"slots": slots, "most": top["working"], "most_at": top["at"],
            "use": round(sum(slot["massaging"] for slot in slots) / worked, 3) if worked else None}


def tables_per_hour(spans, clock):
    """{hour on the event's clock ("14:00"): how many tables worked in it (a runner called or on them, or someone
    signed in, at any moment of the hour)}."""
    hours = {}
    for span in spans:
        start, end = local(span.start, clock), local(span.end, clock)
        hour = start.replace(minute=0, second=0, microsecond=0)
        while hour < end:
            hours.setdefault(f"{hour:%H}:00", set()).add(span.table)
            hour += HOUR
    return {label: len(tables) for label, tables in sorted(hours.items())}


def waits_by_quarter(tickets, clock, origin):
    """Per 15 minutes of joining, for the runners called: the median wait they were told and the median they
    really had (minutes), and how many there were: the waits chart."""
    told, real = {}, {}
    for ticket in tickets:
        if ticket.called_at is None:
            continue
        slot = _quarter(ticket.created_at)
        real.setdefault(slot, []).append(minutes(ticket.called_at - ticket.created_at))
        if ticket.told_minutes is not None:
            told.setdefault(slot, []).append(ticket.told_minutes)
    return [{"at": f"{local(slot, clock):%H:%M}", "minute": minute_of(slot, clock, origin), "called": len(real[slot]),
             "real": percentile(real[slot], 0.5), "told": percentile(told.get(slot), 0.5)} for slot in sorted(real)]


def next_year(fewest, worked, target):
    """The planner's answer beside the day: per hour (on the event's clock, "14:00"), the fewest tables that would
    have kept the 90th percentile wait of that hour's runners within `target` minutes (`fewest`: {hour: tables,
    None past the most the planner tries}), against the tables that worked in it (`worked`: {hour: tables})."""
    hours = sorted(set(fewest) | set(worked))
    return {"status": "planned", "target_minutes": target,
            "hours": [{"hour": hour, "needed": fewest.get(hour), "worked": worked.get(hour, 0),
                       "planned": hour in fewest} for hour in hours],
            "most_needed": max((n for n in fewest.values() if n is not None), default=None),
            "most_worked": max(worked.values(), default=0)}


def not_planned(status, worked, target):
    """Next year when the planner gave no answer (`status`: no_arrivals, busy or refused): the tables that worked
    each hour still stand."""
    return {"status": status, "target_minutes": target, "most_needed": None,
            "most_worked": max(worked.values(), default=0),
            "hours": [{"hour": hour, "needed": None, "worked": count, "planned": False}
                      for hour, count in worked.items()]}


def _quarter(moment):
    """A stored moment floored to its quarter hour (every zone's offset is whole quarter hours)."""
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def faces(feedback):
    """Feedback: how many answered, the count and share of each face (1 unhappy, 3 happy), and the comments."""
    counts = Counter(rating for rating, _comment in feedback)
    answered = len(feedback)
    return {"count": answered, **{str(r): counts.get(r, 0) for r in (1, 2, 3)},
            "shares": {str(r): round(counts.get(r, 0) / answered, 3) if answered else None for r in (1, 2, 3)},
            "comments": [{"rating": rating, "comment": comment} for rating, comment in feedback if comment]}


def figures(story):
    """The report's figures as rows (section, figure, of what, value), with a header row: what its CSV holds."""
    rows = [["section", "figure", "of", "value"]]
    for code, row in story["per_service"].items():
        rows += [["outcomes", key, code, value] for key, value in row.items()]
    rows += [["outcomes", key, "all", story[key]]
             for key in ("joined", "served", "left", "removed", "no_shows", "sent_to_medical", "referred")]
    for hour in story["per_hour"]:
        rows += [["per_hour", key, hour["hour"], hour[key]] for key in HOURLY]
    for code, hours in story["per_service_hour"].items():
        rows += [["per_service_hour", key, f"{code} {hour['hour']}", hour[key]] for hour in hours for key in HOURLY]
    rows += [["waits", key, "", "" if value is None else value] for key, value in story["waits"].items()
             if key != "spread"]
    rows += [["waits", "real_wait_minutes", f"{b['from']}-{b['to'] or ''}", b["count"]]
             for b in story["waits"]["spread"]]
    walk = story["walk_aways"]
    rows += [["walk_aways", "count", "", walk["count"]],
             ["walk_aways", "median_waited", "", walk["median_waited"] or ""]]
    peaks = story["peaks"]
    rows += [["peaks", "joins_per_15_min", slot["at"], slot["joins"]] for slot in peaks["joins"]]
    rows.append(["peaks", "longest_queue", peaks["longest_queue_at"] or "", peaks["longest_queue"]])
    tables = story["tables"]
    rows += [["tables", key, slot["at"], "" if slot[key] is None else slot[key]] for slot in tables["slots"]
             for key in ("working", "massaging", "use")]
    rows.append(["tables", "most_working", tables["most_at"] or "", tables["most"]])
    for person in story["team"]["people"]:
        rows += [["team", "massages", person["name"], person["massages"]],
                 ["team", "hours", person["name"], person["hours"]]]
    rows += [["feedback", f"face_{rating}", "", story["feedback"][rating]] for rating in ("1", "2", "3")]
    plan = story["next_year"]
    rows.append(["next_year", "status", "", plan["status"]])
    rows += [["next_year", key, hour["hour"], "" if hour[key] is None else hour[key]] for hour in plan["hours"]
             for key in ("needed", "worked")]
    return rows
