"""Priority lanes (rules/lanes.py): where a joiner goes in their service's queue, and the organiser's lane text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import lanes
from queue_app.rules.errors import ValidationError


class Service:
    """One service's queue run by the lane rule alone: joins take the seq the rule gives, calls take the lowest."""

    def __init__(self, text=""):
        self.lanes = lanes.parse(text)[1]
        self.state = lanes.LaneState()
        self.counter = 0
        self.waiting = {}  # seq -> name

    def join(self, name, category=None):
        """A runner joins; answers their seq."""
        self.counter += 1
        seq, self.state = lanes.joiner_seq(self.lanes, lanes.LaneState.load(self.state.dump()), (category, None),
                                           self.counter)
        assert seq not in self.waiting
        self.waiting[seq] = name
        return seq

    def call(self):
        """The first runner of the queue is called; answers their name."""
        seq = min(self.waiting)
        self.state = lanes.after_call(self.state, seq)
        return self.waiting.pop(seq)

    def order(self):
        """The waiting runners, in queue order."""
        return [self.waiting[seq] for seq in sorted(self.waiting)]


def test_without_lanes_it_is_first_come_first_served():
    service = Service()
    for name in "abcde":
        service.join(name, "elite")
    assert service.call() == "a"
    service.join("f")
    assert service.order() == list("bcdef")


def test_a_first_lane_runner_goes_ahead_of_everyone_else_waiting_behind_earlier_first_lane_runners():
    service = Service("elite, wheelchair: first")
    for name in ("a", "b", "c"):
        service.join(name, "marathon")
    service.join("elite-1", "elite")
    service.join("d")
    service.join("chair-1", "wheelchair")
    assert service.order() == ["elite-1", "chair-1", "a", "b", "c", "d"]
    assert [service.call() for _ in range(3)] == ["elite-1", "chair-1", "a"]
    service.join("elite-2", "elite")
    assert service.order() == ["elite-2", "b", "c", "d"]


@given(st.lists(st.sampled_from(["marathon", "5k"]), min_size=30, max_size=120))
def test_while_both_lanes_wait_a_one_in_three_lane_gets_every_third_call(arrivals):
    service = Service("marathon: 1 in 3")
    for number, category in enumerate(arrivals):
        service.join((category, number), category)
    called = []
    while service.waiting:
        called.append(service.call())
    calls = [category for category, _ in called]
    # Up to the moment one lane runs dry, the marathon lane has had one call in three, give or take one.
    both = min(calls.count("marathon") * 3, calls.count("5k") * 3 // 2)
    for made in range(1, both + 1):
        assert abs(calls[:made].count("marathon") - made / 3) <= 1, calls[:made]
    # Within a lane, first come, first served.
    for lane in ("marathon", "5k"):
        numbers = [number for category, number in called if category == lane]
        assert numbers == sorted(numbers)


def test_a_lane_that_was_empty_starts_from_now_instead_of_catching_up():
    service = Service("marathon: 1 in 3")
    for number in range(40):
        service.join(f"5k-{number}", "5k")
    for _ in range(30):
        service.call()
    service.join("marathon-1", "marathon")
    place = service.order().index("marathon-1") + 1
    assert 2 <= place <= 3  # one call in three from now, not ahead of all ten who waited through the morning


def test_calls_in_queue_order_keep_each_lane_in_arrival_order():
    service = Service("elite: first\nmarathon: 1 in 2")
    arrivals = [("elite" if n % 7 == 0 else "marathon" if n % 3 else None) for n in range(60)]
    for number, category in enumerate(arrivals):
        service.join((category, number), category)
        if number % 4 == 3:
            service.call()
    for lane in ("elite", "marathon", None):
        numbers = [n for category, n in service.order() if category == lane]
        assert numbers == sorted(numbers)


def test_new_lanes_keep_runners_waiting_in_their_places_and_joiners_go_behind_them():
    service = Service("marathon: 1 in 3")
    for number in range(6):
        service.join(f"m{number}", "marathon")
    service.lanes = lanes.parse("")[1]
    service.state = lanes.restart(service.state, list(service.waiting))
    service.join("late")
    assert service.order() == [f"m{number}" for number in range(6)] + ["late"]


def test_a_runner_put_back_at_the_front_goes_ahead_of_first_lanes_too():
    service = Service("elite: first")
    service.join("a")
    service.join("elite-1", "elite")
    front = lanes.front_seq(min(service.waiting)) - 1
    assert front < min(service.waiting)
    assert lanes.front_seq(None) - 1 < lanes.joiner_seq(service.lanes, lanes.LaneState(), ("elite", None), 1)[0]


@pytest.mark.parametrize(("waiting", "arrived", "after"), [
    ([], 5, None),                                                         # an empty queue: the mover is first
    ([(100, 9), (200, 12)], 5, None),                                      # everyone there came later: first
    ([(100, 2), (200, 12)], 5, 100),                                       # after the one who came before
    ([(100, 2), (300, 3), (400, 12)], 5, 300),                             # after the last of those who came before
    ([(100, 2), (101, 8), (102, 9), (400, 12)], 5, 102),                   # no room between 100 and 102: next gap
    ([(100, 2), (200, 3)], 5, 200),                                        # all came before: last
])
def test_a_runner_moved_into_another_queue_keeps_their_arrival_order(waiting, arrived, after):
    seq = lanes.moved_in_seq(waiting, arrived)
    seqs = [s for s, _ in waiting]
    assert seq not in seqs
    ahead = [s for s in seqs if s < seq]
    assert (ahead[-1] if ahead else None) == after


@pytest.mark.parametrize(("text", "stored"), [
    ("", ""),
    ("  Elite ,Wheelchair:FIRST \n\n marathon : 1 in 3", "elite, wheelchair: first\nmarathon: 1 in 3"),
    ("half marathon: 1 in 2", "half marathon: 1 in 2"),
])
def test_the_organisers_lanes_are_stored_as_written_plainly(text, stored):
    assert lanes.parse(text)[0] == stored


@pytest.mark.parametrize(("text", "says"), [
    ("elite first", "Lane line 1: write it as"),
    ("elite: first\nmarathon: 1 in 1", "Lane line 2: a share is 1 in 2 to 1 in 10"),
    ("elite: first\nmarathon: 1 in 11", "Lane line 2: a share is 1 in 2 to 1 in 10"),
    ("elite: first\nelite: 1 in 3", "Lane line 2: name each category once"),
    (" , : first", "Lane line 1: name each category once"),
    ("a: 1 in 2\nb: 1 in 2", "The shares leave no calls for everyone else"),
    ("\n".join(f"c{n}: first" for n in range(7)), "At most 6 lanes"),
    ("x" * 601, "Lanes take at most 600 characters"),
    (["elite: first"], "Lanes must be text"),
])
def test_lanes_an_organiser_gets_wrong_are_refused_naming_the_line(text, says):
    with pytest.raises(ValidationError) as refused:
        lanes.parse(text)
    assert refused.value.field == "lanes"
    assert says in refused.value.message


def test_a_runners_lane_is_the_first_that_names_their_category_or_their_distance():
    parsed = lanes.parse("elite: first\nmarathon, elite-ish: 1 in 3")[1]
    assert lanes.lane_of(parsed, ("elite", "marathon")) == (parsed[0], "elite")
    assert lanes.lane_of(parsed, ("45-49", "marathon")) == (parsed[1], "marathon")
    assert lanes.lane_of(parsed, ("marathon", "elite")) == (parsed[0], "elite")  # the first lane wins
    assert lanes.lane_of(parsed, ("45-49", "5k")) is None
    assert lanes.lane_of(parsed, (None, None)) is None
    assert lanes.category("  Half   Marathon ") == "half marathon"
