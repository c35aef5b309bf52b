"""A runner's phone that sleeps, loses its connection or is in a pocket when the call comes."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.pages import SleepyLink
from tests.browser.pages import check_page
from tests.browser.pages import join_in_browser
from tests.browser.pages import load_axe
from tests.browser.pages import page_through
from tests.browser.pages import qr_join_url
from tests.browser.pages import set_visibility
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

# Records each system notification the page shows, then lets the browser's own Notification show it.
RECORD_NOTIFICATIONS = """
    window.shownNotifications = [];
    const BrowserNotification = window.Notification;
    window.Notification = class extends BrowserNotification {
        constructor(title, options) {
            super(title, options);
            window.shownNotifications.push({ title, body: options && options.body });
        }
    };
"""


def test_phone_waking_from_sleep_asks_for_the_truth(devices, server, shots):
    """Changes missed while the screen was off show as soon as the page is visible again, without a reload."""
    for bib in (201, 202):
        join(server.url, bib)
    link = SleepyLink()
    phone = page_through(devices.phone(), link)
    join_in_browser(phone, qr_join_url(server), 203, "Eve")
    expect(phone.locator("#place")).to_have_text("3")

    set_visibility(phone, "hidden")
    link.asleep = True
    assert Staff(server.url).act(1, "call-next").status_code == 200
    while not any('"board"' in message for message in link.lost):
        phone.wait_for_timeout(50)
    expect(phone.locator("#place")).to_have_text("3")  # it really missed the change
    shots.take(phone, "asleep-stale-place-3")

    link.asleep = False
    set_visibility(phone, "visible")
    expect(phone.locator("#place")).to_have_text("2")
    shots.take(phone, "woken-place-2")


def test_phone_waking_on_a_dead_connection_reconnects_instead_of_waiting_for_a_timeout(devices, server, shots):
    """Woken with a socket that looks open but is dead: no answer to its resync, so it reconnects and catches up."""
    for bib in (211, 212):
        join(server.url, bib)
    link = SleepyLink()
    phone = page_through(devices.phone(), link)
    join_in_browser(phone, qr_join_url(server), 213, "Ivy")
    expect(phone.locator("#place")).to_have_text("3")
    opened = link.connections  # the join page's own live socket, then the ticket page's

    set_visibility(phone, "hidden")
    link.cut()
    assert Staff(server.url).act(1, "call-next").status_code == 200
    set_visibility(phone, "visible")
    # Engine.IO alone would notice the dead socket only after its ping timeout (20 s); the resync gives up in 5.
    expect(phone.locator("#place")).to_have_text("2", timeout=15_000)
    assert link.connections == opened + 1  # one reconnect, no more
    shots.take(phone, "reconnected-place-2")


def test_phone_that_lost_its_connection_catches_up_when_it_returns(devices, server, shots):
    """Offline while two runners are called and the runner's own call comes: back online, it shows the call."""
    for bib in (301, 302):
        join(server.url, bib)
    context = devices.phone()
    phone = context.new_page()
    join_in_browser(phone, qr_join_url(server), 303, "Fin")
    expect(phone.locator("#place")).to_have_text("3")

    load_axe(phone)  # while it can still be fetched
    context.set_offline(True)
    expect(phone.locator("#connection")).to_have_attribute("data-state", "reconnecting")
    expect(phone.locator("#connection")).to_have_text("Reconnecting…")
    # The old place and wait are visibly stale: dimmed, and saying how old they are, counting up.
    expect(phone.locator("body")).to_have_attribute("data-stale", "yes")
    expect(phone.locator("#stale-note")).to_have_text(re.compile(r"^Not live: last updated 0:0[0-9] ago$"))
    faded = phone.locator("#state-waiting .place-line").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).textDecorationLine]")
    assert faded == ["rgb(102, 102, 102)", "line-through"], faded  # grey and struck, still readable (axe below)
    expect(phone.locator("#stale-note")).to_have_text(re.compile(r"^Not live: last updated 0:0[2-9] ago$"))
    check_page(phone, shots, "offline-reconnecting")
    staff = Staff(server.url)
    for table in (1, 2, 3):
        assert staff.act(table, "call-next").status_code == 200
    expect(phone.locator("#place")).to_have_text("3")

    context.set_offline(False)
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(phone.locator("#stale-note")).to_be_hidden()
    assert phone.locator("body").get_attribute("data-stale") is None
    expect(phone.locator("#state-called")).to_be_visible()
    expect(phone.locator("#table")).to_have_text("3")
    shots.take(phone, "back-online-called-table-3")


def test_called_runner_who_allowed_notifications_gets_one_while_looking_elsewhere(devices, server, shots):
    """Alerts turned on, phone showing another app: the call arrives as a system notification too."""
    context = devices.phone(permissions=["notifications"])
    context.add_init_script(RECORD_NOTIFICATIONS)
    phone = context.new_page()
    join_in_browser(phone, qr_join_url(server), 401, "Gus")
    phone.get_by_role("button", name=re.compile("Turn on alerts")).tap()
    expect(phone.locator("#alerts-status")).to_contain_text("notification")
    check_page(phone, shots, "alerts-on")

    set_visibility(phone, "hidden")
    assert Staff(server.url).act(5, "call-next").status_code == 200
    expect(phone.locator("#state-called")).to_be_visible()
    shown = phone.evaluate("window.shownNotifications")
    assert shown == [{"title": "P-001: go to table 5", "body": "It is your turn. Your therapist is waiting."}]
    expect(phone.locator("#announcer")).to_have_text("It is your turn. Go to table 5.")
    assert phone.title().startswith("Go to table 5")
