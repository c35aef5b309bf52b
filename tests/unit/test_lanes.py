"""Priority lanes (rules/lanes.py): where a joiner goes in their service's queue, and the organiser's lane text."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import lanes
from queue_app.rules.errors import Conflict
from queue_app.rules.errors import ValidationError


class Service:
    """One service's queue run by the lane rule alone: joins take the seq the rule gives, calls in turn take the
    lowest, and every seq given stays taken (a runner marked a no-show may come back with theirs)."""

    def __init__(self, text=""):
        self.lanes = lanes.parse(text)[1]
        self.turn = 0
        self.counter = 0
        self.waiting = {}  # seq -> (name, category)
        self.taken = set()

    def join(self, name, category=None):
        """A runner joins; answers their seq."""
        self.counter += 1
        last = lanes.lanes_waiting(self.lanes, [(seq, cat, None) for seq, (_, cat) in self.waiting.items()])
        seq = lanes.joiner_seq(self.lanes, self.turn, last, (category, None), self.counter)
        assert seq not in self.taken
        self.waiting[seq] = (name, category)
        self.taken.add(seq)
        return seq

    def call(self):
        """The first runner of the queue is called (in turn); answers their name."""
        seq = min(self.waiting)
        self.turn = lanes.after_call(self.turn, seq)
        return self.waiting.pop(seq)[0]

    def take(self, name):
        """A runner leaves, or is called out of turn: the queue's turn does not move."""
        seq = next(seq for seq, (who, _) in self.waiting.items() if who == name)
        return self.waiting.pop(seq)[0]

    def order(self):
        """The waiting runners, in queue order."""
        return [self.waiting[seq][0] for seq in sorted(self.waiting)]


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
    service.join("late")
    assert service.order() == [f"m{number}" for number in range(6)] + ["late"]


def test_runners_who_waited_before_their_lane_went_first_are_not_overtaken_by_later_joiners():
    service = Service("marathon: 1 in 3")
    for number in range(8):
        service.join(f"r{number}")
    service.join("elite-early", "elite")
    service.lanes = lanes.parse("elite: first")[1]
    service.join("elite-late", "elite")
    service.join("late")
    order = service.order()
    assert order[0] == "elite-late" and order.index("elite-early") < order.index("late")


def test_a_lane_whose_runners_left_starts_from_now_instead_of_lagging_behind():
    service = Service("marathon: 1 in 3")
    for number in range(10):
        service.join(f"m{number}", "marathon")
    for number in range(10):
        service.take(f"m{number}")
    service.join("back", "marathon")
    for number in range(30):
        service.join(f"5k-{number}", "5k")
    assert service.order().index("back") + 1 <= 3


def test_a_call_out_of_turn_does_not_send_the_next_lane_runner_to_the_back():
    service = Service("marathon: 1 in 2")
    for number in range(21):
        service.join(f"5k-{number}", "5k")
    service.take("5k-20")  # the last one, picked out of turn
    service.join("m", "marathon")
    assert service.order().index("m") + 1 <= 2


def test_a_first_lane_runners_seq_looks_like_anyone_elses():
    service = Service("para: first")
    for number in range(40):
        service.join(f"r{number}")
    for _ in range(30):
        service.call()
    seq = service.join("p", "para")
    assert service.order()[0] == "p"
    assert seq // lanes.COUNTERS == service.turn - 1 > 0  # not a turn of its own that only first lanes take


def test_a_runner_put_back_at_the_front_stays_ahead_of_first_lane_joiners():
    service = Service("elite: first")
    for name in ("a", "b"):
        service.join(name)
    service.call()
    back = lanes.front_seq(min(service.taken), service.turn) - 1  # rules/tickets.move: just before it
    service.waiting[back] = ("a", None)
    service.taken.add(back)
    for _ in range(3):
        service.join("elite", "elite")
    assert service.order() == ["a", "elite", "elite", "elite", "b"]


def test_an_event_cannot_take_more_joins_than_its_counter_holds():
    with pytest.raises(Conflict):
        lanes.joiner_seq((), 0, {}, (None, None), lanes.COUNTERS)


M = lanes.COUNTERS


@pytest.mark.parametrize(("waiting", "arrived", "taken", "after"), [
    ([], 5, set(), None),                                                  # an empty queue: the mover is first
    ([(12 * M + 9, 9), (24 * M + 12, 12)], 5, set(), None),                # everyone there came later: first
    ([(12 * M + 2, 2), (24 * M + 12, 12)], 5, set(), 12 * M + 2),          # after the one who came before
    ([(12 * M + 2, 2), (13 * M + 3, 3), (24 * M + 12, 12)], 5, set(), 13 * M + 3),  # after the last who came before
    ([(12 * M + 2, 2), (12 * M + 3, 8), (12 * M + 4, 9), (36 * M + 12, 12)], 5, set(), 12 * M + 4),  # no room: next
    ([(12 * M + 2, 2), (24 * M + 3, 3)], 5, set(), 24 * M + 3),            # all came before: last
    ([(12 * M + 2, 2), (12 * M + 4, 9)], 5, {12 * M + 3}, 12 * M + 4),      # a no-show holds the seq between
])
def test_a_runner_moved_into_another_queue_keeps_their_arrival_order(waiting, arrived, taken, after):
    taken = taken | {seq for seq, _ in waiting}
    seq = lanes.moved_in_seq(waiting, arrived, taken, 12, 12)
    assert seq not in taken
    ahead = [s for s, _ in waiting if s < seq]
    assert (ahead[-1] if ahead else None) == after


def test_two_runners_moved_into_an_empty_queue_get_seqs_of_their_own():
    taken = {12 * M + 1, 24 * M + 2}
    first = lanes.moved_in_seq([], 1, taken, 2, 24)
    second = lanes.moved_in_seq([(first, 1)], 2, taken | {first}, 2, 24)
    assert first != second and first not in taken and second not in taken and first < second


@given(st.lists(st.tuples(st.integers(-3, 40), st.integers(1, 30)), unique_by=lambda p: p[0], max_size=12),
       st.sets(st.integers(-3, 40), max_size=10), st.integers(1, 30), st.integers(1, 30))
def test_a_moved_runners_seq_is_free_and_no_later_joiner_can_take_it(spread, held, arrived, counter):
    # Small turns make collisions likely: seq = turn * M + counter, as joiners' are (turn -1: a first lane's while
    # the service's turn is 0); turns below that stand for runners put back at the front, seqs of their own.
    waiting = sorted(((turn * M + when) if turn >= -1 else turn, when) for turn, when in spread)
    waiting = [pair for pair in waiting if pair[1] != arrived]
    taken = {seq for seq, _ in waiting} | {(turn * M + 1) if turn > 0 else turn for turn in held}
    counter = max([counter, arrived] + [when for _, when in waiting])
    seq = lanes.moved_in_seq(waiting, arrived, taken, counter, 5)
    assert seq not in taken
    assert 1 <= seq % M <= counter  # a joiner's counter part is always new, first lanes' negative seqs too
    assert all(s < seq for s, when in waiting if when < arrived)  # never ahead of an earlier joiner
    assert all(s < seq for s, _ in waiting if s < 4 * M)  # nor of anyone ahead of the service's turn (5 - 1)


def test_a_runner_moved_in_goes_behind_one_put_at_the_front_there_even_if_they_came_first():
    # The organiser put runner 9 first in this queue; runner 5, who joined earlier elsewhere, is moved in after.
    service_turn = 12
    fronted = lanes.front_seq(12 * M + 9, service_turn) - 1
    waiting = [(fronted, 9), (12 * M + 10, 10)]
    seq = lanes.moved_in_seq(waiting, 5, {fronted, 12 * M + 10}, 12, service_turn)
    assert fronted < seq < 12 * M + 10


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
    ("a: 1 in 2\nb: 1 in 2", "The shares leave everyone else less than 1 call in 10"),
    ("a: 1 in 2\nb: 1 in 3\nc: 1 in 10", "The shares leave everyone else less than 1 call in 10"),
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


def test_a_start_list_gives_each_lane_its_first_match_and_names_what_matches_nobody():
    chosen = lanes.parse("elite: first\nwheelchair, marathon: 1 in 3")[1]
    runners = {("Elite", "marathon"): 2, ("18-34", "5k"): 1, (None, "Marathon"): 3}
    assert lanes.start_list_matches(chosen, runners) == ([2, 3], ["wheelchair"])
    assert lanes.start_list_matches(chosen, {}) == ([0, 0], ["elite", "wheelchair", "marathon"])
