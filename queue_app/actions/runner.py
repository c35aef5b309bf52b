"""What a runner does: join a queue (or be sent to the medical tent), and leave it."""

import secrets

from ..clock import zone
from ..clock import zone_country
from ..data import alerts
from ..data import positions
from ..data import queue
from ..data import records
from ..extensions import db
from ..live import sms
from ..reads import snapshots
from ..rules import alerts as alert_rules
from ..rules import joining
from ..rules import lanes
from ..rules import last_call
from ..rules import phone_numbers
from ..rules import tickets
from ..rules import times
from ..rules.errors import Conflict
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.tickets import ACTIVE
from ..rules.tickets import Status
from ..rules.tickets import ticket_label
from ..rules.words import N_
from ..rules.words import Message
from .change import apply_change


def join(slug, data, now, walk_in=False, name_override=None, language=None):
    """Screen a runner and, unless they belong in the medical tent, queue them; opening hours are read on the
    event's clock at `now` (its own time zone, whatever the server's).

    `name_override` (a walk-in's reason, typed by the organiser) lets a first name that differs from the start
    list's through, and goes into the audit log. `language` is the one the runner reads (rules/languages.py).
    """

    told = {}

    def act(work):
        request = joining.parse_join(data, {s.code for s in work.view.services})
        service = work.view.service(request.service)
        waiting = positions.waiting_counts(work.session, work.event.id).get(service.id, 0)
        local_time = times.local(now, zone(work.event.time_zone)).time()
        refusal = joining.accepting_joins(service.status, service.capacity, waiting, service.opens_at,
                                          service.closes_at, local_time, service.last_join_at)
        if refusal:
            raise Conflict(Message(N_("%(service)s %(refusal)s: no new runners can join."), service=service.name,
                                   refusal=refusal), field="service")
        detail = line = None
        if records.has_start_list(work.session, work.event):
            line = records.registered(work.session, work.event, request.bib)
            try:
                joining.check_start_list(request.bib, request.first_name, line.first_name if line else None)
            except joining.NameMismatch:
                if not (walk_in and name_override):
                    raise
                detail = f"name not as registered, let in by the organiser: {name_override}"[:120]
        if request.screening.needs_medical_tent:
            records.add_referral(work.session, work.event.id, service.id, now)
            return {"referred": True, "message": joining.MEDICAL_MESSAGE}
        if queue.active_ticket_for_bib(work.session, work.event.id, request.bib):
            raise Conflict(Message(N_("Bib %(bib)s is already in the queue. Open your ticket on the phone you joined "
                                     "with."), bib=request.bib), field="bib")
        number = service.next_number
        service.next_number += 1
        ticket = work.add(
            "organiser" if walk_in else "runner", detail, event_id=work.event.id, service_id=service.id, number=number,
            label=ticket_label(service.prefix, number), token=new_token(), bib=request.bib,
            first_name=request.first_name, medical_flag=request.screening.medical_condition, walk_in=walk_in,
            created_at=now, language=language, category=lanes.category(line.category) if line else None,
            distance=lanes.category(line.distance) if line else None,
        )
        told["reach"] = _reach(work, service, ticket, local_time)
        return ticket

    result = apply_change(slug, now, act)
    reach = told.get("reach")
    if "ticket" in result and reach is not None:
        result["last_call"] = {"thin": reach.thin, "closes_at": reach.closes_at}
    return result


def _reach(work, service, ticket, local_time):
    """Whether the tent reaches a new ticket before its service closes, at the place its lane gave it (so a
    priority lane's runner may join where one at the back may not); a refusal undoes the join, and those waiting
    keep their places."""
    if not last_call.applies(service.closes_at, service.keep_open, service.last_join_at):
        return None
    work.session.flush()
    summary = work.view.summaries()[service.code]
    reach = last_call.reach(positions.place_in_queue(work.session, ticket), summary["per_place"],
                            summary["free_tables"], service.closes_at, local_time)
    refusal = joining.reach_refusal(reach)
    if refusal:
        # The join page's words for a refused service (marked in web/page_words.py REFUSALS), as the page says it.
        raise Conflict(Message("%(service)s %(refusal)s", service=service.name, refusal=refusal), field="service")
    return reach


def choose_language(token, language):
    """Keep the language a runner chose on their ticket: their pages, pushes and texts follow it."""
    with db.transaction() as session:
        ticket = queue.ticket_by_token(session, token)
        if ticket is not None:
            ticket.language = language


def leave(token, now):
    """The runner leaves the queue; leaving twice answers with the ticket as it is."""

    def act(work):
        ticket = own_ticket(work, token)
        if ticket.status == Status.WAITING:
            work.move(ticket, Status.LEFT, actor="runner")
        elif ticket.status in (Status.CALLED, Status.IN_TREATMENT):
            raise Conflict(N_("You have already been called to a table. Please tell your therapist instead."))
        return ticket

    return apply_change(snapshots.event_of_ticket(token), now, act)


def on_the_way(token, now):
    """A called runner says they are coming: the tablet shows it, and their phone stops ringing."""

    def act(work):
        ticket = own_ticket(work, token)
        work.change(ticket, tickets.on_the_way, actor="runner")
        return ticket

    return apply_change(snapshots.event_of_ticket(token), now, act)


def step_back(token, places, now):
    """A runner not ready yet lets the next `places` runners of their queue go first, keeping their ticket."""
    if isinstance(places, bool) or not isinstance(places, int) or not 1 <= places <= 10:
        raise ValidationError(N_("Say how many runners to let go first, 1 to 10."), field="places")

    def act(work):
        ticket = own_ticket(work, token)
        work.step_back(ticket, places, actor="runner")
        return ticket

    return apply_change(snapshots.event_of_ticket(token), now, act)


def reach_by_push(token, subscription, close_at, now, config):
    """Keep a phone's Web Push subscription, so "getting close" and "your turn" reach it with the page closed."""
    endpoint, p256dh, auth = alert_rules.push_subscription(subscription, config["PUSH_SERVICES"],
                                                           config["PUSH_ALLOW_HTTP"])
    return _add_alert(token, "push", lambda work, ticket: endpoint, alert_rules.close_at(close_at), now, p256dh, auth)


def reach_by_text(token, phone, close_at, now, config):
    """Keep a runner's mobile number for "getting close" and "your turn" texts, where the tent set texts up: a
    number of the allowed countries (TEXT_COUNTRIES, else the event's), no premium or special one, and on at
    most TEXT_TICKETS_PER_NUMBER tickets of the event."""
    if not sms.configured(config):
        raise Conflict(N_("Text messages are not set up at this tent. Keep this page open: it rings when called."))
    phone_numbers.e164(phone)  # its form first, before any read
    most = config["TEXT_TICKETS_PER_NUMBER"]

    def number_of(work, ticket):
        countries = config["TEXT_COUNTRIES"] or tuple(filter(None, [zone_country(work.event.time_zone)]))
        number = phone_numbers.textable(phone, countries)
        if alerts.other_tickets_texting(work.session, work.event.id, number, ticket.id) >= most:
            raise Conflict(Message(N_("This number already gets texts for %(most)s tickets. Keep this page open: "
                                      "it rings when you are called."), most=most))
        return number

    return _add_alert(token, "sms", number_of, alert_rules.close_at(close_at), now)


def _add_alert(token, kind, address_of, close_at, now, p256dh=None, auth=None):
    """One more way to reach the runner of an active ticket, at `address_of(work, ticket)`."""

    def act(work):
        ticket = own_ticket(work, token)
        if ticket.status not in ACTIVE:
            raise Conflict(N_("This ticket is no longer in the queue."))
        address = address_of(work, ticket)
        if not alerts.add(work.session, ticket, kind, address, now, close_at, p256dh, auth):
            raise Conflict(Message(N_("This ticket can be reached %(most)s ways at most."), most=alerts.MAX_PER_TICKET))
        return {kind: "on", "close_at": close_at}

    return apply_change(snapshots.event_of_ticket(token), now, act)


def reissue(slug, number, now, actor):
    """Move a runner's ticket to a new phone (theirs died): a new link, and the old one opens nothing any more."""

    def act(work):
        ticket = queue.ticket_by_label(work.session, work.event.id, str(number or "").upper())
        if ticket is None:
            # Staff: the dashboard's refusal (English only for now; tests/unit/test_catalogs.py).
            raise NotFound(Message(N_("There is no ticket %(ticket)s."), ticket=number))
        work.reissue(ticket, actor, new_token())
        # A lost or stolen phone must not keep hearing "your turn" with the new link: the runner subscribes, or
        # confirms their number, again on the new phone.
        alerts.forget_ticket(work.session, ticket.id)
        return ticket

    return apply_change(slug, now, act)


def own_ticket(work, token):
    """The ticket this token opens; NotFound for a token a new phone retired (its event is still cached)."""
    ticket = queue.ticket_by_token(work.session, token)
    if ticket is None:
        raise NotFound(snapshots.UNKNOWN_TICKET)
    return ticket


def new_token():
    """A runner's key: 32 characters of URL-safe randomness, the only way to read or change their ticket."""
    return secrets.token_urlsafe(24)
