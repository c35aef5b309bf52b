"""Who a table calls next, with plain values."""

from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules.calling import call_order
from queue_app.rules.calling import next_service


def test_a_table_of_one_service_calls_that_service_or_nobody():
    assert next_service(["pre"], {"pre", "post"}) == "pre"
    assert next_service(["pre"], {"post"}) is None


def test_a_shared_table_takes_turns_and_skips_an_empty_queue():
    assert next_service(["pre", "post"], {"pre", "post"}) == "pre"
    assert next_service(["pre", "post"], {"pre", "post"}, last="pre") == "post"
    assert next_service(["pre", "post"], {"pre", "post"}, last="post") == "pre"
    assert next_service(["pre", "post"], {"pre"}, last="pre") == "pre"
    assert next_service(["pre", "post"], set(), last="pre") is None


def test_a_pre_race_runner_behind_ten_post_race_runners_is_called_at_the_next_turn():
    queues = {"post": [f"R-{n:03d}" for n in range(1, 11)], "pre": ["P-001"]}
    order = call_order(["pre", "post"], queues, last="pre", limit=3)
    assert order == [("post", "R-001"), ("pre", "P-001"), ("post", "R-002")]


def test_a_service_the_table_no_longer_serves_does_not_count_as_its_last_turn():
    assert next_service(["post"], {"pre", "post"}, last="pre") == "post"


QUEUES = st.fixed_dictionaries({"pre": st.lists(st.integers(), max_size=6, unique=True),
                                "post": st.lists(st.integers(), max_size=6, unique=True)})


@given(QUEUES, st.sampled_from([["pre"], ["post"], ["pre", "post"], ["post", "pre"]]),
       st.sampled_from([None, "pre", "post"]))
def test_a_table_calls_each_queue_in_its_own_order_and_everyone_it_serves(queues, served, last):
    order = call_order(served, queues, last)
    for code in ("pre", "post"):
        assert [runner for c, runner in order if c == code] == (queues[code] if code in served else [])
