"""Reading an event's state as plain values: service summaries, ticket facts and snapshots."""

from . import domain
from . import live
from . import store
from .domain import NotFound
from .domain import Status
from .extensions import db
from .models import Event

UNKNOWN_TICKET = "This ticket does not exist. Scan the QR code at the tent to join."
NEXT_SHOWN = 5  # numbers shown as "next" on the board: enough for a TV, constant in size


class EventView:
    """An event's services, tables and tickets read inside one transaction."""

    def __init__(self, session, event):
        self.session = session
        self.event = event
        self.services = store.services(session, event.id)
        self.stations = store.stations(session, event.id)

    def service(self, code):
        """The event's service with this code."""
        for service in self.services:
            if service.code == code:
                return service
        raise NotFound(f"This event has no service {code!r}.")

    def station(self, number):
        """The event's table with this number."""
        for station in self.stations:
            if station.number == number:
                return station
        raise NotFound(f"There is no table {number} at this event.")

    def service_ids_of(self, station):
        """Ids of the services a table serves."""
        return [s.id for s in self.services if s.code in station.service_codes.split(",")]

    def service_of(self, ticket):
        """The service a ticket is queued for."""
        return next(s for s in self.services if s.id == ticket.service_id)

    def table_number(self, ticket):
        """The number of the table a ticket is at, or None."""
        for station in self.stations:
            if station.id == ticket.station_id:
                return station.number
        return None

    def summaries(self):
        """Per service: name, status, runners waiting, tables working and minutes each place adds."""
        counts = store.waiting_counts(self.session, self.event.id)
        result = {}
        for service in self.services:
            serving = [s for s in self.stations if service.code in s.service_codes.split(",")]
            working = [s for s in serving if s.staffed] or serving
            result[service.code] = {
                "name": service.name, "status": service.status, "minutes": service.minutes,
                "waiting": counts.get(service.id, 0), "tables": len(working),
                "per_place": domain.minutes_per_place(service.minutes, len(working)),
                "next": store.next_waiting_labels(self.session, self.event.id, service.id, NEXT_SHOWN),
            }
        return result

    def facts(self, ticket, summaries=None, place=None):
        """Everything known about a ticket now, as plain values; live.py picks what each audience sees."""
        summaries = summaries or self.summaries()
        service = self.service_of(ticket)
        if place is None:
            place = store.place_in_queue(self.session, ticket) if ticket.status == Status.WAITING else 0
        return {
            "number": ticket.label, "token": ticket.token, "service": service.code, "service_name": service.name,
            "seq": ticket.seq, "status": ticket.status, "table": self.table_number(ticket), "place": place,
            "estimated_wait_minutes": domain.estimate_wait_minutes(place, summaries[service.code]["per_place"]),
            "first_name": ticket.first_name, "bib": ticket.bib, "medical_flag": ticket.medical_flag,
            "note": ticket.note, "requeues": ticket.requeues, "version": self.event.version,
            "joined_at": _iso(ticket.created_at), "called_at": _iso(ticket.called_at),
            "started_at": _iso(ticket.started_at),
        }

    def tables(self):
        """Each table: number, services, whether someone works there."""
        return [{"number": s.number, "services": s.service_codes.split(","), "staffed": s.staffed}
                for s in self.stations]


def _iso(moment):
    """A timestamp as ISO 8601 text, or None."""
    return moment.isoformat() if moment else None


def event_view(session, slug):
    """An EventView of the event with this slug; NotFound if there is none."""
    event = store.event_by_slug(session, slug)
    if event is None:
        raise NotFound("There is no such event.")
    return EventView(session, event)


def _ticket_view(session, token):
    """The ticket a runner's token opens and a view of its event; NotFound for an unknown token."""
    found = store.ticket_by_token(session, token)
    if found is None:
        raise NotFound(UNKNOWN_TICKET)
    return found, EventView(session, session.get(Event, found.event_id))


def ticket(token):
    """A ticket's facts and its event's slug, by the runner's token; NotFound for an unknown token."""
    with db.transaction() as session:
        found, view = _ticket_view(session, token)
        return view.event.slug, view.facts(found)


def board(slug):
    """The public board of an event, as sent to a phone or TV that connects."""
    with db.transaction() as session:
        return _board(event_view(session, slug))


def ticket_with_board(token):
    """A runner's snapshot in one read: their ticket's facts and their event's board, at the same version."""
    with db.transaction() as session:
        found, view = _ticket_view(session, token)
        board_now = _board(view)
        return view.facts(found, board_now["services"]), board_now


def event_of_ticket(token):
    """The slug of the event a ticket token belongs to; NotFound for an unknown token."""
    with db.transaction() as session:
        slug = store.event_slug_of_ticket(session, token)
        if slug is None:
            raise NotFound(UNKNOWN_TICKET)
        return slug


def _board(view):
    """The board snapshot of the event a view reads."""
    summaries = view.summaries()
    serving = [view.facts(t, summaries) for t in store.tickets_at_tables(view.session, view.event.id)]
    return live.board_snapshot(view.event.version, summaries, serving, view.event.announcement)


def staff(slug):
    """Everything a signed-in tablet needs, as sent when it connects or asks after a gap."""
    with db.transaction() as session:
        view = event_view(session, slug)
        summaries = view.summaries()
        ahead = {}
        tickets = []
        # Active tickets come in queue order, so a running count per service is each waiting ticket's place.
        for ticket in store.active_tickets(session, view.event.id):
            place = 0
            if ticket.status == Status.WAITING:
                place = ahead[ticket.service_id] = ahead.get(ticket.service_id, 0) + 1
            tickets.append(view.facts(ticket, summaries, place))
        return live.staff_snapshot(view.event.version, summaries, view.tables(), tickets)


def event_page(slug):
    """An event's name and services for rendering a page."""
    with db.transaction() as session:
        view = event_view(session, slug)
        return {"slug": view.event.slug, "name": view.event.name, "services": view.summaries(),
                "tables": view.tables(), "day": view.event.day, "announcement": view.event.announcement,
                "start_list": store.start_list_size(session, view.event.id), "purged_at": view.event.purged_at,
                "settings": {s.code: _service_settings(s) for s in view.services}}


def _service_settings(service):
    """A service's editable settings, as form values."""
    return {"capacity": service.capacity, "grace_seconds": service.grace_seconds,
            "opens_at": service.opens_at.strftime("%H:%M") if service.opens_at else "",
            "closes_at": service.closes_at.strftime("%H:%M") if service.closes_at else ""}
