"""What the tent's people pages show: the roster with who is where, and each person's day (massages, hours)."""

from statistics import median

from ..data import queue
from ..data import team
from ..extensions import db
from ..rules import roster as roster_rules
from ..rules.times import utc_iso


def roster(slug):
    """{"people": [...]} of the roster, each with the name screens show and the table they are at now (or None)."""
    with db.read() as session:
        event = queue.event_view(session, slug).event
        named = team.labels(session, event.id)
        at = {seat.person_id: number for seat, _person, number in team.current_seats(session, event.id)}
        return {"people": [{"id": p.id, "name": named[p.id], "role": p.role, "group": p.group_name,
                            "registration": p.registration, "language": p.language, "table": at.get(p.id)}
                           for p in team.roster(session, event.id)]}


def day(slug, now):
    """Each person's day, and the team's: massages done (per service), hours signed in and on a break, first and
    last sign-in, median massage length; with the flags the dashboard shows (a student with no supervisor signed
    in, someone long without a break)."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        event = view.event
        named = team.labels(session, event.id)
        people = {p.id: p for p in team.everyone(session, event.id)}
        seats = team.all_seats(session, event.id)
        massages = team.massages_by_people(session, event.id)
        services = {s.id: s.code for s in view.services}
    rows = {pid: {"id": pid, "name": named[pid], "role": p.role, "group": p.group_name, "registration": p.registration,
                  "removed": p.removed_at is not None, "massages": 0, "per_service": {}, "seconds": 0,
                  "break_seconds": 0, "first": None, "last": None, "lengths": [], "table": None,
                  "since": None, "on_break": False} for pid, p in people.items()}
    for seat in seats:
        row = rows[seat.person_id]
        until = seat.until or now
        row["seconds"] += int((until - seat.since).total_seconds())
        row["break_seconds"] += seat.break_seconds + (int((now - seat.break_since).total_seconds())
                                                      if seat.break_since and seat.until is None else 0)
        row["first"] = min(row["first"] or seat.since, seat.since)
        row["last"] = max(row["last"] or until, until)
        if seat.until is None:
            row["table"], row["since"], row["on_break"] = seat.table_id, seat.since, seat.break_since is not None
    for person_ids, service_id, started, ended in massages:
        for pid in person_ids:
            if pid in rows:
                row = rows[pid]
                row["massages"] += 1
                code = services.get(service_id, "?")
                row["per_service"][code] = row["per_service"].get(code, 0) + 1
                if started and ended:
                    row["lengths"].append((ended - started).total_seconds() / 60)
    tables = {t.id: t.number for t in view.tables}
    seated = [r for r in rows.values() if r["table"] is not None]
    supervised = any(r["role"] == "supervisor" for r in seated)
    for row in rows.values():
        row["median_minutes"] = round(median(row.pop("lengths")), 1) if row["lengths"] else None
        row["hours"] = round(row["seconds"] / 3600, 2)
        row["break_hours"] = round(row["break_seconds"] / 3600, 2)
        row["table"] = tables.get(row["table"])
        worked = (now - row["since"]).total_seconds() if row["since"] else 0
        row["flags"] = [flag for flag, on in (
            ("no_supervisor", row["role"] == "student" and row["table"] is not None and not supervised),
            ("long_without_break", row["table"] is not None and row["break_seconds"] == 0
             and worked > roster_rules.LONG_WITHOUT_BREAK_HOURS * 3600)) if on]
        row["first"], row["last"], row["since"] = utc_iso(row["first"]), utc_iso(row["last"]), utc_iso(row["since"])
    people_rows = sorted(rows.values(), key=lambda r: (r["removed"], r["name"]))
    groups = {}
    for row in people_rows:
        group = groups.setdefault(row["group"] or "", {"group": row["group"], "people": 0, "massages": 0, "hours": 0})
        group["people"] += 1
        group["massages"] += row["massages"]
        group["hours"] = round(group["hours"] + row["hours"], 2)
    return {"name": event.name, "slug": event.slug, "time_zone": event.time_zone, "people": people_rows,
            "groups": list(groups.values()),
            "total": {"massages": sum(r["massages"] for r in people_rows),
                      "hours": round(sum(r["hours"] for r in people_rows), 2)}}
