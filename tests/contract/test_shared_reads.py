"""The reads phones connecting together share (reads/gathered.py): the events of many tickets' tokens, and events'
versions, in one go, on the tests' real SQLite database (unknown tokens refused: tests/live/test_fuzz.py)."""

from queue_app.data import queue
from queue_app.extensions import db
from tests.support.clients import join


def test_the_events_of_more_tokens_than_one_statement_takes_are_read_and_unknown_ones_left_out(app, site):
    tokens = [join(site, bib).json()["token"] for bib in (11, 12)]
    unknown = [f"unknown-{n}" for n in range(2 * queue.IN_LIST)]
    asked = [tokens[0], *unknown, tokens[1]]  # the real ones in the first statement and in the last
    with app.app_context(), db.read() as session:
        assert queue.event_slugs_of_tickets(session, asked) == {tokens[0]: "demo", tokens[1]: "demo"}
        assert queue.event_versions(session, ["demo", "no-such-event"]) == {
            "demo": queue.event_version(session, "demo")}
