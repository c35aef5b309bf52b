"""The table alarms in the browser: a signed-in table left free while runners wait turns red on its tablet and on
the dashboard, and both clear the moment it calls. The server here counts a table idle after 3 seconds
(IDLE_TABLE_MINUTES=0.05), so the test sees in seconds what a tent sees in minutes."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import table_card
from tests.browser.pages import assert_accessible
from tests.browser.pages import check_page
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import next_test_needs_the_same

pytestmark = pytest.mark.browser


@pytest.fixture
def server(request, spare_servers):
    """The real server, with an idle limit of 3 seconds (fresh for each test, launched while the one before ran)."""
    process = spare_servers.take({"IDLE_TABLE_MINUTES": "0.05"}, launch_next=next_test_needs_the_same(request))
    yield process
    process.stop()


@pytest.mark.parametrize("orientation", [{"width": 1024, "height": 768}, {"width": 768, "height": 1024}],
                         ids=["landscape", "portrait"])
def test_an_idle_table_raises_an_alarm_on_its_tablet_and_the_dashboard_until_it_calls(devices, server, shots,
                                                                                       orientation):
    tablet = devices.tablet().new_page()
    tablet.set_viewport_size(orientation)
    sign_in(tablet)
    take_table(tablet, 2)
    laptop = open_screen(devices, LAPTOP).new_page()
    open_dashboard(laptop)
    tablet.wait_for_timeout(3500)  # past the limit, but nobody is waiting: no alarm
    expect(tablet.locator("#alarm")).to_be_hidden()
    expect(laptop.locator("#alarms")).to_be_hidden()

    for bib, name in ((801, "Eve"), (802, "Finn")):
        join(server.url, bib, name)
    alarm = tablet.locator("#alarm")
    expect(alarm).to_be_visible()
    expect(alarm).to_have_text("Free for under a minute while 2 runners wait")
    expect(tablet.locator("body")).to_have_class("tablet table-page alarm-idle")
    expect(tablet.locator("#call-next")).to_be_visible()
    check_page(tablet, shots, "tablet-alarm")
    expect(laptop.locator("#alarms")).to_contain_text("Table 2: Free for under a minute while 2 runners wait")
    expect(table_card(laptop, 2)).to_contain_text("⚠ Free for under a minute")
    expect(table_card(laptop, 1)).to_contain_text("Nobody signed in")
    shots.take(laptop, "dashboard-alarm")
    assert_accessible(laptop)

    tablet.locator("#call-next").tap()
    expect(tablet.locator("#current")).to_contain_text("Eve")
    expect(alarm).to_be_hidden()
    expect(tablet.locator("body")).not_to_have_class("alarm-idle")
    expect(laptop.locator("#alarms")).to_be_hidden()
    expect(table_card(laptop, 2)).to_contain_text("P-001 Eve")
    expect(table_card(laptop, 2)).not_to_contain_text("Free for")
    shots.take(tablet, "tablet-called-alarm-cleared")
    shots.take(laptop, "dashboard-alarm-cleared")

    # A break is meant to be free: no alarm for a table on one, even with a runner waiting.
    Staff(server.url).act(2, "start")
    Staff(server.url).act(2, "finish")
    tablet.locator("#break").tap()
    expect(tablet.locator("#resume")).to_be_visible()
    tablet.wait_for_timeout(3500)
    expect(alarm).to_be_hidden()
    expect(table_card(laptop, 2)).to_contain_text("On a break")
    expect(laptop.locator("#services article[data-service=pre]")).to_contain_text("Tables working0 of 6, 1 on a break")
    expect(laptop.locator("#alarms")).to_be_hidden()
    shots.take(laptop, "dashboard-table-on-a-break")
