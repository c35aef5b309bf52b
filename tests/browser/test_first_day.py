"""A new organiser's first day in Chromium (issue 20): a refused form puts the focus on what to fix, and the charts
read in the event's language and on its clock."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import fill_join_form
from tests.browser.pages import submit_join

pytestmark = pytest.mark.browser


def focused_id(page):
    """The id of the element that has the focus."""
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_refused_join_puts_the_focus_on_the_first_answer_to_fix(devices, shots):
    page = devices.phone().new_page()
    page.goto("/e/demo/join")
    fill_join_form(page, 101, "")
    submit_join(page)
    expect(page.locator("#first_name")).to_have_attribute("aria-invalid", "true")
    assert focused_id(page) == "first_name"
    expect(page.locator("#first_name")).to_be_in_viewport()
    shots.take(page, "first-name-refused", full_page=False)

    page.locator("#first_name").fill("Ana")
    page.locator("#bib").fill("")
    for radio in page.locator("input[name=screening_unwell]").all():
        radio.evaluate("input => { input.checked = false; }")
    submit_join(page)
    expect(page.locator(".form-error")).to_have_text("Please fix the 2 answers marked below.")
    assert focused_id(page) == "bib"  # the first of them, in the form's order


def test_a_refused_walk_in_puts_the_focus_on_its_field(devices, shots):
    page = open_screen(devices, LAPTOP).new_page()
    open_dashboard(page)
    page.locator("#walkin-name").fill("Ana")
    page.get_by_role("button", name="Add to queue").click()
    expect(page.locator("#walkin-result")).not_to_be_empty()
    expect(page.locator("#walkin-bib")).to_be_focused()
    expect(page.locator("#walkin-bib")).to_have_attribute("aria-invalid", "true")
    shots.take(page, "walk-in-refused", full_page=False)
