"""Stored ways to reach runners away from the open page (push subscriptions, phone numbers), and who is due one."""

from sqlalchemy import bindparam
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from ..rules.tickets import Status
from .models import RunnerAlert
from .models import Ticket

MAX_PER_TICKET = 3


def add(session, ticket, kind, address, now, close_at, p256dh=None, auth=None):
    """Keep a way to reach this ticket's runner (again the same address updates it); False if it has too many."""
    found = session.scalars(select(RunnerAlert).where(RunnerAlert.ticket_id == ticket.id, RunnerAlert.kind == kind,
                                                      RunnerAlert.address == address)).one_or_none()
    if found is None:
        count = session.scalar(select(func.count()).where(RunnerAlert.ticket_id == ticket.id))
        if count >= MAX_PER_TICKET:
            return False
        found = RunnerAlert(event_id=ticket.event_id, ticket_id=ticket.id, kind=kind, address=address,
                            close_sent=False, turn_sent=False, created_at=now)
        session.add(found)
    found.p256dh, found.auth, found.close_at = p256dh, auth, close_at
    return True


def other_tickets_texting(session, event_id, number, ticket_id):
    """How many tickets of the event, other than `ticket_id`, have texts going to `number`."""
    return session.scalar(select(func.count(func.distinct(RunnerAlert.ticket_id)))
                          .where(RunnerAlert.event_id == event_id, RunnerAlert.kind == "sms",
                                 RunnerAlert.address == number, RunnerAlert.ticket_id != ticket_id))


def of_ticket(session, ticket_id):
    """Every way to reach one ticket's runner."""
    return session.scalars(select(RunnerAlert).where(RunnerAlert.ticket_id == ticket_id)).all()


def waiting_with_close_due(session, event_id):
    """(alert, ticket) of waiting runners whose "getting close" message is still to send."""
    query = (select(RunnerAlert, Ticket).join(Ticket, Ticket.id == RunnerAlert.ticket_id)
             .where(RunnerAlert.event_id == event_id, RunnerAlert.close_sent.is_(False),
                    Ticket.status == Status.WAITING))
    return session.execute(query).all()


def retire(session, alert_id):
    """Forget one way to reach a runner that cannot be used (its push service refused it, or it is malformed)."""
    session.execute(delete(RunnerAlert).where(RunnerAlert.id == alert_id))


def erase(session, event_id):
    """Forget every way to reach the event's runners (purge)."""
    session.execute(delete(RunnerAlert).where(RunnerAlert.event_id == event_id))


def forget_ticket(session, ticket_id):
    """Forget every way to reach one ticket's runner (its link moved to a new phone: the old phone hears nothing)."""
    session.execute(delete(RunnerAlert).where(RunnerAlert.ticket_id == ticket_id))


_ANY_FOR_EVENT = select(RunnerAlert.id).where(RunnerAlert.event_id == bindparam("event_id")).limit(1)


def any_for_event(session, event_id):
    """True if any runner of the event can be reached away from the page (asked after every change: built once)."""
    return session.scalar(_ANY_FOR_EVENT, {"event_id": event_id}) is not None


def claim(session, alert_id, kind):
    """Take the right to send this alert its message of `kind` ("close" or "turn"): True for exactly one caller,
    however many background deliveries race for it (a conditional update, on SQLite and PostgreSQL alike)."""
    column = getattr(RunnerAlert, f"{kind}_sent")
    done = session.execute(update(RunnerAlert).where(RunnerAlert.id == alert_id, column.is_(False))
                           .values({column: True}))
    return done.rowcount == 1
