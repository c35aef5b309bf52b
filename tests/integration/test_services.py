"""Services and store against a real SQLite database."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from queue_app import create_app
from queue_app.actions import runner
from queue_app.actions import setup
from queue_app.actions import tables
from queue_app.data.models import Event
from queue_app.data.models import Ticket
from queue_app.data.models import TicketEvent
from queue_app.extensions import db
from queue_app.reads import accounts
from queue_app.reads import snapshots
from queue_app.rules.errors import Conflict
from queue_app.rules.errors import InvalidTransition
from queue_app.rules.errors import NotFound
from queue_app.rules.idempotency import request_key
from tests.integration.conftest import PIN
from tests.integration.conftest import T0

OK = {"unwell": False, "injury": False, "medical_condition": False}


def join(bib, service="pre", name="Runner", at=T0):
    return runner.join("demo", {"bib": str(bib), "first_name": name, "service": service, "screening": OK}, at)


def audit(ticket_number=None):
    """The audit rows of one ticket, or of all tickets, oldest first."""
    query = select(TicketEvent.from_status, TicketEvent.to_status, TicketEvent.version, TicketEvent.actor).join(
        Ticket, Ticket.id == TicketEvent.ticket_id).order_by(TicketEvent.id)
    if ticket_number:
        query = query.where(Ticket.label == ticket_number)
    with db.transaction() as session:
        return session.execute(query).all()


def test_every_change_bumps_the_version_once_and_is_logged(app):
    join(1)
    join(2)
    tables.call_next("demo", 1, T0 + timedelta(minutes=1))
    rows = audit()
    assert [(r.from_status, r.to_status, r.version) for r in rows] == [
        (None, "waiting", 1), (None, "waiting", 2), ("waiting", "called", 3)]
    assert rows[-1].actor == "table 1"
    assert snapshots.board("demo")["version"] == 3


def test_places_follow_queue_order_per_service(app):
    join(1, "pre")
    join(2, "post")
    third = join(3, "pre")["ticket"]
    assert (third["number"], third["place"]) == ("P-002", 2)
    tables.call_next("demo", 1, T0)
    _, now = snapshots.ticket(third["token"])
    assert now["place"] == 1


def test_a_table_serving_both_services_takes_turns_between_their_queues(app):
    join(1, "post")
    join(2, "post")
    join(3, "pre")
    assert tables.call_next("demo", 1, T0)["ticket"]["number"] == "P-001"  # a first call starts with the first service
    assert tables.call_next("demo", 2, T0)["ticket"]["number"] == "R-001"  # nobody else waits for pre
    tables.no_show("demo", 1, T0)
    assert tables.call_next("demo", 1, T0)["ticket"]["number"] == "R-002"  # table 1's turn moves on to post


def test_a_requeued_runner_goes_back_to_the_front_once(app):
    join(1)
    join(2)
    tables.call_next("demo", 1, T0)
    back = tables.requeue("demo", 1, T0)["ticket"]
    assert (back["status"], back["place"]) == ("waiting", 1)
    tables.call_next("demo", 1, T0)
    with pytest.raises(InvalidTransition):
        tables.requeue("demo", 1, T0)


def test_finishing_an_empty_table_is_refused_and_changes_nothing(app):
    with pytest.raises(Conflict):
        tables.finish("demo", 1, T0)
    assert snapshots.board("demo")["version"] == 0


def test_unknown_event_table_and_ticket_are_not_found(app):
    with pytest.raises(NotFound):
        tables.call_next("nope", 1, T0)
    with pytest.raises(NotFound):
        tables.call_next("demo", 99, T0)
    with pytest.raises(NotFound):
        snapshots.ticket("not-a-token")


def test_leaving_twice_answers_the_same_and_logs_once(app):
    token = join(1)["ticket"]["token"]
    assert runner.leave(token, T0)["ticket"]["status"] == "left"
    assert runner.leave(token, T0)["ticket"]["status"] == "left"
    assert [r.to_status for r in audit("P-001")] == ["waiting", "left"]


def test_a_runner_at_a_table_cannot_leave_from_the_phone(app):
    token = join(1)["ticket"]["token"]
    tables.call_next("demo", 1, T0)
    with pytest.raises(Conflict):
        runner.leave(token, T0)


def test_threads_calling_next_at_once_claim_distinct_runners(app):
    for bib in range(1, 7):
        join(bib)
    results, barrier = {}, threading.Barrier(6)

    def press(table):
        with app.app_context():
            barrier.wait()
            results[table] = tables.call_next("demo", table, T0)["ticket"]["number"]

    threads = [threading.Thread(target=press, args=(table,)) for table in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [f"P-{n:03d}" for n in range(1, 7)]


def test_the_same_idempotency_key_returns_the_first_answer_without_acting(app):
    join(1)
    join(2)
    key = request_key("k1", "tablet-1", "POST", "/api/v1/events/demo/tables/1/call-next", b"{}")
    first = tables.call_next("demo", 1, T0, idempotency_key=key)
    tables.no_show("demo", 1, T0)
    replay = tables.call_next("demo", 1, T0, idempotency_key=key)
    assert replay == first
    assert snapshots.board("demo")["services"]["pre"]["waiting"] == 1


def test_the_pin_is_hashed_and_checked(app):
    assert accounts.pin_matches("demo", PIN)
    assert not accounts.pin_matches("demo", "000000")
    assert not accounts.pin_matches("demo", None)
    with db.transaction() as session:
        stored = session.scalars(select(Event.pin_hash)).one()
    assert PIN not in stored


def test_the_app_itself_hashes_with_scrypt_whatever_the_tests_use(tmp_path):
    """The in-process tiers pass a cheaper PASSWORD_HASH_METHOD; the app's own setting, which no environment
    variable changes, stays Werkzeug's scrypt."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'own.db'}", "ASYNC_MODE": "threading",
                      "SECRET_KEY": "own", "TESTING": True})
    with app.app_context():
        setup.ensure_demo(PIN, T0)
        with db.transaction() as session:
            assert session.scalars(select(Event.pin_hash)).one().startswith("scrypt:")
        db.engine.dispose()


@pytest.mark.parametrize("pin", ["12345", "abcdef", "", "1234567890123"])
def test_short_or_non_digit_pins_are_refused(app, pin):
    with pytest.raises(Exception, match="6 to 12 digits"):
        setup.set_pin("demo", pin, T0)


def test_taking_a_table_makes_estimates_use_working_tables(app):
    for bib in range(1, 4):
        join(bib)
    nobody = snapshots.board("demo")["services"]["pre"]
    assert (nobody["tables"], nobody["per_place"]) == (0, None)  # nobody signed in yet: no table, no made-up wait
    tables.take_table("demo", 1, T0)
    summary = snapshots.board("demo")["services"]["pre"]
    assert (summary["tables"], summary["per_place"]) == (1, 10)
    _, fourth = snapshots.ticket(join(4)["ticket"]["token"])
    assert fourth["estimated_wait_minutes"] == 30  # the free table calls the first at once: three massages ahead


def test_a_table_on_a_break_stops_counting_toward_estimates(app):
    tables.take_table("demo", 1, T0)
    tables.take_table("demo", 2, T0)
    assert snapshots.board("demo")["services"]["pre"]["tables"] == 2
    tables.set_table_working("demo", 2, False, T0)
    assert snapshots.board("demo")["services"]["pre"]["tables"] == 1
    version = snapshots.board("demo")["version"]
    tables.set_table_working("demo", 2, False, T0)
    assert snapshots.board("demo")["version"] == version  # nothing changed, nothing announced
