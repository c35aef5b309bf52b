"""What an organiser may set: events, services, tables, PINs, passwords and start lists, checked as plain values."""

import csv
import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from datetime import time

from . import lanes
from . import last_call
from .errors import ValidationError
from .inputs import check_text
from .joining import normalise_bib
from .joining import valid_bib
from .words import N_
from .words import Message

PIN_PATTERN = re.compile(r"^\d{6,12}$")
PASSWORD_MIN = 10
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
SERVICE_STATUSES = ("open", "paused", "closed")
ANNOUNCEMENT_MAX = 280
DEMO_SERVICES = (("pre", "Pre-race massage", "P", 10), ("post", "Post-race massage", "R", 15))
# The numbers an organiser sets, as their refusals name them.
FIELD_NAMES = {"minutes": N_("Minutes"), "grace_seconds": N_("Grace seconds"),
               "step_back_places": N_("Step back places"), "capacity": N_("Capacity"), "number": N_("Number"),
               "surge_minutes": N_("Surge minutes")}


@dataclass(frozen=True)
class ServiceSpec:
    """A service to create: code, name, ticket prefix and expected minutes per massage."""

    code: str
    name: str
    prefix: str
    minutes: int


@dataclass(frozen=True)
class EventSpec:
    """An event to create: short name, name, day, staff PIN, services and how many tables serve them all."""

    slug: str
    name: str
    pin: str
    services: tuple
    tables: int
    day: date | None = None
    time_zone: str = "UTC"


def demo_services():
    """The usual pre- and post-race services."""
    return tuple(ServiceSpec(*spec) for spec in DEMO_SERVICES)


def check_pin_format(pin):
    """Refuse a PIN that is not 6 to 12 digits, with a message that says so."""
    if not isinstance(pin, str) or not PIN_PATTERN.match(pin):
        raise ValidationError(N_("A staff PIN must be 6 to 12 digits."), field="pin")
    return pin


def check_password_format(password):
    """Refuse an organiser password shorter than PASSWORD_MIN characters."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise ValidationError(Message(N_("The organiser password must be at least %(least)s characters."),
                                      least=PASSWORD_MIN), field="password")
    return password


def parse_event_form(form, zone_names):
    """The organiser's new-event form (name, slug, day, PIN, number of tables, time zone) as an EventSpec;
    `zone_names` are the IANA names this machine knows."""
    name = " ".join((form.get("name") or "").split())
    slug = (form.get("slug") or "").strip()
    if not name or len(name) > 120:
        raise ValidationError(N_("Give the event a name (up to 120 characters)."), field="name")
    if not SLUG_PATTERN.match(slug):
        raise ValidationError(N_("The short name is 2 to 40 lower-case letters, digits and dashes."), field="slug")
    try:
        tables = int(form.get("tables") or 0)
    except ValueError:
        tables = 0
    if not 1 <= tables <= 200:
        raise ValidationError(N_("Tables must be 1 to 200."), field="tables")
    pin = check_pin_format(form.get("pin") or "")
    zone = time_zone(form.get("time_zone"), zone_names)
    return EventSpec(slug, name, pin, demo_services(), tables, _date(form.get("day")), zone)


def time_zone(value, zone_names, field="time_zone"):
    """An IANA time-zone name (Europe/Berlin), as the tz database spells it whatever case was typed; refused with
    a message naming the field if it is empty or not one of `zone_names`."""
    name = value.strip() if isinstance(value, str) else ""
    known = {zone.casefold(): zone for zone in zone_names}
    if name.casefold() not in known:
        if name:
            raise ValidationError(Message(N_("Time zone: use a name from the tz database, such as Europe/Berlin or "
                                             "America/New_York; %(name)s is not one."), name=repr(name[:60])),
                                  field=field)
        raise ValidationError(N_("Time zone: use a name from the tz database, such as Europe/Berlin or "
                                 "America/New_York."), field=field)
    return known[name.casefold()]


def _date(value):
    """A YYYY-MM-DD date, or None when empty."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(N_("Write the date as YYYY-MM-DD."), field="day") from None


def whole(value, field, low, high):
    """A whole number within [low, high], from a form or JSON (1, "1" and 1.0 yes; 1.5, "1e3", true, Infinity no)."""
    try:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(value)
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise ValidationError(Message(N_("%(name)s must be a whole number."), name=_field_name(field)),
                              field=field) from None
    if not low <= number <= high:
        raise ValidationError(Message(N_("%(name)s must be %(low)s to %(high)s."), name=_field_name(field), low=low,
                                      high=high), field=field)
    return number


def _field_name(field):
    """A field as a refusal names it: "Grace seconds" for grace_seconds."""
    name = field.replace("_", " ").capitalize()
    return Message(FIELD_NAMES[field]) if field in FIELD_NAMES else name


def clock_time(value, field):
    """HH:MM as a time of day, or None when empty."""
    if value in (None, ""):
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(N_("Write times as HH:MM, e.g. 07:30."), field=field) from None


def check_hours(opens_at, closes_at):
    """Refuse a window that opens and closes at the same minute: it could mean never or all day. A closing time
    before the opening time is fine: the window runs overnight (rules/joining.py within_hours)."""
    if opens_at and closes_at and opens_at == closes_at:
        raise ValidationError(N_("Opening and closing times are the same. Leave one empty, or close at another time "
                                 "(before the opening time to stay open overnight)."), field="closes_at")


def text(value, field, limit, required=True):
    """Trimmed text of at most `limit` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(N_("This must be text."), field=field)
    value = " ".join(check_text(value, field).split())
    if required and not value:
        raise ValidationError(N_("This cannot be empty."), field=field)
    if len(value) > limit:
        raise ValidationError(Message(N_("At most %(most)s characters."), most=limit), field=field)
    return value


def service_settings(changes):
    """A service's changed settings (status, minutes, grace time, how many a runner may let go first, capacity,
    hours, name, priority lanes, last call: kept open past the reach, a fixed last-join time, the surge hint's wait)
    as checked values."""
    checked = {}
    if "status" in changes:
        if changes["status"] not in SERVICE_STATUSES:
            raise ValidationError(N_("Status is open, paused or closed."), field="status")
        checked["status"] = changes["status"]
    for field, low, high in (("minutes", 1, 120), ("grace_seconds", 30, 3600), ("step_back_places", 0, 10)):
        if field in changes:
            checked[field] = whole(changes[field], field, low, high)
    if "capacity" in changes:
        capacity = changes["capacity"]
        checked["capacity"] = None if capacity in (None, "") else whole(capacity, "capacity", 1, 100_000)
    for field in ("opens_at", "closes_at", "last_join_at"):
        if field in changes:
            checked[field] = clock_time(changes[field], field)
    if "keep_open" in changes:
        checked["keep_open"] = last_call.yes_or_no(changes["keep_open"], "keep_open")
    if "surge_minutes" in changes:
        surge = changes["surge_minutes"]
        checked["surge_minutes"] = None if surge in (None, "") else whole(surge, "surge_minutes", 1, 600)
    if "name" in changes:
        checked["name"] = text(changes["name"], "name", 60)
    if "lanes" in changes:
        checked["lanes"] = lanes.parse(changes["lanes"])[0]
    return checked


def table_services(service_codes, known):
    """The services a table serves, as stored: codes the event offers (`known`, in display order), at least one."""
    if isinstance(service_codes, str):
        service_codes = [c for c in service_codes.split(",") if c]
    if not isinstance(service_codes, list) or not service_codes:
        raise ValidationError(N_("Choose at least one service for the table."), field="services")
    if not all(isinstance(c, str) and c in known for c in service_codes):
        raise ValidationError(N_("Choose services this event offers."), field="services")
    return ",".join(sorted(set(service_codes), key=list(known).index))


START_LIST_FIELD_MAX = 1_000  # characters: a name or distance is short; a longer field is not a start list


@dataclass
class StartListProblems:
    """What was wrong with a start list's lines: how many, and the first messages to show ("line 7: ...")."""

    count: int = 0
    messages: list = dataclass_field(default_factory=list)
    shown: int = 20

    def add(self, line, message):
        """Count a bad line, and keep its message if fewer than `shown` are kept."""
        self.count += 1
        if len(self.messages) < self.shown:
            self.messages.append(Message(N_("line %(line)s: %(problem)s"), line=line, problem=message))


def csv_columns(lines):
    """(a DictReader over CSV `lines`, {column name as read (any case, spaces and a byte-order mark dropped): its
    header}); ValidationError if line 1 is not CSV. The start list and the roster read their files this way."""
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise ValidationError(Message(N_("Line 1 is not CSV: %(error)s."), error=error), field="file") from None
    return reader, {(name or "").strip().lower().lstrip("\ufeff"): name for name in header}


def read_start_list(lines, problems, chunk=2_000):
    """Start-list rows, `chunk` at a time, from CSV `lines` (an iterable of text lines) with at least `bib` and
    `first_name` columns (any case, any order).

    A line without a valid bib or first name, repeating a bib, or with a field over START_LIST_FIELD_MAX characters
    or a control character is skipped and told in `problems`. A file that is not a CSV start list at all (no
    such columns, a field that never ends) is refused whole.
    """
    reader, columns = csv_columns(lines)
    if "bib" not in columns or "first_name" not in columns:
        raise ValidationError(N_("The start list needs columns named bib and first_name."), field="file")
    rows, seen = [], {}
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ValidationError(Message(N_("Line %(line)s is not CSV (%(error)s); nothing was imported."),
                                          line=reader.line_num + 1, error=error), field="file") from None
        row = _start_list_row(record, columns, reader.line_num, seen, problems)
        if row:
            rows.append(row)
        if len(rows) >= chunk:
            yield rows
            rows = []
    if rows:
        yield rows


def _start_list_row(record, columns, line, seen, problems):
    """One line of the start list as a row, or None (and a problem) if it cannot be one."""
    fields = {key: (record.get(columns.get(key, ""), "") or "") for key in ("bib", "first_name", "last_name",
                                                                            "distance", "category")}
    for value in fields.values():
        try:
            check_text(value[:START_LIST_FIELD_MAX + 1])
        except ValidationError:
            problems.add(line, Message(N_("a control character or broken text")))
            return None
        if len(value) > START_LIST_FIELD_MAX:
            problems.add(line, Message(N_("a field over %(most)s characters"), most=START_LIST_FIELD_MAX))
            return None
    bib = normalise_bib(fields["bib"])
    first_name = " ".join(fields["first_name"].split())
    if not valid_bib(bib):
        problems.add(line, Message(N_("bib %(bib)s is not a bib (1 to 10 letters, digits or dashes)"),
                                   bib=repr(bib[:12])))
    elif not first_name:
        problems.add(line, Message(N_("bib %(bib)s has no first name"), bib=bib))
    elif bib in seen:
        problems.add(line, Message(N_("bib %(bib)s is already on line %(line)s"), bib=bib, line=seen[bib]))
    else:
        seen[bib] = line
        return {"bib": bib, "first_name": first_name[:80], "last_name": fields["last_name"].strip()[:80] or None,
                "distance": fields["distance"].strip()[:40] or None, "category": lanes.category(fields["category"])}
    return None
