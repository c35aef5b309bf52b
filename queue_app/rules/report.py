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
STEP = timedelta(minutes=15)
WAIT_BUCKETS = ((0, 5), (5, 10), (10, 20), (20, 40), (40, 60), (60, None))  # minutes, the last open-ended
OUTCOMES = ("joined", "served", "left", "removed", "no_shows", "sent_to_medical", "still_in")
_STATUS = {"done": "served", "left": "left", "removed": "removed", "no_show": "no_shows",
           "sent_to_medical": "sent_to_medical", "waiting": "still_in", "called": "still_in",
           "in_treatment": "still_in"}


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
    """[{hour: "14:00", joined, served, left}] on the event's clock, for each hour with any of them."""
    hours = {}
    for ticket in tickets:
        for key, at in (("joined", ticket.created_at), ("served", ticket.ended_at if ticket.status == "done" else None),
                        ("left", ticket.ended_at if ticket.status == "left" else None)):
            if at is not None:
                hour = f"{local(at, clock):%H}:00"
                hours.setdefault(hour, {"hour": hour, "joined": 0, "served": 0, "left": 0})[key] += 1
    return [hours[h] for h in sorted(hours)]


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
    errors = [abs(real - t.told_minutes) for real, t in pairs]
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


def peaks(tickets, moves, clock):
    """Joins per 15 minutes (the heat strip), and the longest queue of the day and when, replayed from the moves."""
    strip = Counter()
    for ticket in tickets:
        at = local(ticket.created_at, clock)
        strip[at.replace(minute=at.minute - at.minute % 15, second=0, microsecond=0)] += 1
    joins = [{"at": f"{slot:%H:%M}", "joins": strip[slot]} for slot in sorted(strip)]
    waiting, longest, when = 0, 0, None
    for move in sorted(moves, key=lambda m: m.at):
        waiting += (move.to_status == "waiting") - (move.from_status == "waiting")
        if waiting > longest:
            longest, when = waiting, move.at
    return {"joins": joins, "busiest": max(joins, key=lambda j: j["joins"], default=None),
            "longest_queue": longest, "longest_queue_at": f"{local(when, clock):%H:%M}" if when else None,
            "longest_queue_utc": utc_iso(when)}


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
        rows += [["per_hour", key, hour["hour"], hour[key]] for key in ("joined", "served", "left")]
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
    for person in story["team"]["people"]:
        rows += [["team", "massages", person["name"], person["massages"]],
                 ["team", "hours", person["name"], person["hours"]]]
    rows += [["feedback", f"face_{rating}", "", story["feedback"][rating]] for rating in ("1", "2", "3")]
    return rows
