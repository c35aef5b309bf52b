"""The dashboard acts: moving a waiting runner to the front or to the other service (asking first), a walk-in form
that keeps the massage chosen last, a slip with place and wait, and an organiser's menu that folds on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import PHONE
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import waiting_count
from tests.browser.pages import assert_accessible
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser


def waiting_numbers(page, service):
    """The numbers in a service's waiting column, in queue order."""
    return page.locator(f"#waiting [data-service={service}] .w-number")


def test_the_organiser_moves_a_runner_to_the_front_or_the_other_service_after_confirming(devices, server, shots):
    for bib, name in ((101, "Ada"), (102, "Ben"), (103, "Cai")):
        join(server.url, bib, name)
    page = open_screen(devices, LAPTOP).new_page()
    open_dashboard(page)
    expect(waiting_numbers(page, "pre")).to_have_text(["P-001", "P-002", "P-003"])
    expect(page.get_by_role("button", name="Move P-001 to front of the queue")).to_have_count(0)  # first already
    shots.take(page, "three-waiting")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Move P-003 to front of the queue").click()
    assert asked == ["Move P-003 (Cai) to the front of its queue: everyone now ahead of them moves back one place?"]
    expect(waiting_numbers(page, "pre")).to_have_text(["P-001", "P-002", "P-003"])  # Cancel changes nothing

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Move P-003 to front of the queue").click()
    expect(waiting_numbers(page, "pre")).to_have_text(["P-003", "P-001", "P-002"])

    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Move P-002 to Post-race massage").click()
    assert asked[-1] == "Move P-002 (Ben) to Post-race massage, in the order they joined?"
    expect(waiting_numbers(page, "post")).to_have_text(["P-002"])
    expect(waiting_numbers(page, "pre")).to_have_text(["P-003", "P-001"])
    expect(waiting_count(page, "post")).to_have_text("1")
    # The tables call by the new order: P-003 first.
    assert Staff(server.url).act(1, "call-next").json()["ticket"]["number"] == "P-003"
    shots.take(page, "moved")
    assert_accessible(page)


def test_the_walk_in_form_keeps_the_massage_chosen_last_and_the_slip_tells_place_and_wait(devices, server, shots):
    Staff(server.url).act(1, "resume")  # one table working: the wait has a figure
    join(server.url, 120, "Ida", service="post")
    context = open_screen(devices, LAPTOP)
    page = context.new_page()
    open_dashboard(page)
    service = page.locator("#walkin-service")
    service.select_option("post")
    for bib, name in ((121, "Jo"), (122, "Kai")):
        page.locator("#walkin-bib").fill(str(bib))
        page.locator("#walkin-name").fill(name)
        page.get_by_role("button", name="Add to queue").click()
        expect(page.locator("#walkin-result")).to_contain_text(f"added for {name}")
        expect(service).to_have_value("post")
    # The working table is free and calls Ida any moment: Kai is two massages of 15 min away.
    expect(page.locator("#walkin-result")).to_contain_text("R-003 added for Kai: place 3. About 22–38 min.")
    shots.take(page, "walk-ins-added")

    with context.expect_page() as opened:
        page.get_by_role("link", name="Print the ticket slip").click()
    slip = opened.value
    expect(slip.locator(".slip-number")).to_have_text("R-003")
    # The slip's words come from the runner's catalogs (issue 15): "Place in queue", the wait and when printed.
    expect(slip.locator(".slip-place")).to_have_text("Place in queue: 3")
    expect(slip.locator(".slip-wait")).to_have_text(re.compile(r"^About 22–38 min, around \d\d:\d\d$"))
    shots.take(slip, "slip")
    assert_accessible(slip)

    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(service).to_have_value("post")  # and after a reload


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_organisers_menu_folds_on_a_phone_and_stays_open_on_a_laptop(devices, server, shots, size):
    page = open_screen(devices, PHONE if size == "phone" else LAPTOP).new_page()
    open_dashboard(page)
    settings = page.get_by_role("link", name="Settings")
    menu = page.locator(".org-menu > summary")  # (the language switcher inside it has a summary of its own)
    if size == "laptop":
        expect(settings).to_be_visible()
        expect(menu).to_be_hidden()
        shots.take(page, "laptop-menu", full_page=False)
        return
    expect(settings).to_be_hidden()
    nav = page.locator(".org-nav").bounding_box()
    assert nav["height"] <= 0.1 * page.viewport_size["height"], nav  # open, it took a quarter of the screen
    shots.take(page, "phone-menu-folded", full_page=False)
    menu.tap()
    expect(settings).to_be_visible()
    shots.take(page, "phone-menu-open", full_page=False)
    assert_accessible(page)
    settings.tap()
    expect(page).to_have_url(re.compile(r"/e/demo/settings$"))
