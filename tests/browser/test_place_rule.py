"""The phone keeps its place with static/js/queue-rules.js; the server's rule is queue_app/rules/places.py.
Both must give the same answer for every change, or a phone and the API would disagree on a runner's place."""

import itertools
import random

import pytest

from queue_app.rules.places import place_change

pytestmark = pytest.mark.browser

SERVICES = ("pre", "post")
STATUSES = ("waiting", "called", "in_treatment", "done", "left", "removed", "no_show")


def cases():
    """Every kind of change around a waiting ticket: each combination near its seq, then random ones."""
    mine = {"service": "pre", "seq": 10}
    found = []
    near = (-3, 9, 10, 11)
    for status, service, seq, was, was_service, was_seq in itertools.product(
            ("waiting", "called", "left"), SERVICES, near, (None, "waiting", "called"), SERVICES, near):
        found.append(({"status": status, "service": service, "seq": seq, "from": was, "from_service": was_service,
                       "from_seq": was_seq}, mine))
    pick = random.Random(20261125)
    for _ in range(500):
        change = {"status": pick.choice(STATUSES), "service": pick.choice(SERVICES), "seq": pick.randint(-5, 30),
                  "from": pick.choice((None,) + STATUSES), "from_service": pick.choice(SERVICES),
                  "from_seq": pick.randint(-5, 30)}
        found.append((change, {"service": pick.choice(SERVICES), "seq": pick.randint(-5, 30)}))
    return found


def test_the_phone_and_the_server_move_a_place_by_the_same_rule(devices):
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    given = cases()
    in_browser = page.evaluate(
        """async (cases) => {
            const { placeChange } = await import("/static/js/queue-rules.js");
            return cases.map(([change, mine]) => placeChange(change, mine));
        }""", given)
    in_python = [place_change(change, mine) for change, mine in given]
    differing = [(given[i], in_python[i], in_browser[i]) for i in range(len(given)) if in_python[i] != in_browser[i]]
    assert differing == [] and len(in_browser) == len(given) > 1000
    assert set(in_python) == {-1, 0, 1}  # the cases reach every answer
