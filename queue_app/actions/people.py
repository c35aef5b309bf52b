"""The tent's people: the organiser's roster (added, imported, edited, removed), who works at which table, and
one tablet's sign-in ended. Each change goes through apply_change, so tablets and dashboards hear of it."""

from ..data import team
from ..data.team_models import Person
from ..data.team_models import Seat
from ..data.team_models import SignIn
from ..rules import roster
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import Message
from .change import apply_change


def _add(work, spec):
    """A new person on the roster."""
    person = Person(event_id=work.event.id, name=spec.name, registration=spec.registration, role=spec.role,
                    group_name=spec.group, language=spec.language, created_at=work.now)
    work.session.add(person)
    work.session.flush()
    return person


def _copy(person, spec):
    """Write a checked spec onto a person's row."""
    person.name, person.registration, person.role = spec.name, spec.registration, spec.role
    person.group_name, person.language = spec.group, spec.language


def add_person(slug, fields, now):
    """Add one person to the roster (name; registration, role, group, language optional)."""
    spec = roster.person(fields)

    def act(work):
        person = _add(work, spec)
        work.bump()
        return {"person": person.id}

    return apply_change(slug, now, act)


def update_person(slug, person_id, fields, now):
    """Change a person's name, registration, role, group or language."""
    spec = roster.person(fields)

    def act(work):
        _copy(_find(work, person_id), spec)
        work.bump()
        return {"person": person_id}

    return apply_change(slug, now, act)


def remove_person(slug, person_id, now):
    """Take a person off the roster; a seat they hold ends now (their tablet asks who works there), their history
    stays."""

    def act(work):
        person = _find(work, person_id)
        team.end_seats(work.session, team.seats_of_person(work.session, person.id), now)
        person.removed_at = now
        work.bump()
        return {"person": person_id, "removed": True}

    return apply_change(slug, now, act)


def import_roster(slug, lines, now):
    """Add a CSV roster's people (rules/roster.py read_roster); a person already there (the same name and
    registration) is updated, nobody is removed. A file that is no roster changes nothing."""
    problems = roster.RosterProblems()
    specs = roster.read_roster(lines, problems)
    if not specs:
        # Staff:
        raise ValidationError(N_("The roster has nobody on it that could be read."), field="file")

    def act(work):
        known = {(p.name, p.registration): p for p in team.roster(work.session, work.event.id)}
        added = updated = 0
        for spec in specs:
            found = known.get((spec.name, spec.registration))
            if found is None:
                known[(spec.name, spec.registration)] = _add(work, spec)
                added += 1
            else:
                _copy(found, spec)
                updated += 1
        work.bump()
        return {"added": added, "updated": updated, "skipped": problems.count, "problems": problems.messages}

    return apply_change(slug, now, act)


def register_sign_in(slug, key, now):
    """Record a tablet's new staff sign-in (its key is in its session cookie)."""

    def act(work):
        if team.sign_in(work.session, key) is None:
            work.session.add(SignIn(event_id=work.event.id, key=key, created_at=now))
        return {"sign_in": key}

    return apply_change(slug, now, act)


def seat_people(slug, key, number, person_ids, now):
    """The people working at table `number` from this tablet's sign-in: one or two of the roster, none at another
    table. Whoever this tablet had at a table before makes way (a shift change, a move), in the same change."""

    def act(work):
        sign_in = _open_sign_in(work, key)
        table = work.view.table(number)
        people = {p.id: p for p in team.roster(work.session, work.event.id)}
        unknown = [pid for pid in person_ids if pid not in people]
        if unknown:
            # Staff:
            raise ValidationError(N_("Someone chosen is not on the roster any more. Choose again."), field="people")
        mine = team.seats_of_sign_in(work.session, sign_in.id)
        elsewhere = {seat.person_id: (people[seat.person_id].name, number_at)
                     for seat, _person, number_at in team.current_seats(work.session, work.event.id)
                     if seat.sign_in_id != sign_in.id and seat.person_id in people}
        ids = roster.check_table_people(person_ids, elsewhere)
        # Someone else's tablet at this table gives way too: the table holds who is working there now.
        team.end_seats(work.session, mine + team.seats_at_table(work.session, table.id), now)
        for person_id in ids:
            work.session.add(Seat(event_id=work.event.id, table_id=table.id, person_id=person_id,
                                  sign_in_id=sign_in.id, since=now, break_since=now if table.on_break else None))
        work.session.flush()
        work.bump()
        return {"table": number, "people": ids}

    return apply_change(slug, now, act)


def end_sign_in(slug, sign_in_id, now):
    """The organiser ends one tablet's sign-in (a lost tablet, someone gone home): its seats end, its tables stop
    counting as worked, and it goes back to sign in; every other tablet keeps working."""

    def act(work):
        sign_in = next((s for s in team.open_sign_ins(work.session, work.event.id) if s.id == sign_in_id), None)
        if sign_in is None:
            # Staff:
            raise NotFound(N_("That sign-in has ended already."))
        seats = team.seats_of_sign_in(work.session, sign_in.id)
        tables = {seat.table_id for seat in seats}
        team.end_seats(work.session, seats, now)
        for table in work.view.tables:
            if table.id in tables and not team.seats_at_table(work.session, table.id):
                table.staffed, table.on_break = False, False
        sign_in.ended_at = now
        work.ended_sign_ins.append(sign_in.key)
        work.bump()
        return {"sign_in": sign_in_id, "ended": True}

    return apply_change(slug, now, act)


def _find(work, person_id):
    """The event's person with this id, on the roster; NotFound otherwise."""
    person = team.person(work.session, work.event.id, person_id)
    if person is None or person.removed_at is not None:
        # Staff:
        raise NotFound(Message(N_("There is no person %(id)s on this roster."), id=person_id))
    return person


def _open_sign_in(work, key):
    """This tablet's sign-in, if the organiser has not ended it."""
    sign_in = team.sign_in(work.session, key)
    if sign_in is None or sign_in.ended_at is not None:
        # Staff:
        raise ValidationError(N_("This tablet's sign-in has ended. Sign in again."), field="sign_in")
    return sign_in
