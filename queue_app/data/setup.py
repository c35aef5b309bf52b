"""Stored setup: events with their services and tables, the staff PIN and the organiser password."""

from sqlalchemy import select

from .models import Event
from .models import Service
from .models import Setting
from .models import Table
from .models import Ticket

PASSWORD_KEY = "organiser_password_hash"
GENERATION_KEY = "organiser_generation"


def all_events(session):
    """Every event, newest first."""
    return session.scalars(select(Event).order_by(Event.created_at.desc())).all()


def insert_event(session, spec, pin_hash, now):
    """Store a new event with its services and `spec.tables` tables serving every service; returns the event."""
    event = Event(slug=spec.slug, name=spec.name, pin_hash=pin_hash, version=0, next_seq=1, created_at=now,
                  day=spec.day, time_zone=spec.time_zone)
    session.add(event)
    session.flush()
    for position, service in enumerate(spec.services):
        session.add(Service(event_id=event.id, code=service.code, name=service.name, prefix=service.prefix,
                            minutes=service.minutes, status="open", next_number=1, position=position))
    codes = ",".join(service.code for service in spec.services)
    for number in range(1, spec.tables + 1):
        session.add(Table(event_id=event.id, number=number, service_codes=codes, staffed=False))
    session.flush()
    return event


def any_table(session, event_id, number):
    """The event's table with this number, even one removed from service (kept for its history), or None."""
    return session.scalars(select(Table).where(Table.event_id == event_id, Table.number == number)).one_or_none()


def add_table(session, event_id, number, service_codes):
    """Store a new table."""
    session.add(Table(event_id=event_id, number=number, service_codes=service_codes, staffed=False))


def remove_table(session, table):
    """Delete a table that never had a runner; one with history is taken out of service and kept."""
    if session.scalar(select(Ticket.id).where(Ticket.table_id == table.id).limit(1)) is None:
        session.delete(table)
    else:
        table.service_codes = ""
        table.staffed = False


def organiser_password_hash(session):
    """The stored hash of the organiser password, or None before one is set."""
    setting = session.get(Setting, PASSWORD_KEY)
    return setting.value if setting else None


def store_organiser_password_hash(session, password_hash):
    """Replace the organiser password's hash."""
    setting = session.get(Setting, PASSWORD_KEY) or Setting(key=PASSWORD_KEY)
    setting.value = password_hash
    session.add(setting)


def organiser_generation(session):
    """Grows when the organiser signs out or the password changes: older organiser sign-ins are over."""
    setting = session.get(Setting, GENERATION_KEY)
    return int(setting.value) if setting else 0


def end_organiser_sign_ins(session):
    """Make every organiser sign-in so far invalid."""
    setting = session.get(Setting, GENERATION_KEY) or Setting(key=GENERATION_KEY, value="0")
    setting.value = str(int(setting.value) + 1)
    session.add(setting)
