"""The tent's people as the rules see them: a roster line checked, a CSV roster read, who may sit at a table, and
how a person is named where two share a name."""

import csv
from dataclasses import dataclass

from . import languages
from .errors import ValidationError
from .setup import StartListProblems
from .setup import csv_columns
from .setup import text
from .words import N_
from .words import Message

ROLES = ("therapist", "student", "supervisor", "intake")
ROLE_WORDS = {"therapist": N_("therapist"), "student": N_("student"), "supervisor": N_("supervisor"),
              "intake": N_("intake")}
NAME_MAX = 120
FIELD_MAX = 60
ROSTER_MAX_PEOPLE = 2_000  # Berlin's finish has about 200; a file with more is not one event's roster
TABLE_PEOPLE_MAX = 2  # a student and a supervisor, a therapist and an intake helper
LONG_WITHOUT_BREAK_HOURS = 4  # a person signed in this long without a break is gently flagged
RosterProblems = StartListProblems  # a bad line is skipped and told the same way as the start list's


@dataclass(frozen=True)
class PersonSpec:
    """One person of a roster, checked."""

    name: str
    registration: str | None = None
    role: str = "therapist"
    group: str | None = None
    language: str | None = None


def person(fields):
    """A PersonSpec from a form's or a roster line's fields (name required; registration, role, group, language
    optional), or ValidationError naming the field."""
    name = text(fields.get("name"), "name", NAME_MAX, required=False)
    if not name:
        # Staff:
        raise ValidationError(N_("Give the person's name."), field="name")
    role = (text(fields.get("role"), "role", FIELD_MAX, required=False) or "therapist").lower()
    if role not in ROLES:
        # Staff:
        raise ValidationError(Message(N_("The role is one of: %(roles)s."), roles=", ".join(ROLES)), field="role")
    language = text(fields.get("language"), "language", FIELD_MAX, required=False)
    code = languages.supported(language) if language else None
    if language and code is None:
        # Staff:
        raise ValidationError(Message(N_("The language is one of: %(languages)s."),
                                      languages=", ".join(languages.LANGUAGES)), field="language")
    return PersonSpec(name, text(fields.get("registration"), "registration", FIELD_MAX, required=False) or None, role,
                      text(fields.get("group"), "group", FIELD_MAX, required=False) or None, code)


def read_roster(lines, problems):
    """The PersonSpecs of a CSV roster (columns `name`, optional `registration`, `role`, `group`, `language`; any
    case, any order). A bad line is skipped and told in `problems`; a file that is no roster (no `name` column,
    broken CSV, more than ROSTER_MAX_PEOPLE people) is refused whole, so nothing changes."""
    reader, columns = csv_columns(lines)
    if "name" not in columns:
        # Staff:
        raise ValidationError(N_("The roster needs a column named name."), field="file")
    people = []
    try:
        for record in reader:
            fields = {key: record.get(columns.get(key, ""), "") or "" for key in
                      ("name", "registration", "role", "group", "language")}
            try:
                people.append(person(fields))
            except ValidationError as error:
                problems.add(reader.line_num, error.message)
            if len(people) > ROSTER_MAX_PEOPLE:
                # Staff:
                raise ValidationError(Message(N_("A roster may have at most %(most)s people."),
                                              most=ROSTER_MAX_PEOPLE), field="file")
    except csv.Error as error:
        # Staff:
        raise ValidationError(Message(N_("Line %(line)s is not CSV (%(error)s); nothing was imported."),
                                      line=reader.line_num + 1, error=error), field="file") from None
    return people


def labels(people):
    """{id: how a person is named on screens}: the name, and where two share it, their registration or group
    (two Annas: "Anna (12345)" and "Anna (Berlin school)"), else their roster number. `people` are (id, name,
    registration, group) tuples; a purged person (no name) is "therapist 7"-like: "#7"."""
    counts = {}
    for _id, name, _registration, _group in people:
        counts[name] = counts.get(name, 0) + 1
    named = {}
    for person_id, name, registration, group in people:
        if name is None:
            named[person_id] = f"#{person_id}"
        elif counts[name] > 1:
            named[person_id] = f"{name} ({registration or group or '#' + str(person_id)})"
        else:
            named[person_id] = name
    return named


def check_table_people(person_ids, seated_elsewhere):
    """The people a tablet puts at a table: one or two, each once, none at another table (`seated_elsewhere`:
    {person id: (their name, the table they are at)})."""
    ids = list(dict.fromkeys(person_ids))
    if not 1 <= len(ids) <= TABLE_PEOPLE_MAX:
        # Staff:
        raise ValidationError(Message(N_("Choose one or two people for this table (%(count)s chosen)."),
                                      count=len(ids)), field="people")
    for person_id in ids:
        if person_id in seated_elsewhere:
            name, table = seated_elsewhere[person_id]
            # Staff:
            raise ValidationError(Message(N_("%(name)s is signed in at table %(table)s. Change who is there first, "
                                             "or ask the organiser to end that sign-in."), name=name, table=table),
                                  field="people")
    return ids
