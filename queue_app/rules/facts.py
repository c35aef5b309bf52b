"""A ticket's facts as plain values: what every audience's payload is cut from (live/broadcast.py)."""

from datetime import timedelta

from . import estimates
from . import lanes
from .tickets import UNDO_NO_SHOW
from .tickets import Status
from .times import utc_iso


def ticket_facts(ticket, service, table, version, pace, place):
    """A ticket's facts from its row, its service (code, name, grace_seconds, lanes), the number of its table,
    the event's version, its service's summary (the pace) and its place."""
    return {
        "number": ticket.label, "token": ticket.token, "service": service.code, "service_name": service.name,
        # The public order key, never the seq a lane decided (rules/order_keys.py).
        "seq": ticket.pub if ticket.pub is not None else ticket.seq,
        "status": ticket.status, "table": table, "place": place,
        "estimated_wait_minutes": estimates.estimate_wait_minutes(place, pace["per_place"], pace["free_tables"]),
        "wait_range": estimates.wait_range(place, pace["per_place_low"], pace["per_place_high"], pace["free_tables"]),
        "first_name": ticket.first_name, "bib": ticket.bib, "medical_flag": ticket.medical_flag,
        "note": ticket.note, "requeues": ticket.requeues, "stepped_back": ticket.stepped_back,
        "lane": lane_facts((ticket.category, ticket.distance), service.lanes),
        "version": version,
        "joined_at": utc_iso(ticket.created_at), "called_at": utc_iso(ticket.called_at),
        "started_at": utc_iso(ticket.started_at), "on_way_at": utc_iso(ticket.on_way_at),
        # Clients count down to these with their own clocks (phones keep network time).
        "grace_seconds": service.grace_seconds,
        "grace_ends_at": utc_iso(ticket.called_at + timedelta(seconds=service.grace_seconds))
        if ticket.status == Status.CALLED and ticket.called_at else None,
        "undo_until": utc_iso(ticket.ended_at + UNDO_NO_SHOW)
        if ticket.status == Status.NO_SHOW and ticket.ended_at else None,
    }


def lane_facts(runner, service_lanes):
    """The priority lane a runner (their category and distance) is in at a service with these lanes (stored
    text): {category: the word of theirs it names, first, every}, or None for everyone else. Only the runner and
    staff see it, never the public."""
    found = lanes.lane_of(lanes.lanes_of(service_lanes), runner)
    if found is None:
        return None
    lane, word = found
    return {"category": word, "first": lane.first, "every": lane.every}
