"""The tablet's controls against a real SQLite file: a break, sending a runner to the medical tent, calling a
particular runner out of turn, and the table alarms the dashboard reads."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_app.actions import organiser
from queue_app.actions import runner
from queue_app.actions import tables
from queue_app.data.models import Ticket
from queue_app.data.models import TicketEvent
from queue_app.extensions import db
from queue_app.reads import dashboard
from queue_app.reads import snapshots
from queue_app.rules.errors import Conflict
from queue_app.rules.errors import ValidationError
from queue_app.rules.idempotency import request_key
from queue_app.rules.times import utc_iso
from tests.integration.conftest import T0

OK = {"unwell": False, "injury": False, "medical_condition": False}


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def join(bib, service="pre", when=T0):
    return runner.join("demo", {"bib": str(bib), "first_name": f"Runner {bib}", "service": service,
                                "screening": OK}, when)["ticket"]


def table(number):
    """Table `number` as the tablets see it."""
    return next(t for t in snapshots.staff("demo")["tables"] if t["number"] == number)


def log_of(number):
    """(from, to, actor, detail) of each audit line of ticket `number`, oldest first."""
    with db.transaction() as session:
        return session.execute(select(TicketEvent.from_status, TicketEvent.to_status, TicketEvent.actor,
                                      TicketEvent.detail).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                               .where(Ticket.label == number).order_by(TicketEvent.id)).all()


def test_a_break_keeps_the_table_signed_in_but_out_of_the_estimates_until_it_resumes(app):
    tables.take_table("demo", 1, T0)
    tables.take_table("demo", 2, T0)
    assert tables.set_table_working("demo", 2, False, at(1)) == {"table": 2, "working": False, "on_break": True}
    assert (table(2)["staffed"], table(2)["on_break"]) == (True, True)
    assert snapshots.board("demo")["services"]["pre"]["tables"] == 1
    tables.set_table_working("demo", 2, True, at(5))
    assert (table(2)["on_break"], table(2)["free_since"]) == (False, utc_iso(at(5)))  # the idle clock starts anew
    assert snapshots.board("demo")["services"]["pre"]["tables"] == 2


def test_a_table_on_a_break_that_calls_is_back_at_work(app):
    join(1)
    tables.take_table("demo", 1, T0)
    tables.set_table_working("demo", 1, False, T0)
    tables.call_next("demo", 1, at(1))
    assert table(1)["on_break"] is False
    assert snapshots.board("demo")["services"]["pre"]["tables"] == 1


def test_a_tables_idle_clock_runs_from_when_its_runner_leaves_it_until_its_next_call(app):
    for bib in (1, 2, 3, 4):
        join(bib)
    tables.take_table("demo", 1, T0)
    assert table(1)["free_since"] == utc_iso(T0)
    for minute, action in ((1, tables.call_next), (2, tables.start), (12, tables.finish),
                           (13, tables.call_next), (14, tables.no_show), (15, tables.call_next),
                           (16, tables.requeue), (17, tables.call_next)):
        action("demo", 1, at(minute))
        assert table(1)["free_since"] == (None if action is tables.call_next or action is tables.start
                                          else utc_iso(at(minute))), (minute, action.__name__)


@pytest.mark.parametrize("started", [False, True])
def test_the_runner_at_a_table_is_sent_to_the_medical_tent_with_the_reason_in_the_audit_log(app, started):
    ticket = join(1)
    tables.take_table("demo", 1, T0)
    tables.call_next("demo", 1, at(1))
    if started:
        tables.start("demo", 1, at(2))
    sent = tables.send_to_medical("demo", 1, at(3), reason="Dizzy and pale", expected="P-001")["ticket"]
    assert (sent["number"], sent["status"]) == ("P-001", "sent_to_medical")
    assert log_of("P-001")[-1] == ("in_treatment" if started else "called", "sent_to_medical", "table 1",
                                   "sent to medical: Dizzy and pale")
    assert snapshots.ticket(ticket["token"])[1]["status"] == "sent_to_medical"  # the runner's phone is told
    assert table(1)["free_since"] == utc_iso(at(3))
    numbers = dashboard.now_numbers("demo", at(4))
    assert numbers["stats"]["referrals"] == 1 and numbers["services"]["pre"]["referrals"] == 1


def test_sending_to_medical_is_refused_without_a_reason_or_for_a_runner_the_tablet_did_not_show(app):
    join(1)
    tables.call_next("demo", 1, T0)
    version = snapshots.version("demo")
    with pytest.raises(ValidationError, match="Say why"):
        tables.send_to_medical("demo", 1, at(1), reason="  ")
    with pytest.raises(Conflict, match="P-001, not P-009"):
        tables.send_to_medical("demo", 1, at(1), reason="cramp", expected="P-009")
    with pytest.raises(Conflict, match="nobody called"):
        tables.send_to_medical("demo", 2, at(1), reason="cramp")
    assert snapshots.version("demo") == version


def test_a_table_calls_a_particular_runner_out_of_turn_and_only_those_behind_them_move_up(app):
    tokens = [join(bib)["token"] for bib in (1, 2, 3, 4)]
    called = tables.call_runner("demo", 2, at(1), expected="p-003")["ticket"]
    assert (called["number"], called["status"], called["table"]) == ("P-003", "called", 2)
    places = [snapshots.ticket(token)[1]["place"] for token in tokens]
    assert places == [1, 2, 0, 3]
    assert log_of("P-003")[-1] == ("waiting", "called", "table 2", "picked out of turn, ahead of 2")
    assert table(2)["last_service"] == "pre"  # its turn goes on from the service it called
    assert tables.call_next("demo", 1, at(2))["ticket"]["number"] == "P-001"


def test_calling_a_particular_runner_keeps_one_runner_per_table_and_one_table_per_runner(app):
    join(1)
    join(2)
    join(3, "post")
    tables.call_runner("demo", 1, T0, expected="P-002")
    version = snapshots.version("demo")
    with pytest.raises(Conflict, match="already has P-002"):
        tables.call_runner("demo", 1, at(1), expected="P-001")
    with pytest.raises(Conflict, match="P-002 is called now"):
        tables.call_runner("demo", 2, at(1), expected="P-002")
    with pytest.raises(Conflict, match="P-404 is not in the queue"):
        tables.call_runner("demo", 2, at(1), expected="P-404")
    with pytest.raises(ValidationError, match="Say which runner"):
        tables.call_runner("demo", 2, at(1))
    assert snapshots.version("demo") == version
    organiser.update_table("demo", 2, ["pre"], at(1))
    version = snapshots.version("demo")
    with pytest.raises(Conflict, match="does not take Post-race"):
        tables.call_runner("demo", 2, at(1), expected="R-001")
    assert snapshots.version("demo") == version


def test_a_particular_call_with_an_idempotency_key_acts_once(app):
    join(1)
    join(2)
    key = request_key("k-1", "tablet", "POST", "/api/v1/events/demo/tables/1/call-runner", b'{"ticket":"P-002"}')
    first = tables.call_runner("demo", 1, T0, expected="P-002", idempotency_key=key)
    again = tables.call_runner("demo", 1, at(1), expected="P-002", idempotency_key=key)
    assert first == again
    assert [row.to_status for row in log_of("P-002")] == ["waiting", "called"]


def test_the_dashboard_raises_an_idle_alarm_after_the_set_time_and_clears_it_when_the_table_calls(app):
    tables.take_table("demo", 1, T0)
    assert dashboard.now_numbers("demo", at(10), 3)["tables"][0]["alarm"] is None  # nobody waiting
    join(1, when=at(10))
    rows = dashboard.now_numbers("demo", at(10), 3)["tables"]
    assert rows[0]["alarm"] == {"kind": "idle", "minutes": 10, "waiting": 1}
    assert rows[1]["alarm"] is None  # nobody signed in at table 2
    tables.call_next("demo", 1, at(11))
    assert dashboard.now_numbers("demo", at(11), 3)["tables"][0]["alarm"] is None


def test_the_dashboard_raises_an_alarm_for_a_massage_past_twice_its_length(app):
    join(1)
    tables.take_table("demo", 1, T0)
    tables.call_next("demo", 1, T0)
    tables.start("demo", 1, at(1))
    assert dashboard.now_numbers("demo", at(21), 3)["tables"][0]["alarm"] is None
    assert dashboard.now_numbers("demo", at(21.5), 3)["tables"][0]["alarm"] == {"kind": "long", "minutes": 20,
                                                                                  "limit": 20}
