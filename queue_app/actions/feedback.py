"""A runner says how it was, once, after the massage."""

from ..data import feedback
from ..reads import snapshots
from ..rules import feedback as feedback_rules
from ..rules.errors import Conflict
from ..rules.tickets import Status
from ..rules.words import N_
from .change import apply_change
from .runner import own_ticket


def give(token, body, now):
    """Keep a done ticket's feedback (`{"rating": 1|2|3, "comment": "…"}`); a second answer, an unfinished massage
    or a purged ticket is refused with 409."""
    rating, comment = feedback_rules.answer(body)

    def act(work):
        ticket = own_ticket(work, token)
        if ticket.status != Status.DONE:
            raise Conflict(N_("You can say how it was once your massage is done."), field="rating")
        if work.event.purged_at is not None and ticket.created_at <= work.event.purged_at:
            raise Conflict(N_("This ticket's day is over and its details were erased."), field="rating")
        if feedback.of_ticket(work.session, ticket.id) is not None:
            raise Conflict(N_("Thank you: your answer for this massage is in already."), field="rating")
        work.session.add(feedback.Feedback(event_id=work.event.id, ticket_id=ticket.id, rating=rating,
                                           comment=comment, at=now))
        return {"rating": rating, "comment": comment}

    return apply_change(snapshots.event_of_ticket(token), now, act)

