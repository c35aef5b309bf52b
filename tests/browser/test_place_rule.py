"""The pages compute with static/js/queue-rules.js what the server computes with queue_app/rules: a phone's place
(places.py), a tablet's order of calls (calling.py) and a wait's range (estimates.py). Both must agree on every
case, or a phone, a tablet and the API would tell different truths."""

import itertools
import random

import pytest

from queue_app.rules.calling import call_order
from queue_app.rules.estimates import estimate_wait_minutes
from queue_app.rules.estimates import wait_range
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


def test_the_tablet_and_the_server_call_in_the_same_order(devices):
    """The tablet's list of who comes next (queue-rules.js callOrder) is the server's rule (rules/calling.py)."""
    pick = random.Random(7)
    given = []
    for _ in range(300):
        served = pick.sample(["pre", "post", "walk"], pick.randint(1, 3))
        queues = {code: [f"{code}-{n}" for n in range(pick.randint(0, 4))] for code in ("pre", "post", "walk")}
        given.append((served, queues, pick.choice([None, "pre", "post", "walk"])))
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    in_browser = page.evaluate(
        """async (cases) => {
            const { callOrder } = await import("/static/js/queue-rules.js");
            return cases.map(([served, queues, last]) => callOrder(served, queues, last));
        }""", given)
    in_python = [[list(pair) for pair in call_order(served, queues, last)] for served, queues, last in given]
    assert in_browser == in_python and sum(len(order) for order in in_python) > 500


def test_the_phone_tells_the_wait_range_the_server_computes(devices):
    """A phone's wait range (queue-rules.js waitFor) is rules/estimates.py wait_range, for every place and pace."""
    pick = random.Random(11)
    given = [(pick.randint(0, 60), round(pick.uniform(0.05, 8), 3)) for _ in range(300)]
    paces = [{"per_place": pace, "per_place_low": round(pace * 0.75, 3), "per_place_high": round(pace * 1.25, 3)}
             for _place, pace in given]
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    in_browser = page.evaluate(
        """async ([places, paces]) => {
            const { waitFor } = await import("/static/js/queue-rules.js");
            return places.map((place, i) => waitFor(place, paces[i]));
        }""", [[place for place, _ in given], paces])
    for (place, _), pace, told in zip(given, paces, in_browser, strict=True):
        assert [told["low"], told["high"]] == list(wait_range(place, pace["per_place_low"], pace["per_place_high"]))
        assert told["minutes"] == estimate_wait_minutes(place, pace["per_place"])
