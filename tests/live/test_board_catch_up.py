"""A board delta waiting to go out skips the phones that already hold all it carries (live/board_outbox.py,
`caught_up`), on a real eventlet server, where deltas are written straight to each phone's socket."""

import pytest

from tests.support.clients import RemoteSite
from tests.support.clients import join
from tests.support.server import next_test_needs_the_same

GATHER_SECONDS = 2  # long enough for three phones to connect while a delta waits, on a busy machine too


@pytest.fixture
def server(request, spare_servers):
    """A server that gathers board changes for GATHER_SECONDS before sending a delta."""
    process = spare_servers.take({"BOARD_DELTA_SECONDS": str(GATHER_SECONDS)},
                                 launch_next=next_test_needs_the_same(request))
    yield process
    process.stop()


def board_versions(listener):
    """The versions of the board deltas a listener has heard so far."""
    return [payload["version"] for name, payload in listener.heard() if name == "board"]


def test_phones_that_connect_while_a_delta_waits_hear_only_what_is_newer_than_they_hold(server):
    site = RemoteSite(server.url)
    tv = site.listen({"event": "demo"})
    start = tv.next("snapshot")["board"]["version"]
    join(server.url, 1)  # the first change after a quiet spell goes out at once
    tv.next("board", lambda board: board["version"] == start + 1)
    mine = join(server.url, 2).json()  # gathered: its delta waits
    fresh = site.listen({"ticket": mine["token"]})
    assert fresh.next("snapshot")["board"]["version"] == start + 2
    back = site.listen({"ticket": mine["token"], "version": start + 2})  # back from a blip, nothing missed
    behind = site.listen({"ticket": mine["token"], "version": start + 1})  # back from a blip, one change missed
    assert behind.next("snapshot")["board"]["version"] == start + 2
    assert start + 2 not in board_versions(tv), "the delta went before the phones connected: nothing was tested"
    delta = tv.next("board", lambda board: board["version"] == start + 2, timeout=GATHER_SECONDS + 10)
    assert [step["version"] for step in delta["steps"]] == [start + 2]
    join(server.url, 3)  # the next change reaches every one of them
    for listener in (tv, fresh, back, behind):
        listener.next("board", lambda board: board["version"] == start + 3, timeout=GATHER_SECONDS + 10)
    assert board_versions(fresh) == board_versions(back) == board_versions(behind) == [start + 3]
    assert [name for name, _ in back.heard()] == ["board"]  # no snapshot either
