"""The database's health: whether it answers, and the cheap counts the metrics read at scrape time."""

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import text

from .models import Event
from .models import Service
from .models import Ticket


def answers(session):
    """True if the database runs a trivial query."""
    return session.execute(text("SELECT 1")).scalar() == 1


def waiting_per_service(session):
    """{(event slug, service code): runners waiting}, every service included (one grouped, indexed count)."""
    waiting = (Ticket.service_id == Service.id) & (Ticket.status == "waiting")
    rows = session.execute(select(Event.slug, Service.code, func.count(Ticket.id))
                           .join(Service, Service.event_id == Event.id)
                           .outerjoin(Ticket, waiting)
                           .group_by(Event.slug, Service.code))
    return {(slug, code): count for slug, code, count in rows}
