"""Priority lanes as people meet them: the organiser writes them on the settings page, an elite runner who joins
after three others sees their lane and place 1, the others see their places fall back, and the tablet's next call
takes the elite runner."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import check_page
from tests.browser.pages import join_in_browser
from tests.browser.pages import qr_join_url
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

START_LIST = "bib,first_name,category\n801,Ada,\n802,Ben,\n803,Cai,\n804,Elif,elite\n"


def test_an_elite_runner_is_called_before_earlier_joiners_of_the_normal_lane(devices, server, shots):
    Organiser(server.url).form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                               files={"file": ("start.csv", START_LIST.encode(), "text/csv")})
    laptop = open_screen(devices, LAPTOP).new_page()
    sign_in_organiser(laptop, "/e/demo/settings")
    laptop.locator("#lanes-pre").fill("elite, wheelchair: first")
    with laptop.expect_navigation():
        laptop.locator("#lanes-pre").locator("xpath=ancestor::form").get_by_role("button").click()
    expect(laptop.locator("#lanes-pre")).to_have_value("elite, wheelchair: first")
    shots.take(laptop, "settings-lanes")

    for bib, name in ((801, "Ada"), (802, "Ben")):
        assert join(server.url, bib, name).status_code == 201
    cai = devices.phone().new_page()
    join_in_browser(cai, qr_join_url(server), 803, "Cai")
    expect(cai.locator("#place")).to_have_text("3")
    expect(cai.locator("#lane")).to_be_hidden()  # no lane of hers: she is in everyone else's

    elite = devices.phone().new_page()
    join_in_browser(elite, qr_join_url(server), 804, "Elif")
    expect(elite.locator("#place")).to_have_text("1")
    elite_number = elite.locator("#ticket-number").inner_text()
    expect(elite.locator("#lane")).to_have_text("Your lane: elite, called before the other lanes")
    check_page(elite, shots, "elite-ticket")
    expect(cai.locator("#place")).to_have_text("4")  # live: one more runner ahead of her, as the board said
    elite.reload()  # the first paint says it too
    expect(elite.locator("#lane")).to_have_text("Your lane: elite, called before the other lanes")

    # Staff see every runner's lane: the dashboard's queue and the tablet's list of whom to call.
    laptop.goto("/e/demo/dashboard")
    expect(laptop.locator("#waiting li", has_text="Elif").locator(".lane-tag")).to_have_text("elite")
    expect(laptop.locator("#waiting li", has_text="Ada").locator(".lane-tag")).to_have_count(0)
    shots.take(laptop, "dashboard-lane")
    tablet = devices.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    tablet.locator("#pick").tap()
    expect(tablet.locator("#pick-list .pick-runner").first).to_have_attribute("data-number", elite_number)
    expect(tablet.locator("#pick-list .pick-runner").first.locator(".lane-tag")).to_have_text("elite")
    shots.take(tablet, "pick-with-lane")
    tablet.locator("#pick-cancel").tap()
    tablet.locator("#call-next").tap()
    expect(tablet.locator("#current")).to_contain_text("Elif")
    expect(elite.locator("#state-called")).to_be_visible()
    expect(cai.locator("#place")).to_have_text("3")
    # The normal lane goes on first come, first served.
    assert Staff(server.url).act(2, "call-next").json()["ticket"]["first_name"] == "Ada"
    expect(cai.locator("#place")).to_have_text("2")
