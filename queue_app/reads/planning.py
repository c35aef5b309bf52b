"""The staffing planner on an event: its services (their order, minutes and grace time) and, when no arrivals file is
given, its own day so far, read in one short transaction; the replay itself is pure (planner/)."""

from ..clock import zone
from ..data import queue
from ..data import records
from ..extensions import db
from ..planner import search
from ..planner.day import clock_day
from ..planner.day import parse_options
from ..planner.day import read_day
from ..rules.errors import ValidationError
from ..rules.times import local
from ..rules.words import N_


def plan(slug, lines=None, options=None, pause=None, make=search.plan):
    """The planner's answer for event `slug`: the arrivals in `lines` (an arrivals file or the app's export, as text
    lines), or, with None, the runners who have joined the event so far; `options` as day.parse_options takes them.
    Everything is read and checked before anything is replayed; `make` replays (search.plan, here, or a bounded
    worker process: process.bounded; both of planner/)."""
    services, joined = _event(slug, with_day=lines is None)
    tables, assumptions, target = parse_options(options or {}, services)
    day = read_day(lines, list(services)) if lines is not None else _day_so_far(joined)
    return make(day, list(services), tables, assumptions, target, pause)


def _event(slug, with_day):
    """{code: (minutes, grace seconds)} of the event's services in its order, and (with `with_day`) when and into
    which service each of its runners joined, on the event's clock."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        services = {s.code: (s.minutes, s.grace_seconds) for s in view.services}
        rows = records.ticket_times(session, view.event.id) if with_day else []
        clock = zone(view.event.time_zone)
    # In the order they came (UTC), not by the wall clock, which repeats an hour in autumn.
    joined = sorted(((local(row.created_at, clock), row.created_at, row.code, "", 0) for row in rows),
                    key=lambda runner: runner[1])
    return services, joined


def _day_so_far(joined):
    """The Day of the event's own runners so far."""
    if not joined:
        raise ValidationError(N_("Nobody has joined this event yet: give an arrivals file instead."), field="arrivals")
    return clock_day(joined)
