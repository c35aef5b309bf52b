"""Reads take no write lock on SQLite (issue 12, break 10): an export or a snapshot held open never stops a join."""

import threading

from queue_app.actions import runner
from queue_app.extensions import db
from queue_app.reads import snapshots
from tests.integration.conftest import T0

OK = {"unwell": False, "injury": False, "medical_condition": False}


def test_a_join_goes_through_while_a_read_is_still_open(app):
    joined = threading.Event()
    failed = []

    def join():
        with app.app_context():
            try:
                runner.join("demo", {"bib": "1", "first_name": "Ana", "service": "pre", "screening": OK}, T0)
            except Exception as error:  # the assertion below names it
                failed.append(error)
            joined.set()

    with db.read() as session:
        assert snapshots.board("demo")["services"]["pre"]["waiting"] == 0
        session.connection()  # the read's transaction is open (and, before the fix, held the write lock)
        writer = threading.Thread(target=join)
        writer.start()
        # A write lock held by this read would keep the join waiting (busy_timeout, 10 s) until the read ends.
        assert joined.wait(timeout=8), "the join waited for a read to finish"
    writer.join()
    assert failed == [] and snapshots.board("demo")["services"]["pre"]["waiting"] == 1
