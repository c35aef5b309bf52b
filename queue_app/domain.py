"""Queue rules: ticket states, join validation, screening and wait estimates.

Pure: no Flask, no SQL, no Socket.IO, no clock. Callers pass the time in.
"""

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


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


class DomainError(Exception):
    """A request the queue rules refuse; `code` is stable for API clients."""

    code = "refused"

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The ticket is not in a state that allows this change."""

    code = "invalid_transition"


class ValidationError(DomainError):
    """A field of a request is missing or malformed."""

    code = "invalid"


class NotFound(DomainError):
    """No such event, table or ticket."""

    code = "not_found"


class Conflict(DomainError):
    """The request is well-formed but the queue's current state refuses it (a double join, a busy table)."""

    code = "conflict"


def transition(current, target, requeues=0):
    """Return `target` if a ticket in `current` may move there, else raise InvalidTransition."""
    current, target = Status(current), Status(target)
    if target not in ALLOWED.get(current, frozenset()):
        raise InvalidTransition(f"A ticket that is {describe(current)} cannot become {describe(target)}.")
    if current is Status.CALLED and target is Status.WAITING and requeues >= MAX_REQUEUES:
        raise InvalidTransition("This runner was already put back in the queue once.")
    return target


def describe(status):
    """A status as words for messages."""
    return Status(status).value.replace("_", " ")


def ticket_label(prefix, number):
    """The short readable ticket number shown to people, e.g. P-042."""
    return f"{prefix}-{number:03d}"


@dataclass(frozen=True)
class Screening:
    """The runner's answers to the three screening questions."""

    unwell: bool
    injury: bool
    medical_condition: bool

    @property
    def needs_medical_tent(self):
        """Feeling unwell or a new injury belongs in the medical tent, not the massage queue."""
        return self.unwell or self.injury


@dataclass(frozen=True)
class JoinRequest:
    """A validated request to join a service's queue."""

    bib: str
    first_name: str
    service: str
    screening: Screening


BIB_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,10}$")
NAME_MAX = 40


def parse_join(data, service_codes):
    """Validate a join form or API body (a mapping) into a JoinRequest; raise ValidationError naming the field."""
    if not isinstance(data, dict):
        raise ValidationError("Send the join details as an object.", field=None)
    bib = _text(data.get("bib"), "bib")
    if not bib:
        raise ValidationError("Enter your bib number.", field="bib")
    if not BIB_PATTERN.match(bib):
        raise ValidationError("A bib number is up to 10 letters and digits, as printed on your bib.", field="bib")
    first_name = " ".join(_text(data.get("first_name"), "first_name").split())
    if not first_name:
        raise ValidationError("Enter your first name.", field="first_name")
    if len(first_name) > NAME_MAX:
        raise ValidationError(f"Your first name can be at most {NAME_MAX} characters.", field="first_name")
    if any(unicodedata.category(ch).startswith("C") for ch in first_name):
        raise ValidationError("Your first name contains characters that cannot be shown.", field="first_name")
    service = _text(data.get("service"), "service")
    if service not in service_codes:
        raise ValidationError("Choose a massage: pre-race or post-race.", field="service")
    screening = parse_screening(data.get("screening"))
    return JoinRequest(bib=bib.upper(), first_name=first_name, service=service, screening=screening)


def parse_screening(raw):
    """Read the three yes/no answers; each must be answered."""
    if not isinstance(raw, dict):
        raise ValidationError("Answer the three health questions.", field="screening")
    answers = {}
    for key in ("unwell", "injury", "medical_condition"):
        value = raw.get(key)
        if isinstance(value, str) and value in ("yes", "no", "true", "false"):
            value = value in ("yes", "true")
        if not isinstance(value, bool):
            raise ValidationError("Answer each health question with yes or no.", field=f"screening.{key}")
        answers[key] = value
    return Screening(**answers)


def _text(value, field):
    """A form or JSON value as stripped text; anything but a string or number is refused."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidationError("This field must be text.", field=field)
    return str(value).strip()


def minutes_per_place(minutes_per_massage, tables):
    """How many minutes each place in the queue adds to the wait, with `tables` tables working."""
    return round(minutes_per_massage / max(1, tables), 3)


def estimate_wait_minutes(place, per_place):
    """Minutes a runner at `place` (1 = next) can expect to wait; phones compute the same from the board."""
    if place <= 0:
        return 0
    return math.ceil(place * per_place)
