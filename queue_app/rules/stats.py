"""The organiser's numbers, computed from ticket rows and the audit log. Pure: rows and `now` in, numbers out."""

import math
from collections import namedtuple
from datetime import timedelta
from statistics import median

from .times import local
from .times import utc
from .times import utc_iso
from .words import N_

TicketTimes = namedtuple("TicketTimes", "service status created_at called_at started_at ended_at table")
Move = namedtuple("Move", "at service from_status to_status")

RECENT = timedelta(minutes=30)
HOUR = timedelta(hours=1)
LONG_TREATMENT = 1.5  # a massage running this many times its expected minutes gets a warning


def minutes(delta):
    """A timedelta in minutes, one decimal."""
    return round(delta.total_seconds() / 60, 1)


def percentile(values, share):
    """The `share` (0..1) percentile by nearest rank, or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def waits_called_since(tickets, since):
    """Minutes from joining to being called, for tickets called after `since`."""
    return [minutes(t.called_at - t.created_at) for t in tickets if t.called_at and t.called_at >= since]


def treatment_minutes(tickets):
    """Minutes on the table of every finished massage."""
    return [minutes(t.ended_at - t.started_at) for t in tickets if t.status == "done" and t.started_at and t.ended_at]


def utilisation(tickets, tables, now, window=HOUR):
    """Share of the last `window` the given tables spent with a runner on them (0..1), or None without tables."""
    if not tables:
        return None
    start = now - window
    busy = timedelta()
    for t in tickets:
        if t.table in tables and t.started_at:
            end = t.ended_at or now
            overlap = min(end, now) - max(t.started_at, start)
            busy += max(overlap, timedelta())
    return round(busy / (window * len(tables)), 3)


def summary(tickets, service_minutes, table_numbers, referrals, now):
    """The dashboard's headline numbers per service and overall; "sent to medical" counts both the screening's
    `referrals` and the runners a table sent there."""
    recent_waits = waits_called_since(tickets, now - RECENT)
    treatments = treatment_minutes(tickets)
    per_service = {}
    for code in service_minutes:
        mine = [t for t in tickets if t.service == code]
        waits = waits_called_since(mine, now - RECENT)
        per_service[code] = {
            "wait_median": _median(waits), "wait_p90": percentile(waits, 0.9),
            "treatment_median": _median(treatment_minutes(mine)),
            "done": sum(t.status == "done" for t in mine),
            "no_shows": sum(t.status == "no_show" for t in mine),
            "left": sum(t.status in ("left", "removed") for t in mine),
            "referrals": referrals.get(code, 0) + sum(t.status == "sent_to_medical" for t in mine),
        }
    return {
        "wait_median": _median(recent_waits), "wait_p90": percentile(recent_waits, 0.9),
        "treatment_median": _median(treatments),
        "massages_last_hour": sum(1 for t in tickets if t.status == "done" and t.ended_at and t.ended_at >= now - HOUR),
        "utilisation": utilisation(tickets, set(table_numbers), now),
        "done": sum(t.status == "done" for t in tickets),
        "no_shows": sum(t.status == "no_show" for t in tickets),
        "referrals": sum(referrals.values()) + sum(t.status == "sent_to_medical" for t in tickets),
        "services": per_service,
    }


def table_warnings(status, since, expected_minutes, grace_seconds, now):
    """A warning for a table whose runner has not come or whose massage runs long, else None."""
    if status == "called" and (now - since).total_seconds() >= grace_seconds * 2 / 3:
        return N_("not arrived yet")
    if status == "in_treatment" and now - since > timedelta(minutes=expected_minutes * LONG_TREATMENT):
        return N_("running long")
    return None


def first_mark(first, zone, step=timedelta(minutes=15)):
    """Where the day's chart starts: the first arrival rounded down to a whole `step` of the event's wall clock in
    `zone` (09:00, 09:15, ... there), as a stored (naive UTC) time. Every later point is a whole step on."""
    wall = local(first, zone)
    since_midnight = wall - wall.replace(hour=0, minute=0, second=0, microsecond=0)
    return utc(wall - since_midnight % step, zone)


def history(moves, tickets, services, start, now, step=timedelta(minutes=15)):
    """Per time step: runners waiting per service (replayed from the audit log), median wait, massages per hour."""
    moves = sorted(moves, key=lambda m: m.at)
    waiting = {code: 0 for code in services}
    points, index = [], 0
    # Points on the step marks before now, and the last one at now itself: never a point in the future.
    moments = [start + step * n for n in range(int((now - start) / step) + 1) if start + step * n < now] + [now]
    for moment in moments:
        while index < len(moves) and moves[index].at <= moment:
            move = moves[index]
            waiting[move.service] += (move.to_status == "waiting") - (move.from_status == "waiting")
            index += 1
        window = [t for t in tickets if t.called_at and moment - step < t.called_at <= moment]
        done = [t for t in tickets if t.status == "done" and t.ended_at and moment - step < t.ended_at <= moment]
        points.append({
            "at": utc_iso(moment), "waiting": dict(waiting),
            "wait_median": {code: _median([minutes(t.called_at - t.created_at) for t in window if t.service == code])
                            for code in services},
            "massages_per_hour": round(len(done) * (HOUR / step)),
        })
    return points


def _median(values):
    """The median, one decimal, or None for no values."""
    return round(median(values), 1) if values else None
