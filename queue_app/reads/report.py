"""The day's report: every figure of rules/report.py for one event, read in one transaction, with the team's day."""

from ..clock import zone
from ..data import feedback
from ..data import queue
from ..data import records
from ..extensions import db
from ..rules import report as story
from ..rules import stats
from ..rules.times import local
from . import team


def report(slug, now):
    """The story of the event's day so far (final once it is over): outcomes per service and hour, walk-aways,
    the waits told against what followed, the peaks, the team and the feedback. After a purge only anonymous
    figures remain (the comments and names are gone)."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        event = view.event
        tickets = [story.ReportTicket(*row) for row in records.report_tickets(session, event.id)]
        moves = [stats.Move(*row) for row in records.moves(session, event.id)]
        referrals = records.referral_counts(session, event.id)
        answers = [(f.rating, f.comment) for f in feedback.of_event(session, event.id)]
        services = {s.code: s.name for s in view.services}
    clock = zone(event.time_zone)
    per_service, total = story.outcomes(tickets, referrals, services)
    return {
        "event": slug, "name": event.name, "time_zone": event.time_zone, "day": str(event.day) if event.day else None,
        "as_of": f"{local(now, clock):%Y-%m-%d %H:%M}", "purged": event.purged_at is not None,
        "services": services, "per_service": per_service, **total,
        # As the dashboard counts it: the screening's referrals and the runners a table sent there.
        "sent_to_medical": total["sent_to_medical"] + total["referred"], "sent_from_tables": total["sent_to_medical"],
        "per_hour": story.per_hour(tickets, clock), "walk_aways": story.walk_aways(tickets, clock),
        "waits": story.told_against_real(tickets), "peaks": story.peaks(tickets, moves, clock),
        "team": team.day(slug, now), "feedback": story.faces(answers),
    }
