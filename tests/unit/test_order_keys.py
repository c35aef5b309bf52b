"""The public order keys (issue 21, item 5): among a queue's waiting tickets they sort as the seqs do, whatever
lands where, and they grow in join order when everyone joins at the end."""

import random

from hypothesis import given
from hypothesis import strategies as st

from queue_app.rules import order_keys


@given(st.lists(st.tuples(st.integers(0, 10_000), st.booleans()), min_size=1, max_size=300), st.integers(0, 2**32))
def test_keys_sort_as_seqs_among_the_waiting_whatever_joins_and_leaves(steps, seed):
    draw = random.Random(seed).randrange
    waiting = {}  # seq: key
    highest = None
    for seq, leaves in steps:
        if leaves and waiting:
            waiting.pop(sorted(waiting)[seq % len(waiting)])
            continue
        if seq in waiting:
            continue
        before = max((s for s in waiting if s < seq), default=None)
        after = min((s for s in waiting if s > seq), default=None)
        key = order_keys.public_key(waiting.get(before), waiting.get(after), highest, draw)
        waiting[seq] = key
        highest = key if highest is None else max(highest, key)
        keys = [waiting[s] for s in sorted(waiting)]
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        assert abs(key) < 2 ** 53  # exact in JavaScript


def test_everyone_at_the_end_gets_growing_keys_a_random_gap_apart():
    draw = random.Random(7).randrange
    keys = [order_keys.public_key(None, None, None, draw)]
    for _ in range(50):
        keys.append(order_keys.public_key(keys[-1], None, keys[-1], draw))
    gaps = [b - a for a, b in zip(keys, keys[1:], strict=False)]
    assert all(order_keys.AFTER[0] <= gap < order_keys.AFTER[1] for gap in gaps) and len(set(gaps)) > 40


def queue_of(draw, regulars):
    """The keys of `regulars` runners who joined one after another at the end of an empty queue."""
    keys = [order_keys.public_key(None, None, None, draw)]
    for _ in range(regulars - 1):
        keys.append(order_keys.public_key(keys[-1], None, keys[-1], draw))
    return keys


def test_thousands_of_first_lane_runners_fit_one_after_another_ahead_of_a_waiting_queue():
    # "elite: first": each elite joins behind the elites before them and ahead of everyone else.
    draw = random.Random(11).randrange
    regulars = queue_of(draw, 3)
    elites = []
    for _ in range(5_000):
        elites.append(order_keys.public_key(elites[-1] if elites else None, regulars[0], regulars[-1], draw))
    keys = elites + regulars
    assert keys == sorted(keys) and len(set(keys)) == len(keys)


def test_runners_put_back_at_the_front_leave_room_for_first_lane_joiners_behind_them():
    draw = random.Random(12).randrange
    queue = queue_of(draw, 2)
    for _ in range(200):  # put back at the front, one after another
        queue.insert(0, order_keys.public_key(None, queue[0], max(queue), draw))
    assert queue[0] > -2 ** 53
    for at in range(200, 1_200):  # then first-lane runners, behind the put-backs and the elites before them
        queue.insert(at, order_keys.public_key(queue[at - 1], queue[at], max(queue), draw))
    assert queue == sorted(queue) and len(set(queue)) == len(queue)
