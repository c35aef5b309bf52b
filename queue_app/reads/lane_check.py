"""A service's priority lanes held against the start list: what an organiser is told when saving them."""

from ..data import queue
from ..data import records
from ..extensions import db
from ..rules import lanes


def lanes_and_start_list(slug, code):
    """The service's lanes and the start list's runners as {(category, distance): count}, None with no start
    list in force."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        text = view.service(code).lanes
        runners = records.start_list_words(session, view.event) if records.has_start_list(session, view.event) \
            else None
    return lanes.lanes_of(text or ""), runners
