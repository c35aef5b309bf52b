"""A ticket's life: its states, which moves are allowed, and what a move does to it.

`move` and `relocate` take a ticket's state and `now` and return its new state and what happened;
the unit of work writes both down (the row and its audit line).
"""

from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from enum import StrEnum

from .errors import InvalidTransition
from .errors import ValidationError
from .words import N_
from .words import Message


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
    # A therapist may send the runner at their table to the medical tent, before or during the massage.
    Status.CALLED: frozenset({Status.IN_TREATMENT, Status.NO_SHOW, Status.WAITING, Status.SENT_TO_MEDICAL}),
    Status.IN_TREATMENT: frozenset({Status.DONE, Status.SENT_TO_MEDICAL}),
}

MAX_REQUEUES = 1
MEDICAL_REASON_MAX = 100  # with its prefix, it fits the audit log's detail (120 characters)
MAX_STEP_BACKS = 1  # a runner may let others go first once
UNDO_NO_SHOW = timedelta(minutes=5)  # a no-show can be taken back this long after, when the runner turns up


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
    on_way_at: datetime | None = None
    stepped_back: int = 0


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
        # Staff: a refusal for the tablet or the dashboard (English only for now; tests/unit/test_catalogs.py).
        raise InvalidTransition(Message(N_("A ticket that is %(status)s cannot become %(target)s."),
                                        status=describe(current), target=describe(target)))
    if current is Status.CALLED and target is Status.WAITING and requeues >= MAX_REQUEUES:
        # Staff:
        raise InvalidTransition(N_("This runner was already put back in the queue once."))
    return target


def arrival(state, detail=None):
    """A new ticket entering its queue: what the audit log records for it (`detail`: e.g. a name override)."""
    return replace(state, status=Status.WAITING), Happened(None, Status.WAITING, None, None, detail)


def move(state, target, now, table=None, front_seq=None, detail=None):
    """Move a ticket to `target` at `now`: a call takes `table`; a requeue goes before `front_seq` (lowest in use).
    `detail` is what the audit log says beside the move (why, or how)."""
    target = transition(state.status, target, state.requeues)
    if target is Status.CALLED:
        moved = replace(state, status=target, table=table, called_at=now, on_way_at=None)
    elif target is Status.IN_TREATMENT:
        moved = replace(state, status=target, started_at=now)
    elif target is Status.WAITING:
        # Put back at the very front of every queue, once: the runner was called and keeps their turn.
        moved = replace(state, status=target, table=None, called_at=None, on_way_at=None,
                        requeues=state.requeues + 1, seq=front_seq - 1)
    else:
        moved = replace(state, status=target, ended_at=now)
    return moved, Happened(state.status, target, state.service, state.seq, detail)


def medical_detail(reason):
    """The audit log's words for a runner sent to the medical tent, with the therapist's `reason` (required)."""
    reason = " ".join(reason.split()) if isinstance(reason, str) else ""
    if not reason:
        # Staff:
        raise ValidationError(N_("Say why the runner goes to the medical tent (a few words)."), field="reason")
    if len(reason) > MEDICAL_REASON_MAX:
        # Staff:
        raise ValidationError(Message(N_("Say why in at most %(most)s characters."), most=MEDICAL_REASON_MAX),
                              field="reason")
    return f"sent to medical: {reason}"


def erased_detail(detail):
    """An audit line's detail once the event is purged: what kind of move it was stays, any text typed about the
    runner goes. Every detail that carries typed text (a medical reason, a walk-in's override reason) puts it after
    a colon, the app's own words before it; details without a colon are the app's words only."""
    if detail is None or ":" not in detail:
        return detail
    return f"{detail.split(':', 1)[0]}: (erased)"


def out_of_turn_detail(ahead):
    """The audit log's words for a runner a table picked from its queue, passing `ahead` runners who came first."""
    if ahead == 0:
        return "picked from the queue (was next anyway)"
    return f"picked out of turn, ahead of {ahead}"


def relocate(state, service=None, front_seq=None, seq=None):
    """Move a waiting ticket into another service's queue at `seq` (where its arrival order puts it there,
    rules/lanes.py) and/or before `front_seq`."""
    if state.status is not Status.WAITING:
        # Staff:
        raise InvalidTransition(N_("Only a waiting ticket can be moved."))
    moved = state
    parts = []
    if service is not None and service != state.service:
        moved = replace(moved, service=service, seq=state.seq if seq is None else seq)
        parts.append(f"moved to {service}")
    if front_seq is not None:
        moved = replace(moved, seq=front_seq - 1)
        parts.append("to the front")
    return moved, Happened(state.status, state.status, state.service, state.seq, " and ".join(parts) or None)


def call_again(state, now):
    """Ring a called runner again: their grace time starts over."""
    if state.status is not Status.CALLED:
        # Staff:
        raise InvalidTransition(N_("Only a runner who is called and has not arrived can be called again."))
    return replace(state, called_at=now, on_way_at=None), Happened(state.status, state.status, state.service,
                                                                   state.seq, "called again")


def on_the_way(state, now):
    """A called runner says they are coming: the table sees it; nothing else changes."""
    if state.status is not Status.CALLED:
        raise InvalidTransition(N_("Only a runner who is called can say they are on the way."))
    if state.on_way_at is not None:
        return state, None
    return replace(state, on_way_at=now), Happened(state.status, state.status, state.service, state.seq,
                                                   "on the way")


def undo_no_show(state, now, table=None):
    """Take back a no-show within UNDO_NO_SHOW. With `table` (the free table the runner stands at), they go straight
    onto it and the massage starts: "they are here" is pressed with the runner in front of the therapist, so ringing
    their phone again or sending them to the queue would be wrong. Without, they wait again where they stood, their
    own seq (which nobody else takes while they are away, rules/lanes.py), ahead of everyone it is ahead of."""
    if state.status is not Status.NO_SHOW:
        # Staff:
        raise InvalidTransition(Message(N_("Only a no-show can be undone; this ticket is %(status)s."),
                                        status=describe(state.status)))
    if state.ended_at is None or now - state.ended_at > UNDO_NO_SHOW:
        minutes = int(UNDO_NO_SHOW.total_seconds() // 60)
        # Staff:
        raise InvalidTransition(Message(N_("A no-show can be undone for %(minutes)s minutes only. Ask the runner to "
                                           "join again."), minutes=minutes))
    if table is not None:
        moved = replace(state, status=Status.IN_TREATMENT, table=table, started_at=now, on_way_at=None, ended_at=None)
        return moved, Happened(state.status, Status.IN_TREATMENT, state.service, state.seq,
                               "no-show undone: on the table")
    moved = replace(state, status=Status.WAITING, table=None, called_at=None, on_way_at=None, ended_at=None)
    return moved, Happened(state.status, Status.WAITING, state.service, state.seq, "no-show undone")


def step_back(mine, behind, places, allowed):
    """Let the next `places` runners of my queue go first, keeping my ticket: each of them (`behind`, the runners
    after me in queue order) moves up one place, into the position of the one before, and I take the last one's.
    `allowed` is how many the service lets a runner pass (0: none). Returns [(new state, what happened)], mine
    first."""
    if mine.status is not Status.WAITING:
        raise InvalidTransition(N_("Only a runner who is waiting can let others go first."))
    if allowed == 0:
        raise InvalidTransition(N_("Letting others go first is off for this massage. Ask at the tent."))
    if not 1 <= places <= allowed:
        raise InvalidTransition(Message(N_("You can let at most %(most)s runners go first."), most=allowed))
    if len(behind) < places:
        raise InvalidTransition(N_("Nobody is behind you to let go first.") if not behind
                                else Message(N_("Only %(count)s behind you: let at most that many go first."),
                                             count=len(behind)))
    behind = behind[:places]
    if mine.stepped_back >= MAX_STEP_BACKS:
        raise InvalidTransition(N_("You have let others go first once already."))
    seqs = [mine.seq] + [other.seq for other in behind]
    moved = [(replace(mine, seq=seqs[-1], stepped_back=mine.stepped_back + 1),
              Happened(mine.status, mine.status, mine.service, mine.seq, f"let {len(behind)} go first"))]
    for other, seq in zip(behind, seqs, strict=False):
        moved.append((replace(other, seq=seq), Happened(other.status, other.status, other.service, other.seq,
                                                        "moved up: someone let them go first")))
    return moved


def reissue(state):
    """A runner's ticket moves to a new phone: nothing changes but the key, which the audit log records."""
    if state.status not in ACTIVE:
        # Staff:
        raise InvalidTransition(Message(N_("A ticket that is %(status)s has no place to move to a new phone."),
                                        status=describe(state.status)))
    return state, Happened(state.status, state.status, state.service, state.seq, "link moved to a new phone")


# A status as staff read it in a refusal ("A ticket that is in treatment cannot ..."), in their language.
STATUS_WORDS = {
    # Staff:
    Status.WAITING: N_("waiting"), Status.CALLED: N_("called"), Status.IN_TREATMENT: N_("in treatment"),
    # Staff:
    Status.DONE: N_("done"), Status.LEFT: N_("left"), Status.REMOVED: N_("removed"),
    # Staff:
    Status.SENT_TO_MEDICAL: N_("sent to medical"), Status.NO_SHOW: N_("no show"),
}


def describe(status):
    """A status as words for messages, translated with the message it is a value of."""
    return Message(STATUS_WORDS[Status(status)])


def ticket_label(prefix, number):
    """The short readable ticket number shown to people, e.g. P-042."""
    return f"{prefix}-{number:03d}"
