"""What the staffing planner reads: an arrivals file or the app's own export, and its options, checked whole
before anything is replayed. A refusal names the line of the file (or the option) and nothing is computed.

An arrivals file has the columns `seconds_from_start_gun,bib,service` (`../shared/data/arrivals.csv`): times are
whole seconds from the start gun, negative before it. The app's export (`flask --app wsgi export`, or Export CSV
on the organiser's pages) has one line per move of each ticket: a ticket's first line gives its service and
`joined_at`, the time it joined on the event's clock; hours are then read on that clock.
"""

import csv
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import NP_
from ..rules.words import Message
from ..rules.words import Plural
from .replay import Arrival
from .replay import Assumptions
from .search import MOST_TABLES
from .search import Day

ARRIVAL_COLUMNS = ("seconds_from_start_gun", "bib", "service")
EXPORT_COLUMNS = ("ticket", "service", "bib", "joined_at")  # the export has more; these are the ones read
EXPORT_TIME = "%Y-%m-%d %H:%M:%S"
# Ten times arrivals.csv: a bigger file is not one tent's day, and its replays would hold a server for minutes.
MOST_ARRIVALS = 20_000
MOST_SECONDS = 7 * 24 * 3600  # a race day, with room: further from the gun than a week is a mistake
MOST_TABLE_COUNTS = 8
LABELS = {"tables": N_("Tables"), "walk_seconds": N_("Walk-over seconds"), "clean_seconds": N_("Cleaning seconds"),
          "no_show_rate": N_("No-show rate"), "seed": N_("Seed"), "target_p90": N_("Target p90 minutes")}
DEFAULTS = {"tables": "10,20,40", "walk_seconds": "60", "clean_seconds": "60", "no_show_rate": "0.05", "seed": "1",
            "target_p90": "20"}


def read_day(lines, services):
    """The Day in `lines` (an arrivals file or the app's export, as text lines) for an event with `services`
    (codes); ValidationError naming the line for a wrong column, a bad time or an unknown service."""
    rows = csv.reader(lines)
    try:
        header = [cell.strip().lstrip("\ufeff").lower() for cell in next(rows, [])]
        if tuple(header) == ARRIVAL_COLUMNS:
            return Day(_arrivals(rows, services), clock=False)
        if set(EXPORT_COLUMNS) <= set(header):
            return clock_day(_exported(rows, header, services))
    except csv.Error as error:
        raise _line(rows.line_num, Message(N_("this is not CSV the planner can read (%(error)s)."),
                                           error=error)) from None
    shown = ", ".join(header) if any(header) else Message(N_("nothing"))
    raise _line(1, Message(N_("the columns are %(columns)s. An arrivals file has the columns %(wanted)s; the app's "
                              "export is read as it is."), columns=shown, wanted=", ".join(ARRIVAL_COLUMNS)))


def _line(number, message):
    """A refusal about one line of the arrivals file."""
    return ValidationError(Message(N_("Line %(line)s: %(problem)s"), line=number, problem=message), field="arrivals")


def _arrivals(rows, services):
    """The arrivals of an arrivals file's rows (after its header)."""
    found = []
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(ARRIVAL_COLUMNS):
            raise _line(rows.line_num, Plural(NP_("%(num)s value; each line has 3: %(columns)s.",
                                                  "%(num)s values; each line has 3: %(columns)s."), len(cells),
                                              columns=", ".join(ARRIVAL_COLUMNS)))
        seconds, bib, service = (cell.strip() for cell in cells)
        found.append(Arrival(_seconds(seconds, rows.line_num), _service(service, services, rows.line_num), bib,
                             rows.line_num))
        _not_too_many(found, rows.line_num)
    return _some(found, rows.line_num)


def _seconds(text, line):
    """Whole seconds from the start gun."""
    try:
        seconds = int(text)
    except ValueError:
        raise _line(line, Message(N_("the time %(time)s is not whole seconds from the start gun (e.g. -300 or 5400)."),
                                  time=repr(text))) from None
    if abs(seconds) > MOST_SECONDS:
        raise _line(line, Message(N_("the time %(time)s is more than a week from the start gun."), time=seconds))
    return seconds


def _service(code, services, line):
    """A service the event has."""
    if code not in services:
        raise _line(line, Message(N_("there is no service %(service)s at this event (it has %(services)s)."),
                                  service=repr(code), services=", ".join(services)))
    return code


def _exported(rows, header, services):
    """The arrivals of the app's export: the first line of each ticket, its service and the time it joined."""
    column = {name: header.index(name) for name in EXPORT_COLUMNS}
    exact = header.index("at_utc") if "at_utc" in header else None  # exports before time zones have none
    seen, joined = set(), []
    for cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise _line(rows.line_num, Plural(NP_("%(num)s value; the export's header has %(columns)s.",
                                                  "%(num)s values; the export's header has %(columns)s."), len(cells),
                                              columns=len(header)))
        ticket = cells[column["ticket"]]
        if ticket in seen:
            continue
        seen.add(ticket)
        text = cells[column["joined_at"]].strip()
        try:
            moment = datetime.strptime(text, EXPORT_TIME)
        except ValueError:
            raise _line(rows.line_num, Message(N_("joined_at %(time)s is not a date and time like 2026-05-03 "
                                                  "10:05:12."), time=repr(text))) from None
        joined.append((moment, _utc(cells[exact], rows.line_num) if exact is not None else None,
                       _service(cells[column["service"]].strip(), services, rows.line_num),
                       cells[column["bib"]].strip(), rows.line_num))
        _not_too_many(joined, rows.line_num)
    return _some(joined, rows.line_num)


def _utc(text, line):
    """A move's exact time from the export's `at_utc` (2026-05-03T08:05:12Z), as naive UTC."""
    try:
        return datetime.fromisoformat(text.strip()).astimezone(UTC).replace(tzinfo=None)
    except ValueError:
        raise _line(line, Message(N_("at_utc %(time)s is not a UTC time like 2026-05-03T08:05:12Z."),
                                  time=repr(text))) from None


def clock_day(joined):
    """The Day of runners who joined at times of the event: [(wall-clock time, UTC time or None, service, bib,
    line)], its seconds counted from midnight of the first runner's day on the event's clock. Where every UTC time
    is known the seconds follow them, so a day across a change of clocks keeps the order runners came in (the hour
    the clocks repeat is counted once more: hours after it are an hour further from midnight)."""
    first = min(joined, key=lambda runner: runner[1] or runner[0])
    midnight = datetime.combine(first[0].date(), datetime.min.time())
    exact = all(utc is not None for _, utc, *_ in joined)
    origin = first[1] - (first[0] - midnight) if exact else midnight
    return Day(tuple(Arrival(((utc if exact else moment) - origin) / timedelta(seconds=1), code, bib, line)
                     for moment, utc, code, bib, line in joined), clock=True)


def _not_too_many(found, line):
    """Refuse a file longer than any race day."""
    if len(found) > MOST_ARRIVALS:
        raise _line(line, Message(N_("more than %(most)s arrivals; plan one day at a time."),
                                  most=f"{MOST_ARRIVALS:,}"))


def _some(found, line):
    """The arrivals found, refusing a file with none."""
    if not found:
        raise _line(line, Message(N_("the file has no arrivals after its header.")))
    return tuple(found)


def parse_options(values, services):
    """The planner's options from text (a command line's or a form's): (table counts, Assumptions, target p90).

    `values` may hold tables ("10,20,40"), minutes ({code: text}, from the event when missing), walk_seconds,
    clean_seconds, no_show_rate, seed and target_p90; `services` is {code: (minutes, grace seconds)} in the event's
    order. A bad value is refused naming its option."""
    values = {**DEFAULTS, **{key: value for key, value in values.items() if value not in (None, "")}}
    minutes = {code: _number(values.get("minutes", {}).get(code) or str(length), f"minutes-{code}", 1, 120,
                             label=Message(N_("Minutes of %(service)s"), service=code))
               for code, (length, _grace) in services.items()}
    unknown = set(values.get("minutes", {})) - set(services)
    if unknown:
        raise ValidationError(Message(N_("There is no service %(service)s at this event (it has %(services)s)."),
                                      service=repr(sorted(unknown)[0]), services=", ".join(services)), field="minutes")
    assumptions = Assumptions(
        minutes=minutes, grace_seconds={code: grace for code, (_length, grace) in services.items()},
        walk_seconds=_number(values["walk_seconds"], "walk_seconds", 0, 3600),
        clean_seconds=_number(values["clean_seconds"], "clean_seconds", 0, 3600),
        no_show_rate=_number(values["no_show_rate"], "no_show_rate", 0, 0.9),
        seed=int(_number(values["seed"], "seed", 0, 2**31, whole=True)))
    return _tables(values["tables"]), assumptions, _number(values["target_p90"], "target_p90", 0, 600)


def parse_minutes(text):
    """Minutes per service as a command line gives them, "pre=10,post=15", as {code: text}."""
    minutes = {}
    for part in (text or "").split(","):
        code, equals, value = part.partition("=")
        if part.strip() and not equals:
            raise ValidationError(Message(N_("Give minutes as service=minutes, e.g. pre=10,post=15 (not %(part)s)."),
                                          part=repr(part.strip())), field="minutes")
        if part.strip():
            minutes[code.strip()] = value.strip()
    return minutes


def _tables(text):
    """Numbers of tables to replay the day with, "10,20,40": each 1 to MOST_TABLES, at most MOST_TABLE_COUNTS."""
    counts = sorted({int(_number(part, "tables", 1, MOST_TABLES, whole=True)) for part in text.split(",")})
    if len(counts) > MOST_TABLE_COUNTS:
        raise ValidationError(Message(N_("At most %(most)s numbers of tables at once."), most=MOST_TABLE_COUNTS),
                              field="tables")
    return tuple(counts)


def _number(text, name, low, high, whole=False, label=None):
    """A number from text, between `low` and `high`; refused naming the option (`name`, as the command line and the
    form call it)."""
    said = Message(N_("%(label)s (%(name)s)"), label=label or Message(LABELS[name]), name=name)
    try:
        value = int(text) if whole else float(text)
    except (TypeError, ValueError):
        refusal = (N_("%(option)s: %(text)s is not a whole number.") if whole
                   else N_("%(option)s: %(text)s is not a number."))
        raise ValidationError(Message(refusal, option=said, text=repr(text)), field=name) from None
    if not low <= value <= high:  # NaN fails both comparisons, so it is refused too
        raise ValidationError(Message(N_("%(option)s: %(text)s is not between %(low)s and %(high)s."), option=said,
                                      text=text, low=f"{low:g}", high=f"{high:g}"), field=name)
    return value
