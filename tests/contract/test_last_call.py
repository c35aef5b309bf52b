"""Last call (issue 24): nobody joins a queue the tent cannot reach before it closes, those waiting keep their
places, the last ones in are warned, and the organiser may keep it open or fix a last-join time."""

import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from tests.contract.test_lanes import with_lanes
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def fresh_minute():
    """Wait out the last seconds of a minute: the rule counts whole minutes on the event's clock, and four joins
    must fall in one of them (arranging the test, not measuring anything)."""
    if datetime.now(UTC).second >= 50:
        time.sleep(61 - datetime.now(UTC).second)


def one_table_closing_in(site, minutes):
    """The demo event on UTC, one table signed in (it serves both services), post-race closing in `minutes`;
    returns the organiser and the closing time as the event's clock shows it."""
    fresh_minute()
    organiser = Organiser(site)
    assert organiser.api("PATCH", "", {"time_zone": "UTC"}).status_code == 200
    closes = (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%H:%M")
    assert organiser.api("PATCH", "/services/post", {"closes_at": closes}).status_code == 200
    staff = Staff(site)
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": 1, "csrf_token": staff.csrf}, timeout=10)
    return organiser, closes


def waiting_numbers(site):
    """The post-race queue's waiting ticket numbers, in order, as the organiser's board shows them."""
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    return board["services"]["post"]["waiting"], board["services"]["post"]["next"]


def test_one_table_fifteen_minutes_thirty_to_closing_takes_three_and_refuses_the_fourth(site):
    organiser, closes = one_table_closing_in(site, 30)
    first, second, third = (join(site, bib, service="post") for bib in (1, 2, 3))
    assert [r.status_code for r in (first, second, third)] == [201, 201, 201]
    # The table is free (the first is called any moment), then one massage of 15 minutes each.
    assert [r.json()["estimated_wait_minutes"] for r in (first, second, third)] == [0, 15, 30]
    assert first.json()["warning"] is None and second.json()["warning"] is None
    assert third.json()["warning"] == "We expect to reach you just before closing."
    before = waiting_numbers(site)

    fourth = join(site, 4, service="post")
    assert fourth.status_code == 409
    assert fourth.json()["field"] == "service"
    assert fourth.json()["error"] == f"Post-race massage is full for today: we cannot reach you before {closes}"
    assert waiting_numbers(site) == before == (3, ["R-001", "R-002", "R-003"])

    # The organiser keeps the queue open past its reach: the fourth gets in, behind the three.
    assert organiser.api("PATCH", "/services/post", {"keep_open": True}).status_code == 200
    let_in = join(site, 4, service="post")
    assert let_in.status_code == 201 and let_in.json()["place"] == 4 and let_in.json()["warning"] is None
    assert waiting_numbers(site) == (4, ["R-001", "R-002", "R-003", "R-004"])


def test_the_refusal_and_the_warning_speak_the_runners_language(site):
    _, closes = one_table_closing_in(site, 20)
    body = {"first_name": "Runner", "service": "post",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    german = {"Accept-Language": "de"}
    url = f"{site.url}/api/v1/events/demo/tickets"
    assert site.session().post(url, json={**body, "bib": "1"}, headers=german, timeout=10).status_code == 201
    warned = site.session().post(url, json={**body, "bib": "2"}, headers=german, timeout=10).json()
    assert warned["warning"] == "Wir rechnen damit, Sie kurz vor Schluss dranzunehmen."
    refused = site.session().post(url, json={**body, "bib": "3"}, headers=german, timeout=10)
    assert refused.status_code == 409
    assert refused.json()["error"] == (
        f"Post-race massage ist für heute voll: Wir können Sie nicht vor {closes} drannehmen")


def test_the_ticket_page_warns_of_a_thin_margin_and_not_otherwise(site):
    one_table_closing_in(site, 20)
    roomy = join(site, 1, service="post").json()["token"]
    thin = join(site, 2, service="post").json()["token"]
    note = '<p class="last-call-note" id="last-call" role="status" hidden>'
    assert note in site.http.get(f"{site.url}/t/{roomy}", timeout=10).text
    page = site.http.get(f"{site.url}/t/{thin}", timeout=10).text
    assert note not in page and "We expect to reach you just before closing." in page


def test_the_join_page_shows_a_service_it_cannot_reach_as_full_for_today(site):
    _, closes = one_table_closing_in(site, 10)
    join(site, 1, service="post")
    join(site, 2, service="post")
    page = site.http.get(f"{site.url}/e/demo/join", timeout=10).text
    assert f"Post-race massage is full for today: we cannot reach you before {closes}" in page


def test_a_fixed_last_join_time_closes_joins_from_that_minute(site):
    fresh_minute()
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "UTC"})
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%H:%M")
    assert organiser.api("PATCH", "/services/post", {"last_join_at": past}).status_code == 200
    refused = join(site, 1, service="post")
    assert refused.status_code == 409 and f"closed at {past}" in refused.json()["error"]
    assert organiser.api("PATCH", "/services/post", {"last_join_at": ""}).status_code == 200
    assert join(site, 1, service="post").status_code == 201


def test_with_no_closing_time_or_no_table_working_the_reach_refuses_nobody(site):
    for bib in range(1, 8):  # no closing time: as many as come
        assert join(site, bib, service="post").status_code == 201
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "UTC"})
    closes = (datetime.now(UTC) + timedelta(minutes=30)).strftime("%H:%M")
    organiser.api("PATCH", "/services/post", {"closes_at": closes})
    # No table signed in: no wait can be told, the page says so, and nobody is refused for it.
    assert join(site, 8, service="post").status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"keep_open": "maybe"}, "keep_open"),
    ({"keep_open": 1}, "keep_open"),
    ({"last_join_at": "25:00"}, "last_join_at"),
    ({"last_join_at": "soon"}, "last_join_at"),
    ({"surge_minutes": 0}, "surge_minutes"),
    ({"surge_minutes": "ten"}, "surge_minutes"),
    ({"surge_minutes": 601}, "surge_minutes"),
])
def test_a_bad_last_call_setting_is_refused_with_its_field_and_changes_nothing(site, body, field):
    organiser = Organiser(site)
    answer = organiser.api("PATCH", "/services/post", body)
    assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    post = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()["services"]["post"]
    assert (post["keep_open"], post["last_join_at"], post["surge_minutes"]) == (False, None, None)


def test_the_dashboard_says_the_last_call_what_would_change_it_and_the_surge_hint(site):
    organiser, closes = one_table_closing_in(site, 60)
    for bib in range(1, 5):
        join(site, bib, service="post")
    organiser.api("PATCH", "/services/post", {"surge_minutes": 20})
    post = organiser.api("GET", "/dashboard").json()["services"]["post"]
    at = datetime.strptime(closes, "%H:%M")
    # Four waiting, one free table, 15 minutes each: a fifth waits 60 minutes, so last call is now (closing - 60).
    assert post["last_call"] == (at - timedelta(minutes=60)).strftime("%H:%M")
    hints = post["last_call_hints"]
    # A second table, free at once: 7.5 minutes a place past the two free ones, the fifth waits 23 minutes (the
    # estimates' pace, as a phone would be told).
    assert hints["one_more_table"] == (at - timedelta(minutes=23)).strftime("%H:%M")
    assert hints["shorter"] is None  # all four are reached before closing
    # A new runner waits 60 minutes, past 20: with three tables the fifth is called after one massage, 15.
    assert post["new_runner_wait"] == 60 and hints["surge_tables"] == 3


def test_a_priority_lanes_runner_is_reached_where_one_at_the_back_is_not(site):
    with_lanes(site, "elite: first")
    fresh_minute()
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "UTC"})
    closes = (datetime.now(UTC) + timedelta(minutes=20)).strftime("%H:%M")
    organiser.api("PATCH", "/services/pre", {"closes_at": closes})
    staff = Staff(site)
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": 1, "csrf_token": staff.csrf}, timeout=10)
    # Pre-race is 10 minutes: waits 0, 10 and 20 of the 20 left.
    assert [join(site, bib, name).status_code for bib, name in ((1, "Ana"), (2, "Ben"), (6, "Fox"))] == [201] * 3
    at_the_back = join(site, 3, "Cy")  # her category is in no lane: she would wait 30
    assert at_the_back.status_code == 409 and "full for today" in at_the_back.json()["error"]
    elite = join(site, 4, "Dee")  # the elite lane puts her first: called any moment
    assert elite.status_code == 201 and elite.json()["place"] == 1
