"""Joining a queue: the runner's form, the screening, the start-list check and whether a service takes runners."""

import re
import unicodedata
from dataclasses import dataclass

from .errors import ValidationError
from .inputs import check_text
from .words import N_
from .words import Message


class NameMismatch(ValidationError):
    """The first name is not the one the start list has for the bib; an organiser's walk-in may override it."""

    code = "name_mismatch"


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
MEDICAL_MESSAGE = N_(
    "Please go to the medical tent first, next to the finish area. "
    "A massage can wait until the medical team has seen you."
)


def parse_join(data, service_codes):
    """Validate a join form or API body into a JoinRequest; else raise ValidationError listing every bad field."""
    if not isinstance(data, dict):
        raise ValidationError(N_("Send the join details as an object."))
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


def normalise_bib(value):
    """A bib as one runner's key everywhere (join, start list, walk-in, export): no spaces around it, upper case,
    and no leading zeros on an all-digit bib, so 7, 07, 007 and " 0007 " are one runner, and e12 is E12. A space
    inside ("12 34") stays, and is refused: it may be two numbers."""
    bib = str(value).strip().upper()
    if bib.isdigit():
        bib = bib.lstrip("0") or "0"
    return bib


def valid_bib(bib):
    """True for a normalised bib that can be printed on a bib: 1 to 10 letters, digits and dashes, with at least
    one letter or digit."""
    return bool(BIB_PATTERN.match(bib)) and any(ch.isalnum() for ch in bib)


def _bib(value):
    """A bib as printed, normalised (see normalise_bib)."""
    bib = normalise_bib(_text(value, "bib"))
    if not bib:
        raise ValidationError(N_("Enter your bib number."), field="bib")
    if not valid_bib(bib):
        raise ValidationError(N_("A bib number is up to 10 letters and digits, as printed on your bib."), field="bib")
    return bib


def _first_name(value):
    """A first name with its spaces tidied, short and printable."""
    first_name = " ".join(_text(value, "first_name").split())
    if not first_name:
        raise ValidationError(N_("Enter your first name."), field="first_name")
    if len(first_name) > NAME_MAX:
        raise ValidationError(Message(N_("Your first name can be at most %(max)s characters."), max=NAME_MAX),
                              field="first_name")
    if any(unicodedata.category(ch).startswith("C") for ch in first_name):
        raise ValidationError(N_("Your first name contains characters that cannot be shown."), field="first_name")
    return first_name


def _service(value, service_codes):
    """One of the event's service codes."""
    service = _text(value, "service")
    if service not in service_codes:
        raise ValidationError(N_("Choose a massage: pre-race or post-race."), field="service")
    return service


def parse_screening(raw):
    """Read the three yes/no answers; each must be answered."""
    if not isinstance(raw, dict):
        raise ValidationError(N_("Answer the three health questions."), field="screening")
    answers, errors = {}, {}
    for key in ("unwell", "injury", "medical_condition"):
        value = raw.get(key)
        if isinstance(value, str) and value in ("yes", "no", "true", "false"):
            value = value in ("yes", "true")
        if not isinstance(value, bool):
            errors[f"screening.{key}"] = N_("Answer this question with yes or no.")
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
        raise ValidationError(N_("This field must be text."), field=field)
    return check_text(str(value), field).strip()


REACH_REFUSAL = N_("is full for today: we cannot reach you before %(time)s")
THIN_WARNING = N_("We expect to reach you just before closing.")


def reach_refusal(reach):
    """Why a runner the tent cannot reach before closing (a last_call.Reach) may not join, or None."""
    if reach is None or reach.reached:
        return None
    return Message(REACH_REFUSAL, time=reach.closes_at)


def accepting_joins(status, capacity, waiting, opens_at, closes_at, local_time, last_join_at=None):
    """None if a service takes new runners now, else the reason it does not, for the runner to read.

    `local_time` is the time of day in the event's own time zone; opening hours are read on that clock. A fixed
    last-join time (the organiser's, rules/last_call.py) closes joins from that minute on, as a closing time does."""
    if status == "closed":
        return Message(N_("is closed"))
    if status == "paused":
        return Message(N_("is paused for a moment"))
    if not within_hours(opens_at, closes_at, local_time):
        if opening_ahead(opens_at, closes_at, local_time):
            return Message(N_("opens at %(time)s"), time=f"{opens_at:%H:%M}")
        return Message(N_("closed at %(time)s"), time=f"{closes_at:%H:%M}")
    if last_join_at and not within_hours(opens_at, last_join_at, local_time):
        return Message(N_("closed at %(time)s"), time=f"{last_join_at:%H:%M}")
    if capacity is not None and waiting >= capacity:
        return Message(N_("is full right now"))
    return None


def within_hours(opens_at, closes_at, local_time):
    """True if `local_time` falls within a service's hours; either end may be missing (no limit on that side).

    A closing time before the opening time is an overnight window: 22:00 to 03:00 is open from 22:00 until
    03:00 the next morning. The opening minute is in, the closing minute is out."""
    if local_time is None:
        return True
    if opens_at and closes_at and closes_at < opens_at:
        return local_time >= opens_at or local_time < closes_at
    return not (opens_at and local_time < opens_at) and not (closes_at and local_time >= closes_at)


def opening_ahead(opens_at, closes_at, local_time):
    """True if the hours keep runners out now and the service opens later on this clock (it has not closed for
    the day): before the opening time, or anywhere between an overnight window's close and its next opening."""
    if not opens_at or within_hours(opens_at, closes_at, local_time):
        return False
    return bool(closes_at and closes_at < opens_at) or local_time < opens_at


def name_key(name):
    """A name folded for forgiving comparison: no accents, no case, letters only."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(ch for ch in decomposed if ch.isalpha()).casefold()


def check_start_list(bib, first_name, registered_first_name):
    """Refuse a bib missing from the start list, or a first name that is not the registered one."""
    if registered_first_name is None:
        raise ValidationError(Message(N_("Bib %(bib)s is not on this race's start list. Check the number on your bib."),
                                      bib=bib), field="bib")
    typed = name_key(first_name)
    candidates = {name_key(registered_first_name)}
    candidates.update(name_key(part) for part in re.split(r"[\s-]+", registered_first_name or "") if part)
    if typed not in candidates:
        raise NameMismatch(Message(N_("Bib %(bib)s is registered under another first name. Type the first name you "
                                      "registered with, or ask at the tent: the staff can add you."), bib=bib),
                           field="first_name")
