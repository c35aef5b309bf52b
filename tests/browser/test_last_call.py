"""Last call on the runner's phone (issue 24): the join page greys a service the tables cannot reach a new runner
in before it closes, live as the tables and the pace change; and says so in the phone's language."""

import re
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import check_page
from tests.browser.pages import qr_join_url
from tests.contract.test_last_call import fresh_minute
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser


def closing_soon(server, minutes=20):
    """Post-race closes in `minutes` on a UTC clock, one table is signed in, and two runners wait: a third would
    be called after one more massage than the time left allows. Answers the organiser, the staff and the time."""
    fresh_minute()
    organiser = Organiser(server.url)
    organiser.api("PATCH", "", {"time_zone": "UTC"})
    closes = (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%H:%M")
    organiser.api("PATCH", "/services/post", {"closes_at": closes})
    staff = Staff(server.url)
    staff.http.post(f"{server.url}/e/demo/staff/table", data={"table": 1, "csrf_token": staff.csrf}, timeout=10)
    for bib in (1, 2):
        assert join(server.url, bib, service="post").status_code == 201
    return organiser, staff, closes


def post_option(page):
    """The join form's post-race choice."""
    return page.locator('[data-service="post"]')


def test_the_join_page_greys_a_service_it_cannot_reach_live_as_tables_and_pace_change(devices, server, shots):
    organiser, staff, closes = closing_soon(server)
    phone = devices.phone().new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(post_option(phone)).to_have_class(re.compile(r"\bunavailable\b"))
    expect(post_option(phone).locator("input")).to_be_disabled()
    expect(post_option(phone)).to_contain_text(
        f"Post-race massage is full for today: we cannot reach you before {closes}")
    check_page(phone, shots, "full-for-today")

    # A second table signs in: the third runner is reached in time, and the choice opens without a reload.
    second = Staff(server.url)
    second.http.post(f"{server.url}/e/demo/staff/table", data={"table": 2, "csrf_token": second.csrf}, timeout=10)
    expect(post_option(phone).locator("input")).to_be_enabled()
    expect(post_option(phone)).not_to_contain_text("full for today")
    shots.take(phone, "a-second-table")

    # It goes on a break: full again.
    assert second.act(2, "break").status_code == 200
    expect(post_option(phone).locator("input")).to_be_disabled()
    expect(post_option(phone)).to_contain_text("full for today")

    # A shorter massage (the pace, before five are done, is the set length): reached again.
    organiser.api("PATCH", "/services/post", {"minutes": 5})
    expect(post_option(phone).locator("input")).to_be_enabled()
    shots.take(phone, "a-shorter-massage")


def test_the_join_page_says_full_for_today_in_german(devices, server, shots):
    _, _, closes = closing_soon(server)
    phone = open_screen(devices, {**PHONE, "locale": "de-DE"}).new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(post_option(phone)).to_contain_text(f"ist für heute voll: Wir können Sie nicht vor {closes} drannehmen")
    check_page(phone, shots, "full-for-today-de")
