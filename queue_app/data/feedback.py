"""What runners said of their massage, as stored, and its queries."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base


class Feedback(Base):
    """One tap after the massage: a face (1 unhappy, 2 so-so, 3 happy) and an optional comment, once per ticket.
    It rates the experience, not the therapist; the comment is personal data (exported, purged)."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(String(280))
    at: Mapped[datetime] = mapped_column(DateTime)


def of_ticket(session, ticket_id):
    """The feedback given for a ticket, or None."""
    return session.scalars(select(Feedback).where(Feedback.ticket_id == ticket_id)).one_or_none()


def of_event(session, event_id):
    """Every feedback of an event, oldest first."""
    return session.scalars(select(Feedback).where(Feedback.event_id == event_id).order_by(Feedback.at)).all()


def erase_comments(session, event_id):
    """Purge: the comments go (they may name someone); the faces stay, anonymous."""
    session.execute(update(Feedback).where(Feedback.event_id == event_id).values(comment=None))
