"""The table alarms with plain values: a table free too long while runners it could serve wait, a massage past
twice its length, and everything that keeps them quiet."""

from datetime import datetime
from datetime import timedelta

import pytest

from queue_app.rules.alarms import alarm_words
from queue_app.rules.alarms import table_alarm

T0 = datetime(2026, 5, 3, 9, 0)
SERVICES = {"pre": {"waiting": 7, "minutes": 10}, "post": {"waiting": 0, "minutes": 15}}


def table(staffed=True, on_break=False, free_for=4, services=("pre", "post")):
    return {"staffed": staffed, "on_break": on_break, "services": list(services),
            "free_since": None if free_for is None else T0 - timedelta(minutes=free_for)}


def massage(minutes, service="pre", status="in_treatment"):
    return {"status": status, "service": service, "started_at": T0 - timedelta(minutes=minutes)}


def test_a_signed_in_table_free_past_the_limit_while_runners_it_serves_wait_is_an_alarm():
    assert table_alarm(table(free_for=4.5), None, SERVICES, 3, T0) == {"kind": "idle", "minutes": 4, "waiting": 7}


@pytest.mark.parametrize("quiet", [
    table(free_for=3),                    # exactly the limit is not more than it
    table(free_for=2.9),
    table(staffed=False),                 # nobody signed in: nobody to warn
    table(on_break=True),                 # a break is meant to be free
    table(free_for=None),                 # no idle clock yet (taken before the upgrade)
    table(services=("post",)),            # nobody waits for what it serves
])
def test_a_table_is_quiet_within_the_limit_off_duty_or_with_nobody_to_call(quiet):
    assert table_alarm(quiet, None, SERVICES, 3, T0) is None


def test_a_massage_past_twice_its_length_is_an_alarm_and_one_within_it_is_not():
    assert table_alarm(table(), massage(20.5), SERVICES, 3, T0) == {"kind": "long", "minutes": 20, "limit": 20}
    assert table_alarm(table(), massage(20), SERVICES, 3, T0) is None
    assert table_alarm(table(), massage(29, service="post"), SERVICES, 3, T0) is None


def test_a_called_runner_never_makes_a_table_alarm_whatever_the_clocks_say():
    """Not arriving has its own countdown and timer; a busy table is not idle."""
    assert table_alarm(table(free_for=60), massage(60, status="called"), SERVICES, 3, T0) is None


def test_alarms_say_what_is_wrong_in_a_few_words():
    assert alarm_words({"kind": "idle", "minutes": 4, "waiting": 1}) == "Free for 4 min while 1 runner waits"
    assert alarm_words({"kind": "idle", "minutes": 4, "waiting": 7}) == "Free for 4 min while 7 runners wait"
    assert alarm_words({"kind": "long", "minutes": 21, "limit": 20}) == (
        "In treatment 21 min: over twice the 10 min massage")
    assert alarm_words({"kind": "idle", "minutes": 0, "waiting": 2}) == "Free for under a minute while 2 runners wait"
    assert alarm_words(None) == ""
