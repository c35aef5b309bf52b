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

    def __init__(self, message, field=None, errors=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.errors = errors or ({field: message} if field else {})


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
    """Validate a join form or API body into a JoinRequest; else raise ValidationError listing every bad field."""
    if not isinstance(data, dict):
        raise ValidationError("Send the join details as an object.")
    errors = {}
    bib = _checked(errors, "bib", _bib, data.get("bib"))
    first_name = _checked(errors, "first_name", _first_name, data.get("first_name"))
    service = _checked(errors, "service", _service, data.get("service"), service_codes)
    screening = _checked(errors, "screening", parse_screening, data.get("screening"))
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(message, field=field, errors=errors)
    return JoinRequest(bib=bib, first_name=first_name, service=service, screening=screening)


def _checked(errors, field, parse, *args):
    """Run one field's parser, collecting its refusal in `errors` instead of stopping at the first."""
    try:
        return parse(*args)
    except ValidationError as error:
        errors.update(error.errors or {field: error.message})
        return None


def _bib(value):
    """A bib as printed: 1 to 10 letters and digits, upper-cased."""
    bib = _text(value, "bib")
    if not bib:
        raise ValidationError("Enter your bib number.", field="bib")
    if not BIB_PATTERN.match(bib):
        raise ValidationError("A bib number is up to 10 letters and digits, as printed on your bib.", field="bib")
    return bib.upper()


def _first_name(value):
    """A first name with its spaces tidied, short and printable."""
    first_name = " ".join(_text(value, "first_name").split())
    if not first_name:
        raise ValidationError("Enter your first name.", field="first_name")
    if len(first_name) > NAME_MAX:
        raise ValidationError(f"Your first name can be at most {NAME_MAX} characters.", field="first_name")
    if any(unicodedata.category(ch).startswith("C") for ch in first_name):
        raise ValidationError("Your first name contains characters that cannot be shown.", field="first_name")
    return first_name


def _service(value, service_codes):
    """One of the event's service codes."""
    service = _text(value, "service")
    if service not in service_codes:
        raise ValidationError("Choose a massage: pre-race or post-race.", field="service")
    return service


def parse_screening(raw):
    """Read the three yes/no answers; each must be answered."""
    if not isinstance(raw, dict):
        raise ValidationError("Answer the three health questions.", field="screening")
    answers, errors = {}, {}
    for key in ("unwell", "injury", "medical_condition"):
        value = raw.get(key)
        if isinstance(value, str) and value in ("yes", "no", "true", "false"):
            value = value in ("yes", "true")
        if not isinstance(value, bool):
            errors[f"screening.{key}"] = "Answer this question with yes or no."
        answers[key] = value
    if errors:
        field, message = next(iter(errors.items()))
        raise ValidationError(message, field=field, errors=errors)
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


def accepting_joins(status, capacity, waiting, opens_at, closes_at, local_time):
    """None if a service takes new runners now, else the reason it does not, for the runner to read."""
    if status == "closed":
        return "is closed"
    if status == "paused":
        return "is paused for a moment"
    if opens_at and local_time and local_time < opens_at:
        return f"opens at {opens_at:%H:%M}"
    if closes_at and local_time and local_time >= closes_at:
        return f"closed at {closes_at:%H:%M}"
    if capacity is not None and waiting >= capacity:
        return "is full right now"
    return None


def name_key(name):
    """A name folded for forgiving comparison: no accents, no case, letters only."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed if ch.isalpha()).casefold()


def check_start_list(bib, first_name, registered_first_name):
    """Refuse a bib missing from the start list, or a first name that is not the registered one."""
    if registered_first_name is None:
        raise ValidationError(f"Bib {bib} is not on this race's start list. Check the number on your bib.",
                              field="bib")
    typed = name_key(first_name)
    candidates = {name_key(registered_first_name)}
    candidates.update(name_key(part) for part in re.split(r"[\s-]+", registered_first_name or "") if part)
    if typed not in candidates:
        raise ValidationError(f"That first name does not match the registration of bib {bib}.",
                              field="first_name")


def overdue(called_at, grace_seconds, now):
    """True if a runner called at `called_at` has not arrived within the grace time."""
    return called_at is not None and (now - called_at).total_seconds() >= grace_seconds
