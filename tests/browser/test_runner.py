"""The runner's phone: coming back to a ticket, leaving, the medical referral and form errors."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.pages import check_page
from tests.browser.pages import fill_join_form
from tests.browser.pages import join_in_browser
from tests.browser.pages import qr_join_url
from tests.browser.pages import submit_join
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser


def waiting(server, service="pre"):
    """How many runners the public board says are waiting for a service."""
    board = requests.get(f"{server.url}/api/v1/events/demo/board", timeout=10).json()
    return board["services"][service]["waiting"]


def test_reload_and_rescan_return_to_the_same_ticket(devices, server, shots):
    """A runner who reloads, or scans the QR code again, lands on the ticket they hold, not a new one."""
    url = qr_join_url(server)
    phone = devices.phone().new_page()
    join_in_browser(phone, url, 42, "Ana")
    ticket_url = phone.url
    expect(phone.locator("#ticket-number")).to_have_text("P-001")
    shots.take(phone, "ticket")

    phone.reload()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(phone.locator("#ticket-number")).to_have_text("P-001")
    assert phone.url == ticket_url

    phone.goto(url)  # the same QR code, scanned again
    expect(phone.locator("#ticket-number")).to_have_text("P-001")
    assert phone.url == ticket_url
    shots.take(phone, "after-rescan")
    assert waiting(server) == 1


def test_leaving_the_queue_asks_first_then_frees_the_place(devices, server, shots):
    """Leave asks for confirmation; cancelling keeps the place, confirming ends the ticket and frees the place."""
    url = qr_join_url(server)
    phone = devices.phone().new_page()
    join_in_browser(phone, url, 43, "Bea")
    assert waiting(server) == 1

    phone.once("dialog", lambda dialog: dialog.dismiss())
    phone.get_by_role("button", name="Leave the queue").tap()
    expect(phone.locator("#state-waiting")).to_be_visible()
    assert waiting(server) == 1

    phone.once("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation():
        phone.get_by_role("button", name="Leave the queue").tap()
    expect(phone.locator("#state-ended")).to_be_visible()
    expect(phone.locator("#ended-message")).to_have_text("You left the queue.")
    expect(phone.locator("#leave-form")).to_be_hidden()
    check_page(phone, shots, "left")
    assert waiting(server) == 0

    phone.goto(url)  # scanning again after leaving offers the form, not the old ticket
    expect(phone.locator("#bib")).to_be_visible()


def test_unwell_runner_is_sent_to_the_medical_tent_without_a_ticket(devices, server, shots):
    """Answering yes to feeling unwell shows the medical referral and queues nobody."""
    phone = devices.phone().new_page()
    phone.goto(qr_join_url(server))
    fill_join_form(phone, 44, "Cai", screening={"unwell": "yes", "injury": "no", "medical_condition": "no"})
    submit_join(phone)
    expect(phone.locator("h1")).to_have_text("Please go to the medical tent")
    expect(phone.get_by_text("You have not been added to the massage queue.")).to_be_visible()
    expect(phone.locator(".medical-place")).to_contain_text("next to the finish area")
    check_page(phone, shots, "medical")
    assert waiting(server) == 0
    phone.go_back()  # Back returns to the join form, not out of the app
    expect(phone.locator("#bib")).to_be_visible()
    assert phone.url.endswith("/e/demo/join")


def test_form_errors_show_next_to_their_field_and_keep_what_was_typed(devices, server, shots):
    """A bad bib and a missing answer are reported at their fields; everything typed or chosen stays."""
    phone = devices.phone().new_page()
    phone.goto(qr_join_url(server))
    fill_join_form(phone, "12 3", "Dora", service="post", screening={"unwell": "no", "injury": "no"})
    submit_join(phone)

    expect(phone.locator(".form-error")).to_have_text("Please fix the 2 answers marked below.")
    bib_error = phone.locator(".field:has(#bib) .field-error")
    expect(bib_error).to_contain_text("up to 10 letters and digits")
    expect(phone.locator("#bib")).to_have_attribute("aria-describedby", "bib-error")
    expect(phone.locator("#bib")).to_have_attribute("aria-invalid", "true")
    question = phone.locator("fieldset:has(input[name=screening_medical_condition])")
    expect(question.locator(".field-error")).to_contain_text("yes or no")
    expect(phone.locator("#bib")).to_have_value("12 3")
    expect(phone.locator("#first_name")).to_have_value("Dora")
    expect(phone.locator("input[name=service][value=post]")).to_be_checked()
    expect(phone.locator("input[name=screening_unwell][value=no]")).to_be_checked()
    check_page(phone, shots, "errors")

    phone.locator("#bib").fill("123")
    phone.locator("input[name=screening_medical_condition][value=no]").tap()
    submit_join(phone)
    expect(phone.locator("#ticket-number")).to_have_text("R-001")
    shots.take(phone, "fixed-and-joined")


def test_runner_who_does_not_come_sees_their_place_has_gone(devices, server, shots):
    """Called, then marked as a no-show at the table: the phone says why the place is gone and offers to join again."""
    phone = devices.phone().new_page()
    phone.set_viewport_size({"width": 320, "height": 568})  # a small, older phone
    join_in_browser(phone, qr_join_url(server), 45, "Eli")
    staff = Staff(server.url)
    assert staff.act(6, "call-next").status_code == 200
    expect(phone.locator("#table")).to_have_text("6")
    check_page(phone, shots, "called-on-a-small-phone")
    assert staff.act(6, "no-show").status_code == 200
    expect(phone.locator("#ended-message")).to_have_text("You were called but did not arrive, so your place has gone.")
    expect(phone.get_by_role("link", name="Join again")).to_be_visible()
    check_page(phone, shots, "no-show")


def test_start_page_and_an_unknown_ticket_are_readable_too(devices, server, shots):
    """The start page lists the event; a mistyped ticket link explains itself and leads back."""
    phone = devices.phone().new_page()
    phone.goto("/")
    expect(phone.get_by_role("link", name="Join the queue (runners)")).to_be_visible()
    check_page(phone, shots, "start-page")
    phone.goto("/t/not-a-real-ticket")
    expect(phone.locator("h1")).to_have_text("Sorry")
    expect(phone.get_by_role("link", name="Start page")).to_be_visible()
    check_page(phone, shots, "unknown-ticket")


def test_the_phone_shows_announcements_a_paused_service_and_keeps_its_place_through_moves(devices, server, shots):
    """What the organiser does reaches the waiting runner's page live: the announcement, a pause (with the
    reassurance that the place is kept), and places that stay right when tickets ahead are moved."""
    for bib in (1, 2):
        join(server.url, bib)
    phone = devices.phone().new_page()
    join_in_browser(phone, qr_join_url(server), 3, "Cleo")
    expect(phone.locator("#place")).to_have_text("3")
    organiser = Organiser(server.url)
    organiser.api("PUT", "/announcement", {"text": "Water is at the back of the tent"})
    expect(phone.locator("#announcement")).to_have_text("Water is at the back of the tent")
    organiser.api("PATCH", "/services/pre", {"status": "paused"})
    expect(phone.locator("#service-state")).to_contain_text("paused for a moment. You keep your place.")
    shots.take(phone, "paused-with-announcement")
    check_page(phone, shots, "paused")
    organiser.api("POST", "/tickets/P-001/move", {"service": "post"})   # ahead of Cleo, leaves her queue
    expect(phone.locator("#place")).to_have_text("2")
    organiser.api("PATCH", "/services/pre", {"status": "open"})
    assert join(server.url, 4).status_code == 201
    organiser.api("POST", "/tickets/P-004/move", {"front": True})      # from behind her to the front
    expect(phone.locator("#place")).to_have_text("3")
    organiser.api("PUT", "/announcement", {"text": ""})
    expect(phone.locator("#service-state")).to_be_hidden()
    expect(phone.locator("#announcement")).to_be_hidden()
    assert requests.get(f"{phone.url.replace('/t/', '/api/v1/tickets/')}", timeout=10).json()["place"] == 3
