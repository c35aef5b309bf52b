"""What a runner does: join a queue (or be sent to the medical tent), and leave it."""

import secrets

from ..data import queue
from ..data import records
from ..reads import snapshots
from ..rules import joining
from ..rules.errors import Conflict
from ..rules.tickets import Status
from ..rules.tickets import ticket_label
from .change import apply_change


def join(slug, data, now, local_time=None, walk_in=False):
    """Screen a runner and, unless they belong in the medical tent, queue them; `local_time` checks opening hours."""

    def act(work):
        request = joining.parse_join(data, {s.code for s in work.view.services})
        service = work.view.service(request.service)
        waiting = queue.waiting_counts(work.session, work.event.id).get(service.id, 0)
        refusal = joining.accepting_joins(service.status, service.capacity, waiting, service.opens_at,
                                          service.closes_at, local_time)
        if refusal:
            raise Conflict(f"{service.name} {refusal}: no new runners can join.", field="service")
        if records.has_start_list(work.session, work.event.id):
            joining.check_start_list(request.bib, request.first_name,
                                     records.registered_first_name(work.session, work.event.id, request.bib))
        if request.screening.needs_medical_tent:
            records.add_referral(work.session, work.event.id, service.id, now)
            return {"referred": True, "message": joining.MEDICAL_MESSAGE}
        if queue.active_ticket_for_bib(work.session, work.event.id, request.bib):
            raise Conflict(f"Bib {request.bib} is already in the queue. Open your ticket on the phone you joined with.",
                           field="bib")
        number = service.next_number
        service.next_number += 1
        return work.add(
            "organiser" if walk_in else "runner", event_id=work.event.id, service_id=service.id, number=number,
            label=ticket_label(service.prefix, number), token=secrets.token_urlsafe(24), bib=request.bib,
            first_name=request.first_name, medical_flag=request.screening.medical_condition, walk_in=walk_in,
            created_at=now,
        )

    return apply_change(slug, now, act)


def leave(token, now):
    """The runner leaves the queue; leaving twice answers with the ticket as it is."""

    def act(work):
        ticket = queue.ticket_by_token(work.session, token)
        if ticket.status == Status.WAITING:
            work.move(ticket, Status.LEFT, actor="runner")
        elif ticket.status in (Status.CALLED, Status.IN_TREATMENT):
            raise Conflict("You have already been called to a table. Please tell your therapist instead.")
        return ticket

    return apply_change(snapshots.event_of_ticket(token), now, act)

