"""Every wait a runner, a therapist or the organiser reads comes from one rule, so one screen never says two
things: a free table means "called any moment", and the dashboard's "new runner waits" is what the next joiner's
phone then shows."""

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def ticket(site, token):
    """The runner's own view of their ticket."""
    return site.http.get(f"{site.url}/api/v1/tickets/{token}", timeout=10).json()


def test_the_first_runner_with_a_free_working_table_is_told_they_are_called_any_moment(site):
    staff = Staff(site)
    assert staff.act(1, "resume").status_code == 200  # a therapist signed in at table 1, free
    first = join(site, 21).json()
    assert ticket(site, first["token"])["wait_range"] == [0, 0]
    page = site.http.get(f"{site.url}/t/{first['token']}", timeout=10).text
    assert "A table is free: you will be called any moment." in page and "About 7" not in page
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["services"]["pre"]["free_tables"] == 1
    second = join(site, 22).json()  # behind them: one massage away, from the configured length
    assert ticket(site, second["token"])["wait_range"] == [7, 13]
    staff.act(1, "call-next")  # the table is busy now: nobody is called any moment
    assert ticket(site, second["token"])["wait_range"] == [7, 13]
    assert site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()["services"]["pre"][
        "free_tables"] == 0


def test_a_table_on_a_break_or_busy_elsewhere_is_not_a_free_table(site):
    staff = Staff(site)
    staff.act(1, "resume")
    staff.act(1, "break")
    mine = join(site, 23).json()
    assert ticket(site, mine["token"])["wait_range"] is None  # no table working: no wait, not "any moment"


def test_the_dashboards_new_runner_wait_is_what_the_next_joiners_phone_shows(site):
    staff = Staff(site)
    organiser = Organiser(site)
    for table in (1, 2):
        staff.act(table, "resume")
    for bib in range(31, 36):
        join(site, bib)
    said = organiser.api("GET", "/dashboard").json()["services"]["pre"]
    assert said["measured"] is False and said["free_tables"] == 2
    newcomer = join(site, 36).json()
    assert ticket(site, newcomer["token"])["wait_range"] == said["new_runner_wait_range"]
    assert ticket(site, newcomer["token"])["estimated_wait_minutes"] == said["new_runner_wait"]


def test_the_two_alert_buttons_each_say_what_they_do(site):
    mine = join(site, 41).json()
    page = site.http.get(f"{site.url}/t/{mine['token']}", timeout=10).text
    assert 'aria-describedby="enable-alerts-hint"' in page and 'aria-describedby="push-on-hint"' in page
    assert "Sound, vibration and a notification while this page is open." in page
    assert "arrives even when it is locked or this page is closed." in page
