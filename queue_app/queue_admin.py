"""The organiser's actions on a running queue: walk-ins, removals, services, tables and announcements.

Each goes through services.apply_change, so it is logged, versioned, committed and then announced
like any other change.
"""

from datetime import time

from . import services
from . import store
from .domain import Conflict
from .domain import Status
from .domain import ValidationError
from .models import Station

SERVICE_STATUSES = ("open", "paused", "closed")
ANNOUNCEMENT_MAX = 280


def walk_in(slug, data, now, local_time=None):
    """Queue a runner who has no phone, as the organiser typed them in."""
    return services.join(slug, data, now, local_time, walk_in=True)


def remove(slug, number, now):
    """Take a waiting ticket out of the queue."""

    def act(batch):
        ticket = _ticket(batch, number)
        batch.move(ticket, Status.REMOVED, actor="organiser")
        return ticket

    return services.apply_change(slug, now, act)


def move(slug, number, now, service_code=None, to_front=False):
    """Move a waiting ticket into another service's queue (keeping its arrival order) and/or to the front."""

    def act(batch):
        ticket = _ticket(batch, number)
        service = batch.service(service_code) if service_code else None
        if service is not None and service.id == ticket.service_id:
            service = None
        if service is None and not to_front:
            raise ValidationError("Choose another queue or the front of the queue.", field="service")
        batch.relocate(ticket, actor="organiser", service=service, to_front=to_front)
        return ticket

    return services.apply_change(slug, now, act)


def update_service(slug, code, changes, now):
    """Change a service's status, capacity, minutes, grace time or hours; runners see it at once."""

    def act(batch):
        service = batch.service(code)
        if "status" in changes:
            if changes["status"] not in SERVICE_STATUSES:
                raise ValidationError("Status is open, paused or closed.", field="status")
            service.status = changes["status"]
        for field, low, high in (("minutes", 1, 120), ("grace_seconds", 30, 3600)):
            if field in changes:
                setattr(service, field, _whole(changes[field], field, low, high))
        if "capacity" in changes:
            capacity = changes["capacity"]
            service.capacity = None if capacity in (None, "") else _whole(capacity, "capacity", 1, 100_000)
        for field in ("opens_at", "closes_at"):
            if field in changes:
                setattr(service, field, _clock_time(changes[field], field))
        if "name" in changes:
            service.name = _text(changes["name"], "name", 60)
        batch.bump()
        return {"service": code}

    return services.apply_change(slug, now, act)


def set_announcement(slug, text, now):
    """Show a short message on every runner's phone and the board; empty text clears it."""

    def act(batch):
        batch.event.announcement = _text(text, "announcement", ANNOUNCEMENT_MAX, required=False) or None
        batch.bump()
        return {"announcement": batch.event.announcement}

    return services.apply_change(slug, now, act)


def add_table(slug, number, service_codes, now):
    """Add a table serving the given services."""

    def act(batch):
        number_ = _whole(number, "number", 1, 999)
        if any(s.number == number_ for s in batch.stations):
            raise Conflict(f"There is already a table {number_}.", field="number")
        codes = _codes(batch, service_codes)
        retired = store.station(batch.session, batch.event.id, number_)
        if retired is not None:
            retired.service_codes = codes
        else:
            batch.session.add(Station(event_id=batch.event.id, number=number_, service_codes=codes, staffed=False))
        batch.bump()
        return {"table": number_}

    return services.apply_change(slug, now, act)


def update_table(slug, number, service_codes, now):
    """Change which services a table serves."""

    def act(batch):
        station = batch.station(number)
        station.service_codes = _codes(batch, service_codes)
        batch.bump()
        return {"table": number}

    return services.apply_change(slug, now, act)


def remove_table(slug, number, now):
    """Remove a table that has nobody on it and no history."""

    def act(batch):
        station = batch.station(number)
        if store.ticket_at_station(batch.session, station.id) is not None:
            raise Conflict(f"Table {number} has a runner. Finish or mark a no-show first.")
        if store.station_has_history(batch.session, station.id):
            station.service_codes = ""
            station.staffed = False
        else:
            batch.session.delete(station)
        batch.bump()
        return {"table": number}

    return services.apply_change(slug, now, act)


def _ticket(batch, number):
    """The event's ticket with this number (e.g. P-004)."""
    ticket = store.ticket_by_label(batch.session, batch.event.id, str(number or "").upper())
    if ticket is None:
        raise ValidationError(f"There is no ticket {number}.", field="ticket")
    return ticket


def _codes(batch, service_codes):
    """Service codes as stored on a table: known codes only, at least one."""
    if isinstance(service_codes, str):
        service_codes = [c for c in service_codes.split(",") if c]
    if not isinstance(service_codes, list) or not service_codes:
        raise ValidationError("Choose at least one service for the table.", field="services")
    known = {s.code for s in batch.services}
    if not all(isinstance(c, str) and c in known for c in service_codes):
        raise ValidationError("Choose services this event offers.", field="services")
    return ",".join(sorted(set(service_codes), key=[s.code for s in batch.services].index))


def _whole(value, field, low, high):
    """A whole number within [low, high], from a form or JSON."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError(f"{field.replace('_', ' ').capitalize()} must be a whole number.", field=field) from None
    if not low <= number <= high:
        raise ValidationError(f"{field.replace('_', ' ').capitalize()} must be {low} to {high}.", field=field)
    return number


def _clock_time(value, field):
    """HH:MM as a time of day, or None when empty."""
    if value in (None, ""):
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("Write times as HH:MM, e.g. 07:30.", field=field) from None


def _text(value, field, limit, required=True):
    """Trimmed text of at most `limit` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("This must be text.", field=field)
    value = " ".join(value.split())
    if required and not value:
        raise ValidationError("This cannot be empty.", field=field)
    if len(value) > limit:
        raise ValidationError(f"At most {limit} characters.", field=field)
    return value
