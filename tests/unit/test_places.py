"""The phone's place rule with plain values: how one public change moves a waiting runner's place."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules.places import place_change

MINE = {"service": "pre", "seq": 10}


def change(status, service="pre", seq=5, was=None, was_service=None, was_seq=None):
    return {"status": status, "service": service, "seq": seq, "from": was,
            "from_service": was_service or service, "from_seq": seq if was_seq is None else was_seq}


@pytest.mark.parametrize("moved, delta", [
    (change("waiting", seq=5), 1),                                      # someone new is queued ahead
    (change("waiting", seq=15), 0),                                     # a new runner joins behind
    (change("called", seq=5, was="waiting"), -1),                       # the runner ahead is called
    (change("left", seq=15, was="waiting"), 0),                         # someone behind leaves
    (change("waiting", seq=-1, was="called", was_seq=5), 1),            # a called runner put back at the front
    (change("waiting", service="post", seq=5, was="waiting", was_service="pre"), -1),  # moved to the other queue
    (change("waiting", service="pre", seq=5, was="waiting", was_service="post"), 1),   # moved into ours
    (change("waiting", seq=2, was="waiting", was_seq=12), 1),           # moved to the front past us
    (change("done", seq=3, was="in_treatment"), 0),                     # a massage ends
])
def test_a_change_moves_the_place_only_when_it_crosses_in_front(moved, delta):
    assert place_change(moved, MINE) == delta


CHANGES = st.builds(
    change, st.sampled_from(["waiting", "called", "left", "done"]), st.sampled_from(["pre", "post"]),
    st.integers(-5, 20), st.sampled_from([None, "waiting", "called"]), st.sampled_from([None, "pre", "post"]),
    st.one_of(st.none(), st.integers(-5, 20)),
)


@given(CHANGES)
def test_a_change_moves_a_place_by_at_most_one(moved):
    assert place_change(moved, MINE) in (-1, 0, 1)
