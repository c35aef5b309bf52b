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
