"""A whole visit, three devices at once: a runner's phone and two therapists' tablets on a real server."""

import pytest
from playwright.sync_api import expect

from tests.browser.pages import assert_no_scrolling
from tests.browser.pages import check_page
from tests.browser.pages import fill_join_form
from tests.browser.pages import loaded_kilobytes
from tests.browser.pages import qr_join_url
from tests.browser.pages import sign_in
from tests.browser.pages import submit_join
from tests.browser.pages import take_table
from tests.browser.pages import text_width_share
from tests.support.clients import join

pytestmark = pytest.mark.browser


def waiting_numbers(tablet):
    """The ticket numbers a tablet lists as waiting, in order."""
    return tablet.locator("#upcoming .up-number")


def test_runner_scans_joins_is_called_treated_and_thanked_while_two_tablets_work(devices, server, shots):
    """The QR code leads to the form; the place falls as others are called; the call arrives without a reload."""
    for bib, name in ((101, "Ada"), (102, "Ben")):
        assert join(server.url, bib, name).status_code == 201
    phone = devices.phone().new_page()
    tablet_1 = devices.tablet().new_page()
    tablet_2 = devices.tablet().new_page()

    phone.goto(qr_join_url(server))
    expect(phone.locator("h1")).to_have_text("Join the massage queue")
    check_page(phone, shots, "phone-join")
    fill_join_form(phone, 7, "Cleo", screening={"unwell": "no", "injury": "no", "medical_condition": "yes"})
    joined_at = phone.evaluate("performance.now()")  # the ticket shows in the same document: weigh it alone
    submit_join(phone)
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(phone.locator("#ticket-number")).to_have_text("P-003")
    expect(phone.locator("#place")).to_have_text("3")
    assert text_width_share(phone, "#ticket-number") >= 0.7, "the ticket number should fill the phone's width"
    assert loaded_kilobytes(phone, since=joined_at) < 100, "the ticket page should stay small for a crowded Wi-Fi"
    check_page(phone, shots, "phone-ticket-place-3")
    phone.evaluate("window.sameDocument = true")  # gone if the page ever reloads

    sign_in(tablet_1)
    check_page(tablet_1, shots, "tablet-1-tables")
    take_table(tablet_1, 1)
    sign_in(tablet_2)
    expect(tablet_2.locator("button[name=table][value='1']")).to_contain_text("(in use)")
    shots.take(tablet_2, "tablet-2-tables-1-in-use")
    take_table(tablet_2, 2)
    expect(waiting_numbers(tablet_2)).to_have_text(["P-001", "P-002", "P-003"])
    expect(tablet_2.locator("#upcoming li").nth(2)).to_contain_text("⚠ medical")
    check_page(tablet_2, shots, "tablet-2-three-waiting")

    tablet_1.locator("#call-next").tap()
    expect(tablet_1.locator("#current")).to_contain_text("Ada")
    expect(phone.locator("#place")).to_have_text("2")
    expect(phone.locator("#status-announcer")).to_have_text("You are number 2 in the queue.")  # screen readers
    expect(waiting_numbers(tablet_2)).to_have_text(["P-002", "P-003"])
    tablet_2.locator("#call-next").tap()
    expect(tablet_2.locator("#current")).to_contain_text("Ben")
    expect(phone.locator("#place")).to_have_text("1")
    check_page(phone, shots, "phone-place-1")

    tablet_1.locator("#start").tap()
    tablet_1.locator("#finish").tap()
    expect(tablet_1.locator("#call-next")).to_be_visible()
    tablet_1.locator("#call-next").tap()
    # The call reaches the phone live: a second or two at most, far less on an idle machine.
    expect(phone.locator("#state-called")).to_be_visible(timeout=5_000)
    expect(phone.locator("#table")).to_have_text("1")
    expect(phone.locator("#announcer")).to_have_text("It is your turn. Go to table 1.")
    assert phone.evaluate("window.sameDocument === true"), "the phone reloaded instead of updating live"
    assert text_width_share(phone, "#table-line") >= 0.7, "the table number should fill the width"
    check_page(phone, shots, "phone-called-table-1")
    expect(tablet_1.locator("#current")).to_contain_text("Cleo")
    expect(tablet_1.locator("#current .flag")).to_contain_text("medical condition")
    assert_no_scrolling(tablet_1)
    check_page(tablet_1, shots, "tablet-1-called-cleo")

    tablet_1.locator("#start").tap()
    expect(phone.locator("#state-in_treatment")).to_be_visible()
    expect(phone.locator("#table-treatment")).to_have_text("1")
    check_page(phone, shots, "phone-in-treatment")
    expect(tablet_1.locator("#finish")).to_be_visible()
    tablet_1.locator("#note").fill("Tight left calf")
    assert_no_scrolling(tablet_1)
    check_page(tablet_1, shots, "tablet-1-in-treatment")

    tablet_1.locator("#finish").tap()
    expect(phone.locator("#state-done")).to_be_visible()
    expect(phone.locator("#state-done")).to_contain_text("Thank you, Cleo!")
    expect(phone.locator("#leave-form")).to_be_hidden()
    assert phone.evaluate("window.sameDocument === true")
    check_page(phone, shots, "phone-done")
    expect(tablet_1.locator("#call-next")).to_be_visible()
    expect(waiting_numbers(tablet_2)).to_have_count(0)
    check_page(tablet_2, shots, "tablet-2-nobody-waiting")
