"""A ticket's life: its states, which moves are allowed, and what a move does to it.

`move` and `relocate` take a ticket's state and `now` and return its new state and what happened;
the unit of work writes both down (the row and its audit line).
"""

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from enum import StrEnum

from .errors import InvalidTransition


class Status(StrEnum):
    """Where a ticket is in its life."""

    WAITING = "waiting"
    CALLED = "called"
    IN_TREATMENT = "in_treatment"
    DONE = "done"
    LEFT = "left"
    REMOVED = "removed"
    SENT_TO_MEDICAL = "sent_to_medical"
    NO_SHOW = "no_show"


ACTIVE = frozenset({Status.WAITING, Status.CALLED, Status.IN_TREATMENT})
AT_TABLE = frozenset({Status.CALLED, Status.IN_TREATMENT})
TERMINAL = frozenset(Status) - ACTIVE

ALLOWED = {
    Status.WAITING: frozenset({Status.CALLED, Status.LEFT, Status.REMOVED, Status.SENT_TO_MEDICAL}),
    Status.CALLED: frozenset({Status.IN_TREATMENT, Status.NO_SHOW, Status.WAITING}),
    Status.IN_TREATMENT: frozenset({Status.DONE}),
}

MAX_REQUEUES = 1


@dataclass(frozen=True)
class TicketState:
    """What the rules need to know of a ticket: status, queue and position, table, and its times."""

    status: Status
    service: str
    seq: int
    requeues: int = 0
    table: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Happened:
    """One move of one ticket, as the audit log records it."""

    from_status: Status | None
    to_status: Status
    from_service: str | None
    from_seq: int | None
    detail: str | None = None


def transition(current, target, requeues=0):
    """Return `target` if a ticket in `current` may move there, else raise InvalidTransition."""
    current, target = Status(current), Status(target)
    if target not in ALLOWED.get(current, frozenset()):
        raise InvalidTransition(f"A ticket that is {describe(current)} cannot become {describe(target)}.")
    if current is Status.CALLED and target is Status.WAITING and requeues >= MAX_REQUEUES:
        raise InvalidTransition("This runner was already put back in the queue once.")
    return target


def arrival(state):
    """A new ticket entering its queue: what the audit log records for it."""
    return replace(state, status=Status.WAITING), Happened(None, Status.WAITING, None, None)


def move(state, target, now, table=None, front_seq=None):
    """Move a ticket to `target` at `now`: a call takes `table`; a requeue goes before `front_seq` (lowest in use)."""
    target = transition(state.status, target, state.requeues)
    if target is Status.CALLED:
        moved = replace(state, status=target, table=table, called_at=now)
    elif target is Status.IN_TREATMENT:
        moved = replace(state, status=target, started_at=now)
    elif target is Status.WAITING:
        # Put back at the very front of every queue, once: the runner was called and keeps their turn.
        moved = replace(state, status=target, table=None, called_at=None, requeues=state.requeues + 1,
                        seq=front_seq - 1)
    else:
        moved = replace(state, status=target, ended_at=now)
    return moved, Happened(state.status, target, state.service, state.seq)


def relocate(state, service=None, front_seq=None):
    """Move a waiting ticket into another service's queue (keeping its arrival order) and/or before `front_seq`."""
    if state.status is not Status.WAITING:
        raise InvalidTransition("Only a waiting ticket can be moved.")
    moved = state
    parts = []
    if service is not None and service != state.service:
        moved = replace(moved, service=service)
        parts.append(f"moved to {service}")
    if front_seq is not None:
        moved = replace(moved, seq=front_seq - 1)
        parts.append("to the front")
    return moved, Happened(state.status, state.status, state.service, state.seq, " and ".join(parts) or None)


def describe(status):
    """A status as words for messages."""
    return Status(status).value.replace("_", " ")


def ticket_label(prefix, number):
    """The short readable ticket number shown to people, e.g. P-042."""
    return f"{prefix}-{number:03d}"
