"""The tent's people as stored: the roster, each tablet's sign-in, and who sat at which table when (the seats
give hours, and the audit log's `people` who treated whom)."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base


class Person(Base):
    """Someone on an event's roster: a therapist, a student, a supervisor or an intake helper."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    # None once purged: the person stays as "therapist 7" for anonymous counts.
    name: Mapped[str | None] = mapped_column(String(120))
    registration: Mapped[str | None] = mapped_column(String(60))  # licence or membership number
    role: Mapped[str] = mapped_column(String(12), default="therapist")
    group_name: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)  # off the roster; their history stays


class SignIn(Base):
    """One tablet's staff sign-in (its id is in the session cookie): the organiser can end it alone."""

    __tablename__ = "sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class Seat(Base):
    """A person working at a table from `since` until `until` (None: now), from one tablet's sign-in."""

    __tablename__ = "seats"
    __table_args__ = (
        # A person is at one table at a time, even if code is wrong.
        Index("one_table_per_person", "person_id", unique=True, sqlite_where=text("until IS NULL"),
              postgresql_where=text("until IS NULL")),
        Index("seats_at_table", "table_id", "until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("massage_tables.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    sign_in_id: Mapped[int | None] = mapped_column(ForeignKey("sign_ins.id"))
    since: Mapped[datetime] = mapped_column(DateTime)
    until: Mapped[datetime | None] = mapped_column(DateTime)
    break_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    break_since: Mapped[datetime | None] = mapped_column(DateTime)

