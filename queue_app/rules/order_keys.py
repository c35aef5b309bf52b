"""The order the public sees: each waiting ticket's public order key, the `seq` of the board, its deltas and the
phones (rules/places.py compares them; static/js/queue-rules.js the same).

A ticket's own `seq` (rules/lanes.py) is turn × COUNTERS + join counter: read off the board, its turn part tells a
first lane's joiner (one turn before the service's, negative at the start) and a share lane's (its step) from
everyone else. The public key carries nothing but the order: a ticket entering a service's waiting queue (joining,
put back, moved in, a no-show undone) gets a key drawn at random between its waiting neighbours' keys, so that
among the waiting tickets of a service keys and seqs sort alike, and a key says only where in the queue its ticket
stands: at the end of the queue, AFTER a random gap beyond the highest key the service has given (so that with no
lanes keys grow in join order); at its front, the same gap short of the first; the service's first, anywhere in
FRESH; in between, close BESIDE the one before. Whoever lands where a lane's runner lands gets a key alike.

So every two neighbours that came to the ends of the queue stand at least AFTER[0] apart, and the runners who go in
between them one after another (a first lane's joiners behind each other, ahead of everyone else) take at most
BESIDE each: thousands fit. Only runners put in ever deeper between the same two (each ahead of the one before
them) halve the room each time, and 2**26 holds 26 of those.
"""

from .errors import Conflict
from .words import N_

FRESH = (2 ** 44, 2 ** 45)  # an empty queue's first key: [low, high)
AFTER = (2 ** 26, 2 ** 27)  # the gap from the last key to a key at the end of the queue
BESIDE = 2 ** 13  # the most a key between two others lies beyond the one before (or short of the first)
# Every key stays a whole number JavaScript holds exactly: 2**45 ± 2**20 joins × 2**27 lies within ±2**53.


def public_key(before, after, highest, draw):
    """The key of a ticket entering a waiting queue between the keys `before` and `after` (None: it is first, or
    last); `highest` is the highest key any ticket of the service holds (None: none), `draw(n)` a random whole
    number in [0, n)."""
    if after is None:
        if highest is None:
            return FRESH[0] + draw(FRESH[1] - FRESH[0])
        return highest + AFTER[0] + draw(AFTER[1] - AFTER[0])  # `before`, if any, is one of the service's
    if before is None:
        return after - AFTER[0] - draw(AFTER[1] - AFTER[0])
    room = after - before - 1
    if room < 1:
        # Dozens of runners put in ever deeper between the same two: never seen at a tent.
        raise Conflict(N_("The queue has no room left at this place. Try again in a moment."))
    return before + 1 + draw(min(BESIDE, max(1, room // 2)))
