"""What the organiser's dashboard shows: live numbers per service and table, and the day's history."""

from datetime import timedelta

from ..clock import zone
from ..data import queue
from ..data import records
from ..data import team
from ..data.queue import EventView
from ..extensions import db
from ..planner import surge
from ..replica import replication_stopped as _replica_stopped
from ..rules import alarms
from ..rules import estimates
from ..rules import last_call
from ..rules import stats
from ..rules import times
from ..rules.times import hhmm
from ..rules.times import utc_iso


def now_numbers(slug, now, idle_minutes=alarms.IDLE_MINUTES):
    """Waiting, tables, warnings and alarms (a table free over `idle_minutes` while runners wait, a massage past
    twice its length) and the headline statistics of an event, as of `now`."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        summaries = view.summaries()
        local_time = times.local(now, zone(view.event.time_zone)).time()
        tickets = [stats.TicketTimes(*row) for row in records.ticket_times(session, view.event.id)]
        referrals = records.referral_counts(session, view.event.id)
        numbers = stats.summary(tickets, {s.code: s.minutes for s in view.services},
                                [t.number for t in view.tables], referrals, now)
        for code, summary in summaries.items():
            place = summary["waiting"] + 1
            # The same rule and figures as a phone's (rules/facts.py, queue-rules.js waitFor).
            summary["new_runner_wait"] = estimates.estimate_wait_minutes(place, summary["per_place"],
                                                                         summary["free_tables"])
            summary["new_runner_wait_range"] = estimates.wait_range(place, summary["per_place_low"],
                                                                    summary["per_place_high"], summary["free_tables"])
            summary.update(numbers["services"].pop(code))
            service = view.service(code)
            summary.update(grace_seconds=service.grace_seconds,
                           last_call_hints=_last_call_hints(service, summary, local_time))
        return {"version": view.event.version, "name": view.event.name, "time_zone": view.event.time_zone,
                "announcement": view.event.announcement,
                "idle_minutes": idle_minutes, "services": summaries,
                "tables": _tables(session, view, summaries, idle_minutes, now), "stats": numbers}


def _last_call_hints(service, summary, local_time):
    """What would change a service's last call (rules/last_call.py) at `local_time`: the last call with one more
    table; the massage length at which everyone waiting is reached before closing, if some would not be; and past
    the organiser's surge threshold, how many tables would bring a new runner's wait back within it (the planner's
    search on the queue as it stands). Computed on each change the dashboard hears of, never per phone."""
    hints = {"one_more_table": None, "shorter": None, "surge_tables": None}
    waiting, free, per_place = summary["waiting"], summary["free_tables"], summary["per_place"]
    if service.closes_at is not None and per_place is not None:
        one_more = summary["table_minutes"] / (summary["shares"] + 1)
        hints["one_more_table"] = hhmm(last_call.last_call(waiting, one_more, free + 1, service.closes_at))
        left = last_call.minutes_left(service.closes_at, local_time)
        if last_call.reachable_places(per_place, free, left) < waiting:
            minutes = last_call.shorter_massage(waiting, summary["table_minutes"], summary["shares"], free, left)
            hints["shorter"] = minutes and {"minutes": minutes, "length": round(summary["table_minutes"]),
                                            "waiting": waiting, "closes_at": hhmm(service.closes_at)}
    wait = summary["new_runner_wait"]
    # With no table working there is no wait to tell, but runners waiting still need tables.
    if service.surge_minutes and (wait > service.surge_minutes if wait is not None else waiting > 0):
        hints["surge_tables"] = surge.tables_for(service.code, waiting, summary["table_minutes"],
                                                 service.surge_minutes)
    return hints


def replication_stopped(instance_path):
    """True if this laptop's replica (scripts/run with REPLICA) stopped taking changes: the tent works on."""
    return _replica_stopped(instance_path)


def day_history(slug, now):
    """Queue length, waits and massages per hour in 15-minute steps since the first arrival, on the marks of the
    event's own clock (its time zone); each point's time is UTC, for the browser to show on that clock."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        moves = [stats.Move(*row) for row in records.moves(session, view.event.id)]
        tickets = [stats.TicketTimes(*row) for row in records.ticket_times(session, view.event.id)]
    answer = {"services": {s.code: s.name for s in view.services}, "time_zone": view.event.time_zone, "points": []}
    if moves:
        step = timedelta(minutes=15)
        start = stats.first_mark(min(m.at for m in moves), zone(view.event.time_zone), step)
        answer["points"] = stats.history(moves, tickets, [s.code for s in view.services], start, now, step)
    return answer


def _tables(session, view: EventView, summaries, idle_minutes, now):
    """Each table with its current runner, since when, a warning if one is due, and its alarm (rules/alarms.py)."""
    at_tables = {view.table_number(t): t for t in queue.tickets_at_tables(session, view.event.id)}
    people = team.people_at_tables(session, view.event.id)
    rows = []
    for table in view.tables:
        ticket = at_tables.get(table.number)
        row = {"number": table.number, "services": table.service_codes.split(","), "staffed": table.staffed,
               "on_break": table.on_break, "free_since": utc_iso(table.free_since), "ticket": None,
               "people": people.get(table.number, [])}
        if ticket is not None:
            service = view.service_of(ticket)
            since = ticket.started_at if ticket.status == "in_treatment" else ticket.called_at
            row["ticket"] = {
                "number": ticket.label, "first_name": ticket.first_name, "status": ticket.status,
                "service": service.code, "since": utc_iso(since), "started_at": utc_iso(ticket.started_at),
                "minutes": stats.minutes(now - since),
                "warning": stats.table_warnings(ticket.status, since, service.minutes, service.grace_seconds, now),
            }
        row["alarm"] = alarms.table_alarm(
            {**row, "free_since": table.free_since}, ticket and {**row["ticket"], "started_at": ticket.started_at},
            summaries, idle_minutes, now)
        rows.append(row)
    return rows
