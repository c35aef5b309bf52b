"""The core-loop contract tests once more, against a real server process running under ASYNC_MODE=gevent."""

import pytest

from tests.contract import test_core_loop as core_loop
from tests.support.clients import RemoteSite
from tests.support.server import next_test_needs_the_same

# The core-loop tests whose path runs through the event loop: sockets, live updates, background deltas, retries.
# The rest (a refused join body, a symptom, a bib twice) are one request's validation, the same code under any
# loop, and tests/contract runs them all in-process.
THROUGH_THE_LOOP = (
    "test_a_runner_is_called_treated_and_finished_with_live_updates_all_the_way",
    "test_a_staff_action_retried_with_the_same_key_acts_once",
    "test_a_reconnecting_phone_gets_a_fresh_snapshot_with_its_true_place",
    "test_deltas_alone_let_a_phone_keep_its_place",
    "test_the_board_and_a_phone_never_receive_names_or_bibs",
    "test_staff_sockets_and_actions_need_the_pin",
    "test_a_signed_in_tablet_sees_the_queue_change_live",
    "test_a_therapist_changing_tables_frees_the_table_they_left",
)
globals().update({name: getattr(core_loop, name) for name in THROUGH_THE_LOOP})


@pytest.fixture
def site(request, spare_servers):
    """A real `python wsgi.py` process under gevent on a free port with its own SQLite file (launched while the
    test before ran, as the server fixture does)."""
    process = spare_servers.take({"ASYNC_MODE": "gevent"}, launch_next=next_test_needs_the_same(request))
    assert "Async mode:       gevent" in process.log()
    yield RemoteSite(process.url, process.database)
    process.stop()
