"""Snapshots of an event's state for each audience: a runner's ticket, the public board, a tablet, a page."""

from ..clock import zone
from ..data import feedback
from ..data import queue
from ..data import records
from ..extensions import db
from ..live import broadcast as live
from ..rules import alarms
from ..rules import calling
from ..rules import joining
from ..rules import last_call
from ..rules import times
from ..rules.errors import NotFound
from ..rules.tickets import Status
from ..rules.words import N_
from .gathered import GatheredReads
from .ready import ready_board

UNKNOWN_TICKET = N_("This ticket does not exist. Scan the QR code at the tent to join.")


def ticket(token):
    """A ticket's facts and its event's slug, by the runner's token; NotFound for an unknown token."""
    with db.read() as session:
        found, view = queue.ticket_view(session, token, UNKNOWN_TICKET)
        return view.event.slug, view.facts(found)


def feedback_given(token):
    """True if the runner of this ticket has said how their massage was."""
    with db.read() as session:
        found = queue.ticket_by_token(session, token)
        return found is not None and feedback.of_ticket(session, found.id) is not None


def ticket_language(token):
    """The language a ticket's runner reads, or None (a ticket from before languages, or an unknown token)."""
    with db.read() as session:
        found = queue.ticket_by_token(session, token)
        return found.language if found else None


def board(slug):
    """The public board of an event, as sent to a phone or TV that connects (kept ready: reads/ready.py)."""
    with db.read() as session:
        event = queue.event_by_slug(session, slug)
        if event is None:
            raise NotFound(N_("There is no such event."))
        return ready_board(session, event).board


def ticket_with_board(token):
    """A runner's snapshot in one read: their ticket's facts and their event's board, at the same version; the
    place comes from the ready board's positions, so its cost does not grow with the queue."""
    with db.read() as session:
        found = queue.ticket_and_event(session, token)
        if found is None:
            raise NotFound(UNKNOWN_TICKET)
        ready = ready_board(session, found.Event)
        return ready.facts(found.Ticket), ready.board


def version(slug):
    """The event's current version (one indexed read): a client that has it needs no snapshot."""
    with db.read() as session:
        return queue.event_version(session, slug)


def _versions_of(slugs):
    """{slug: version} of these events, in one read."""
    with db.read() as session:
        return queue.event_versions(session, slugs)


_versions = GatheredReads(_versions_of)


def version_now(slug):
    """The event's version (None for an unknown event), read after this call began: callers that arrive together
    share one read.

    A phone back from a blip joins its rooms, then asks; every phone coming back at that moment waits for the same
    read, which starts after they all asked, so none misses a change (it hears later ones in its rooms). 5,000
    phones back at once cost a handful of reads instead of 5,000."""
    return _versions.get(slug)


def _events_of(tokens):
    """{token: its event's slug} of these ticket tokens, in one read."""
    with db.read() as session:
        return queue.event_slugs_of_tickets(session, tokens)


_events = GatheredReads(_events_of)
_events_of_tokens = {}  # a ticket never changes event: its token's event is read once per process


def event_of_ticket(token):
    """The slug of the event a ticket token belongs to; NotFound for an unknown token.

    Read once per process; on PostgreSQL shared by the phones asking together: with several processes a phone
    back from a blip may land on one that has not seen its ticket, and 2,000 such phones cost a few reads, not
    2,000."""
    slug = _events_of_tokens.get(token)
    if slug is None:
        # Shared only where a read waits anyway: on SQLite (one process) a read never yields, and waiting for
        # the others' tokens kept thousands of connects alive at once, 5 KiB more per phone (bench/README.md).
        slug = _events.get(token) if db.reads_wait else _events_of((token,)).get(token)
        if slug is None:
            raise NotFound(UNKNOWN_TICKET)
        if len(_events_of_tokens) > 200_000:
            _events_of_tokens.clear()
        _events_of_tokens[token] = slug
    return slug


def staff(slug):
    """Everything a signed-in tablet needs, as sent when it connects or asks after a gap."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        summaries = view.summaries()
        ahead = {}
        tickets = []
        # Active tickets come in queue order, so a running count per service is each waiting ticket's place.
        for ticket in queue.active_tickets(session, view.event.id):
            place = 0
            if ticket.status == Status.WAITING:
                place = ahead[ticket.service_id] = ahead.get(ticket.service_id, 0) + 1
            tickets.append(view.facts(ticket, summaries, place))
        return live.staff_snapshot(view.event.version, summaries, view.table_list(), tickets)


def table_page(slug, number, now, idle_minutes=alarms.IDLE_MINUTES, shown=5):
    """A tablet's first paint, true before its socket connects: the staff snapshot, the table (on a break or not),
    the runner at table `number` with how long they have been called or on the table, the table's alarm, the next
    `shown` it would call (rules/calling.py, as table.js does) and how many it serves are waiting."""
    snap = staff(slug)
    mine = next((t for t in snap["tables"] if t["number"] == number), None)
    served = mine["services"] if mine else []
    at_table = next((t for t in snap["tickets"] if t["table"] == number and t["status"] in ("called", "in_treatment")),
                    None)
    queues = {}
    for ticket in snap["tickets"]:  # active tickets come in queue order
        if ticket["status"] == Status.WAITING and ticket["service"] in served:
            queues.setdefault(ticket["service"], []).append(ticket)
    upcoming = [t for _code, t in calling.call_order(served, queues, mine["last_service"] if mine else None)]
    alarm = mine and alarms.table_alarm(
        {**mine, "free_since": times.from_utc_iso(mine["free_since"])},
        at_table and {**at_table, "started_at": times.from_utc_iso(at_table["started_at"])},
        snap["services"], idle_minutes, now)
    return {"snapshot": {"staff": snap}, "table": mine, "current": at_table, "clock": _clock(at_table, now),
            "alarm": alarm, "alarm_text": alarms.alarm_words(alarm), "upcoming": upcoming[:shown],
            "waiting": len(upcoming), "more": max(0, len(upcoming) - shown)}


def _clock(ticket, now):
    """Seconds a called runner has left to arrive, or a massage has run; None with nobody at the table."""
    if ticket is None:
        return None
    if ticket["status"] == Status.CALLED:
        return max(0, int((times.from_utc_iso(ticket["grace_ends_at"]) - now).total_seconds()))
    return max(0, int((now - times.from_utc_iso(ticket["started_at"])).total_seconds()))


def slip(token, now):
    """A walk-in's slip: the event's page, the ticket (with its place and wait), and the time it is printed on the
    event's clock, which the wait is counted from."""
    slug, facts = ticket(token)
    page = event_page(slug)
    return page, facts, times.local(now, zone(page["time_zone"]))


def event_page(slug):
    """An event's name and services for rendering a page."""
    with db.read() as session:
        return _page(queue.event_view(session, slug))


def _page(view):
    """The page values of the event a view reads."""
    return {"slug": view.event.slug, "name": view.event.name, "services": view.summaries(),
            "tables": view.table_list(), "day": view.event.day, "announcement": view.event.announcement,
            "texts": view.event.texts or {},
            "time_zone": view.event.time_zone, "language": view.event.language,
            "start_list": records.start_list_size(view.session, view.event), "purged_at": view.event.purged_at,
            "settings": {s.code: _service_settings(s) for s in view.services}}


def settings_page(slug, now):
    """An event's page with what its settings show on the event's clock: the time there at `now`, and when its
    personal data was erased."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        page = _page(view)
    clock = zone(view.event.time_zone)
    page.update(local_now=times.local(now, clock), purged_local=times.local(view.event.purged_at, clock))
    return page


def join_page(slug, now):
    """An event's page with what the join form needs first: why each service takes nobody at `now` (or None), how
    many take runners, and the earliest opening time still to come, on the event's clock; all from one read."""
    refusals, openings = {}, []
    with db.read() as session:
        view = queue.event_view(session, slug)
        page = _page(view)
        local_time = times.local(now, zone(view.event.time_zone)).time()
        for service in view.services:
            waiting = page["services"][service.code]["waiting"]
            refusals[service.code] = joining.accepting_joins(
                service.status, service.capacity, waiting, service.opens_at, service.closes_at, local_time,
                service.last_join_at) or joining.reach_refusal(
                last_call.reach_in(page["services"][service.code], waiting + 1, local_time))
            if service.status != "closed" and joining.opening_ahead(service.opens_at, service.closes_at, local_time):
                openings.append(service.opens_at)
    page.update(refusals=refusals, open_services=sum(r is None for r in refusals.values()),
                opens_next=min(openings).strftime("%H:%M") if openings else None)
    return page


def thin_margin(page, facts, now):
    """True if a waiting ticket is reached before its service closes with little to spare, at `now` on the event's
    clock (rules/last_call.py; static/js/ticket.js keeps saying it live)."""
    if facts["status"] != Status.WAITING:
        return False
    local_time = times.local(now, zone(page["time_zone"])).time()
    found = last_call.reach_in(page["services"][facts["service"]], facts["place"], local_time)
    return bool(found and found.thin)


def _service_settings(service):
    """A service's editable settings, as form values."""
    return {"capacity": service.capacity, "grace_seconds": service.grace_seconds,
            "step_back_places": service.step_back_places, "lanes": service.lanes,
            "opens_at": service.opens_at.strftime("%H:%M") if service.opens_at else "",
            "closes_at": service.closes_at.strftime("%H:%M") if service.closes_at else ""}
