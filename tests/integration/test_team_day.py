"""Each person's day as the Team page and the hours pages show it (reads/team.py day), on a scripted day with fixed
clocks: massages per service, hours signed in and on a break, the median massage, who was at the table in every
audit row, and the two flags (a student with no supervisor signed in, four hours at a table without a break)."""

from datetime import timedelta

from sqlalchemy import select

from queue_app.actions import people
from queue_app.actions import tables
from queue_app.data.models import Ticket
from queue_app.data.models import TicketEvent
from queue_app.extensions import db
from queue_app.reads import team
from tests.integration.conftest import T0
from tests.integration.test_services import join


def minutes(n):
    return T0 + timedelta(minutes=n)


def treat(table, start, end):
    """Table `table` calls its next runner at `start`, starts at once and finishes at `end`."""
    called = tables.call_next("demo", table, minutes(start))["ticket"]
    tables.start("demo", table, minutes(start))
    tables.finish("demo", table, minutes(end), note="calves")
    assert called is not None


def person(day, pid):
    return next(row for row in day["people"] if row["id"] == pid)


def test_a_days_figures_per_person_and_the_two_flags(app):
    anna = people.add_person("demo", {"name": "Anna", "role": "therapist"}, T0)["person"]
    sam = people.add_person("demo", {"name": "Sam", "role": "student", "group": "School"}, T0)["person"]
    vera = people.add_person("demo", {"name": "Vera", "role": "supervisor", "group": "School"}, T0)["person"]
    for key in ("tablet-1", "tablet-2"):
        people.register_sign_in("demo", key, T0)
    tables.take_table("demo", 1, T0)
    people.seat_people("demo", "tablet-1", 1, [anna, sam], T0)

    # A student at a table and no supervisor signed in anywhere: flagged, and only the student.
    early = team.day("demo", minutes(5))
    assert person(early, sam)["flags"] == ["no_supervisor"] and person(early, anna)["flags"] == []
    tables.take_table("demo", 2, minutes(10))
    people.seat_people("demo", "tablet-2", 2, [vera], minutes(10))
    assert person(team.day("demo", minutes(11)), sam)["flags"] == []

    join(1, "pre"), join(2, "post"), join(3, "post")
    treat(1, 20, 32)  # 12 minutes, pre-race
    treat(1, 40, 60)  # 20 minutes, post-race
    treat(2, 40, 47)  # Vera's, 7 minutes
    tables.set_table_working("demo", 1, False, minutes(60))  # Anna and Sam on a break for half an hour
    during = team.day("demo", minutes(75))
    assert person(during, anna)["on_break"] and person(during, anna)["break_hours"] == 0.25
    tables.set_table_working("demo", 1, True, minutes(90))

    later = team.day("demo", minutes(300))  # five hours after Anna and Sam sat down, 4 h 50 min after Vera
    for pid in (anna, sam):
        row = person(later, pid)
        assert (row["massages"], row["per_service"], row["median_minutes"]) == (2, {"pre": 1, "post": 1}, 16.0)
        assert (row["hours"], row["break_hours"], row["table"], row["on_break"]) == (5.0, 0.5, 1, False)
        assert row["flags"] == []  # they had their break
    row = person(later, vera)
    assert (row["massages"], row["per_service"], row["median_minutes"], row["hours"]) == (1, {"post": 1}, 7.0, 4.83)
    assert row["flags"] == ["long_without_break"]
    assert later["total"] == {"massages": 5, "hours": 14.83}
    assert {g["group"]: (g["people"], g["massages"]) for g in later["groups"]} == {None: (1, 2), "School": (2, 3)}

    # Every audit row of a move at a table names who was there, not only the finish.
    with db.read() as session:
        rows = session.execute(select(Ticket.id, TicketEvent.to_status, TicketEvent.people)
                               .join(Ticket, Ticket.id == TicketEvent.ticket_id)
                               .where(TicketEvent.from_status.is_not(None))).all()
    moves = {}
    for ticket, status, who in rows:
        moves.setdefault(ticket, []).append((status, sorted(int(p) for p in who.split(","))))
    assert sorted(moves.values()) == sorted(
        [[("called", sorted([anna, sam])), ("in_treatment", sorted([anna, sam])), ("done", sorted([anna, sam]))]] * 2
        + [[("called", [vera]), ("in_treatment", [vera]), ("done", [vera])]])


def test_a_person_at_a_table_four_hours_without_a_break_is_flagged_from_their_seat(app):
    ben = people.add_person("demo", {"name": "Ben", "role": "therapist"}, T0)["person"]
    people.register_sign_in("demo", "tablet", T0)
    tables.take_table("demo", 3, T0)
    people.seat_people("demo", "tablet", 3, [ben], T0)
    assert person(team.day("demo", minutes(239)), ben)["flags"] == []
    assert person(team.day("demo", minutes(241)), ben)["flags"] == ["long_without_break"]
    # Their tablet's sign-in ended (gone home): no longer at a table, no longer flagged; their hours stay.
    people.end_sign_in("demo", 1, minutes(242))
    gone = person(team.day("demo", minutes(300)), ben)
    assert (gone["flags"], gone["table"], gone["hours"]) == ([], None, 4.03)
