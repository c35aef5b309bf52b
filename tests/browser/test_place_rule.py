"""The pages compute with static/js/queue-rules.js what the server computes with queue_app/rules: a phone's place
(places.py), a tablet's order of calls (calling.py), a wait's range (estimates.py), opening hours (joining.py) and
a table's alarm (alarms.py).
Both must agree on every case, or a phone, a tablet and the API would tell different truths."""

import itertools
import random
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest

from queue_app.rules.alarms import alarm_words
from queue_app.rules.alarms import table_alarm
from queue_app.rules.calling import call_order
from queue_app.rules.estimates import estimate_wait_minutes
from queue_app.rules.estimates import wait_range
from queue_app.rules.joining import accepting_joins
from queue_app.rules.joining import opening_ahead
from queue_app.rules.places import place_change
from queue_app.rules.times import hhmm
from queue_app.rules.times import utc_iso
from tests.browser.pages import static_url

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
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    given = cases()
    in_browser = page.evaluate(
        """async (cases) => {
            const { placeChange } = await import(window.RULES_URL);
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
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    in_browser = page.evaluate(
        """async (cases) => {
            const { callOrder } = await import(window.RULES_URL);
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
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    in_browser = page.evaluate(
        """async ([places, paces]) => {
            const { waitFor } = await import(window.RULES_URL);
            return places.map((place, i) => waitFor(place, paces[i]));
        }""", [[place for place, _ in given], paces])
    for (place, _), pace, told in zip(given, paces, in_browser, strict=True):
        assert [told["low"], told["high"]] == list(wait_range(place, pace["per_place_low"], pace["per_place_high"]))
        assert told["minutes"] == estimate_wait_minutes(place, pace["per_place"])


def test_the_join_page_reads_opening_hours_as_the_server_does(devices):
    """The join form greys out a service (queue-rules.js refusal) exactly when the server refuses its runners
    (rules/joining.py accepting_joins), overnight windows included, and says "opens at" at the same moments."""
    pick = random.Random(22)
    hours = [None, *(time(h, m) for h in (0, 3, 7, 12, 15, 22, 23) for m in (0, 30))]
    given = []
    for _ in range(600):
        opens_at, closes_at = pick.choice(hours), pick.choice(hours)
        clock = time(pick.randrange(24), pick.choice((0, 29, 30, 59)))
        given.append((pick.choice(("open", "open", "paused", "closed")), opens_at, closes_at, clock))
    summaries = [{"status": status, "opens_at": hhmm(opens_at), "closes_at": hhmm(closes_at), "capacity": None,
                  "waiting": 0} for status, opens_at, closes_at, _ in given]
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    in_browser = page.evaluate(
        """async ([services, clocks]) => {
            const { openingAhead, refusal } = await import(window.RULES_URL);
            return services.map((s, i) => [refusal(s, clocks[i]), openingAhead(s, clocks[i])]);
        }""", [summaries, [hhmm(clock) for *_, clock in given]])
    in_python = [[accepting_joins(status, None, 0, opens, closes, clock), opening_ahead(opens, closes, clock)]
                 for status, opens, closes, clock in given]
    assert in_browser == in_python
    overnight = [i for i, (status, o, c, _) in enumerate(given) if status == "open" and o and c and c < o]
    assert {in_python[i][0] is None for i in overnight} == {True, False}  # the cases reach both sides of midnight


def test_the_tablet_the_dashboard_and_the_server_raise_the_same_table_alarms(devices):
    """A table's alarm (queue-rules.js tableAlarm, alarmWords) is rules/alarms.py's, around both limits."""
    pick = random.Random(14)
    now = datetime(2026, 5, 3, 12, 0)
    given = []
    for _ in range(600):
        services = {"pre": {"waiting": pick.choice((0, 0, 1, 7)), "minutes": 10},
                    "post": {"waiting": pick.choice((0, 2)), "minutes": pick.choice((15, 20))}}
        table = {"staffed": pick.random() < 0.8, "on_break": pick.random() < 0.2,
                 "services": pick.sample(["pre", "post"], pick.randint(1, 2)),
                 "free_since": pick.choice((None, now - timedelta(seconds=pick.randint(0, 600))))}
        ticket = pick.choice((None, None, {"status": pick.choice(("called", "in_treatment")),
                                           "service": pick.choice(("pre", "post")),
                                           "started_at": now - timedelta(seconds=pick.randint(0, 50 * 60))}))
        given.append((table, ticket, services, pick.choice((0.05, 1, 3, 4.5))))
    as_json = [[{**table, "free_since": utc_iso(table["free_since"])},
                ticket and {**ticket, "started_at": utc_iso(ticket["started_at"])}, services, idle]
               for table, ticket, services, idle in given]
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    in_browser = page.evaluate(
        """async ([cases, now]) => {
            const { tableAlarm, alarmWords } = await import(window.RULES_URL);
            return cases.map(([table, ticket, services, idle]) => {
                const alarm = tableAlarm(table, ticket, services, idle, Date.parse(now));
                return [alarm, alarmWords(alarm)];
            });
        }""", [as_json, utc_iso(now)])
    in_python = []
    for table, ticket, services, idle in given:
        alarm = table_alarm(table, ticket, services, idle, now)
        in_python.append([alarm, alarm_words(alarm)])
    assert in_browser == in_python
    assert {alarm["kind"] for alarm, _ in in_python if alarm} == {"idle", "long"}  # the cases reach both alarms
