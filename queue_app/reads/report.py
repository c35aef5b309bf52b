"""The day's report: every figure of rules/report.py for one event, read in one transaction, with the team's day
and next year's staffing (the planner replaying this day's arrivals)."""

from ..clock import zone
from ..data import feedback
from ..data import queue
from ..data import records
from ..data import team as team_data
from ..extensions import db
from ..planner.search import hour_label
from ..rules import report as story
from ..rules import stats
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.times import local
from . import planning
from . import team

# {slug: ((created, version), fewest tables per hour)}: the planner's answer for an event's day as of a version.
# A report, its JSON and its CSV then replay the day once, and again only after a change (the version is read with
# the rest of the report).
_PLANS = {}


def report(slug, now, make=None):
    """The story of the event's day so far (final once it is over): outcomes per service and hour, walk-aways,
    the waits told against what followed, the peaks, the tables working, the team, the feedback and next year.
    After a purge only anonymous figures remain (the comments and names are gone). `make` replays for next year
    (planner/process.py's bounded worker, as the planner page uses it, so the event loop stays free); search.plan in
    this process if it is None."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        event = view.event
        tickets = [story.ReportTicket(*row) for row in records.report_tickets(session, event.id)]
        moves = [stats.Move(*row) for row in records.moves(session, event.id)]
        spans = story.table_spans(records.table_moves(session, event.id), team_data.seat_spans(session, event.id),
                                  now)
        referrals = records.referral_counts(session, event.id)
        answers = [(f.rating, f.comment) for f in feedback.of_event(session, event.id)]
        services = {s.code: s.name for s in view.services}
        # The version names the day's state; the event's creation tells apart two databases' "demo" (tests).
        version = (event.created_at, event.version)
    clock = zone(event.time_zone)
    origin = story.midnight([t.created_at for t in tickets] + [s.start for s in spans], clock)
    per_service, total = story.outcomes(tickets, referrals, services)
    worked = story.tables_per_hour(spans, clock)
    return {
        "event": slug, "name": event.name, "time_zone": event.time_zone, "day": str(event.day) if event.day else None,
        "as_of": f"{local(now, clock):%Y-%m-%d %H:%M}", "purged": event.purged_at is not None,
        "services": services, "per_service": per_service, **total,
        # As the dashboard counts it: the screening's referrals and the runners a table sent there.
        "sent_to_medical": total["sent_to_medical"] + total["referred"], "sent_from_tables": total["sent_to_medical"],
        "per_hour": story.per_hour(tickets, clock),
        "per_service_hour": story.per_service_hour(tickets, clock, services),
        "walk_aways": story.walk_aways(tickets, clock), "waits": story.told_against_real(tickets),
        "waits_by_quarter": story.waits_by_quarter(tickets, clock, origin) if origin else [],
        "peaks": story.peaks(tickets, moves, clock, origin),
        "tables": story.tables_over_time(spans, clock, origin, now),
        "team": team.day(slug, now), "feedback": story.faces(answers),
        "next_year": _next_year(slug, version, worked, bool(tickets), make),
    }


def _next_year(slug, version, worked, any_arrivals, make):
    """The planner on this day's real arrivals (the event's own tickets: when each joined which service): per hour
    the fewest tables for a 90th percentile wait within story.TARGET_MINUTES, beside the tables that worked."""
    target = story.TARGET_MINUTES
    if not any_arrivals:
        return story.not_planned("no_arrivals", worked, target)
    known = _PLANS.get(slug)
    if known is None or known[0] != version:
        # As many tables as worked at most, so the replay's own figures are of a day like this one.
        options = {"tables": str(max(1, *worked.values()) if worked else 1), "target_p90": str(target)}
        try:
            plan = planning.plan(slug, None, options, **({"make": make} if make else {}))
        except Conflict:  # another plan holds the planner: say so, and try again on the next look
            return story.not_planned("busy", worked, target)
        except ValidationError:  # past the planner's time or memory
            fewest = None
        else:
            fewest = {hour_label(hour, plan.day.clock): tables for hour, tables in plan.fewest.items()}
        known = _PLANS[slug] = (version, fewest)
    if known[1] is None:
        return story.not_planned("refused", worked, target)
    return story.next_year(known[1], worked, target)
