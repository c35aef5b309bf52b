"""The database tables, as SQLAlchemy 2 mapped classes. Queries live beside them in this package."""

from datetime import date
from datetime import datetime
from datetime import time

from sqlalchemy import JSON
from sqlalchemy import BigInteger
from sqlalchemy import Boolean
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import Time
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from .base import Base

ACTIVE_SQL = "status IN ('waiting', 'called', 'in_treatment')"
AT_TABLE_SQL = "status IN ('called', 'in_treatment')"



class Event(Base):
    """A race day. `version` grows by one with every change, in the same transaction."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    pin_hash: Mapped[str] = mapped_column(String(255))
    day: Mapped[date | None] = mapped_column(Date)
    # The IANA name of the zone the event's clock runs in (opening hours, charts, the export), e.g. Europe/Berlin.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    # The language its pages speak to a phone that asks for none of ours, and the TV board's (rules/languages.py).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    version: Mapped[int] = mapped_column(Integer, default=0)
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    announcement: Mapped[str | None] = mapped_column(String(280))
    # What runners read in other languages than the event's: {"announcement": {lang: text}, "medical_place": {…}}.
    texts: Mapped[dict | None] = mapped_column(JSON)
    # Grows when the staff PIN changes: tablets signed in under an older one are signed out.
    staff_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Which import of the start list is in force (see Runner).
    start_list_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime)


class Service(Base):
    """A kind of massage an event offers, with its own queue and ticket numbers."""

    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("event_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(80))
    names: Mapped[dict | None] = mapped_column(JSON)  # {lang: the name in that language}; `name` elsewhere
    prefix: Mapped[str] = mapped_column(String(3))
    minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="open")
    capacity: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    grace_seconds: Mapped[int] = mapped_column(Integer, default=180)
    # How many runners one may let go first ("not ready yet"), once per ticket; 0 turns it off.
    step_back_places: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    next_number: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Priority lanes as the organiser wrote them ("elite, para: first", "marathon: 1 in 3"), one a line; empty:
    # first come, first served. `turn` is where its fair queue stands: the turn of its furthest call in turn
    # (rules/lanes.py).
    lanes: Mapped[str] = mapped_column(Text, default="", server_default="")
    turn: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # Last call (rules/last_call.py): keep taking runners past what the tent can reach before `closes_at`, or take
    # none from a fixed time on (the hours rule then closes joins there); and the wait for a new runner past which
    # the dashboard says how many tables would bring it back.
    keep_open: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    last_join_at: Mapped[time | None] = mapped_column(Time)
    surge_minutes: Mapped[int | None] = mapped_column(Integer)


class Table(Base):
    """A numbered massage table and the services it serves (codes, comma-separated)."""

    __tablename__ = "massage_tables"
    __table_args__ = (UniqueConstraint("event_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    number: Mapped[int] = mapped_column(Integer)
    service_codes: Mapped[str] = mapped_column(String(200))
    # A therapist is signed in at this table (their tablet chose it).
    staffed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The therapist stepped away: the table stays theirs but counts toward no wait until they resume.
    on_break: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Since when the table has had nobody called or on it, counted from when it was last taken, resumed or freed:
    # the idle-table alarm's clock. None while a runner is at it.
    free_since: Mapped[datetime | None] = mapped_column(DateTime)
    # The service this table called from last: a table serving several takes turns (rules/calling.py).
    last_service: Mapped[str | None] = mapped_column(String(20))


class Runner(Base):
    """A line of the race's start list: who may join, and the first name to check them against.

    An import writes its lines under a new `generation`, a few thousand at a time, and then makes it the event's
    `start_list_generation` in one short change: joins never see half a list, and no transaction is long.
    """

    __tablename__ = "start_list"
    __table_args__ = (UniqueConstraint("event_id", "generation", "bib", name="uq_start_list_event_generation_bib"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    bib: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    distance: Mapped[str | None] = mapped_column(String(40))
    # Which priority lane the runner joins (rules/lanes.py): elite, wheelchair, para, a distance...
    category: Mapped[str | None] = mapped_column(String(40))


class Setting(Base):
    """An installation-wide value, such as the organiser password's hash."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Ticket(Base):
    """A runner's place in a service's queue; `seq` orders the queue, lowest first."""

    __tablename__ = "tickets"
    __table_args__ = (
        # The number a runner holds stays theirs when the organiser moves them to another queue.
        UniqueConstraint("event_id", "label", name="uq_tickets_event_label"),
        # A bib holds at most one active ticket per event, even if code elsewhere is wrong.
        Index("one_active_ticket_per_bib", "event_id", "bib", unique=True,
              sqlite_where=text(ACTIVE_SQL), postgresql_where=text(ACTIVE_SQL)),
        # A table has at most one runner called or on it: a double claim cannot be stored.
        Index("one_runner_per_table", "table_id", unique=True,
              sqlite_where=text(AT_TABLE_SQL), postgresql_where=text(AT_TABLE_SQL)),
        Index("waiting_queue", "event_id", "status", "seq"),
        Index("public_order", "service_id", "pub"),
        Index("called_since", "status", "called_at"),
        # A service's latest finished massages, which set its pace.
        Index("finished", "service_id", "status", "ended_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(12))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    bib: Mapped[str | None] = mapped_column(String(10))
    first_name: Mapped[str | None] = mapped_column(String(40))
    medical_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    walk_in: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    # The queue's order, lowest first: a turn of the service's fair queue and the event's join counter
    # (rules/lanes.py), so wider than 32 bits.
    # SQLite's INTEGER holds 64 bits already (and widening it would rebuild a table others point at).
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    # The order the public sees (rules/order_keys.py): sorts like seq among a service's waiting tickets, tells no lane.
    pub: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    # The runner's category and distance from the start list, which put them in a priority lane (rules/lanes.py);
    # personal data, purged.
    category: Mapped[str | None] = mapped_column(String(40))
    distance: Mapped[str | None] = mapped_column(String(40))
    requeues: Mapped[int] = mapped_column(Integer, default=0)
    stepped_back: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    table_id: Mapped[int | None] = mapped_column(ForeignKey("massage_tables.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    called_at: Mapped[datetime | None] = mapped_column(DateTime)
    on_way_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The language the runner reads (their phone's, or the one they chose): their pages, pushes and texts.
    language: Mapped[str | None] = mapped_column(String(8))
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The wait the runner was told when they joined (minutes: low, high, central), held against what followed.
    told_low: Mapped[int | None] = mapped_column(Integer)
    told_high: Mapped[int | None] = mapped_column(Integer)
    told_minutes: Mapped[int | None] = mapped_column(Integer)


class TicketEvent(Base):
    """One transition of one ticket: the audit log and the source of every statistic."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    table_number: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    # Who was at the table: people ids, comma-separated ("7,12"); their names come from the roster (purged there).
    people: Mapped[str | None] = mapped_column(String(60))


class Referral(Base):
    """A runner sent to the medical tent by the screening: counted, never named."""

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    at: Mapped[datetime] = mapped_column(DateTime)


class IdempotentResult(Base):
    """The answer already given to a staff request with this Idempotency-Key.

    `key` is a digest of the sign-in, method, path and the client's key, so a key means one request of one
    tablet; `request_hash` is a digest of the body, so the same key with another body is refused.
    """

    __tablename__ = "idempotent_results"
    __table_args__ = (UniqueConstraint("event_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    key: Mapped[str] = mapped_column(String(80))
    status_code: Mapped[int] = mapped_column(Integer)
    request_hash: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class RunnerAlert(Base):
    """A way to reach a runner away from the open page: a Web Push subscription or a phone number for texts.

    Personal data: kept to the ticket, shown to nobody, erased by purge. `close_at`: how many runners ahead makes
    the "getting close" message; each message kind is sent at most once per alert.
    """

    __tablename__ = "runner_alerts"
    __table_args__ = (UniqueConstraint("ticket_id", "kind", "address"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # "push" or "sms"
    address: Mapped[str] = mapped_column(String(500))  # the push endpoint URL, or the phone number (E.164)
    p256dh: Mapped[str | None] = mapped_column(String(200))
    auth: Mapped[str | None] = mapped_column(String(100))
    close_at: Mapped[int] = mapped_column(Integer, default=3)
    close_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    turn_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# The tent's people (roster, sign-ins, seats) and runners' feedback live in their own modules; importing them here
# puts their tables in Base.metadata for every user of the models (migrations, tests), with no second import to
# remember.
from .feedback import Feedback  # noqa: E402, F401
from .team_models import Person  # noqa: E402, F401
from .team_models import Seat  # noqa: E402, F401
from .team_models import SignIn  # noqa: E402, F401
