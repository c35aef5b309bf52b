"""The call reaches the runner in Chromium: sound from the Join tap alone, a countdown on phone and tablet,
"I'm on my way", the timer's no-show and its undo, Call again, the "getting close" alert, and the TV's voice."""

import re
import sqlite3

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import TV
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import check_page
from tests.browser.pages import fill_join_form
from tests.browser.pages import qr_join_url
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.browser.pages import words_broken_inside
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

SMALL_PHONE = {"viewport": {"width": 320, "height": 568}, "has_touch": True, "is_mobile": True,
               "device_scale_factor": 1}
COUNTDOWN = re.compile(r"^\d:\d\d$")


def join_by_tapping(phone, server, bib, name):
    """Fill the join form and tap Join; the ticket shows in the same document (no page load)."""
    phone.goto(qr_join_url(server))
    phone.evaluate("window.sameDocument = 'yes'")
    fill_join_form(phone, bib, name)
    phone.get_by_role("button", name="Join the queue").tap()
    expect(phone.locator("#ticket-number")).to_be_visible()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    assert phone.evaluate("window.sameDocument") == "yes" and "/t/" in phone.url


def chimes(page):
    """How many chimes the page has started."""
    return int(page.evaluate("document.documentElement.dataset.chimed || '0'"))


def test_a_runner_who_only_tapped_join_hears_the_call_until_they_say_they_are_coming(devices, server, shots):
    phone = devices.phone().new_page()
    join_by_tapping(phone, server, 801, "Noor")
    assert phone.evaluate("document.documentElement.dataset.sound") == "running"
    expect(phone.locator("#sound-on")).to_be_hidden()
    Staff(server.url).act(1, "call-next")
    expect(phone.locator("#state-called")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("data-ringing", "yes")
    assert phone.evaluate("document.documentElement.dataset.sound") == "running" and chimes(phone) >= 1
    expect(phone.locator("#countdown")).to_have_text(COUNTDOWN)
    check_page(phone, shots, "called-390")
    phone.get_by_role("button", name="I'm on my way").tap()
    expect(phone.locator("#on-my-way-done")).to_be_visible()
    expect(phone.locator("html")).not_to_have_attribute("data-ringing", "yes")


def test_after_a_reload_the_page_asks_first_thing_for_a_tap_to_turn_on_sound(devices, server, shots):
    phone = devices.phone().new_page()
    join_by_tapping(phone, server, 802, "Oskar")
    phone.reload()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    button = phone.get_by_role("button", name="Tap to turn on sound")
    expect(button).to_be_visible()
    first = phone.evaluate("document.querySelector('main, body').querySelector('button:not([hidden])').id")
    assert first == "sound-on"
    shots.take(phone, "sound-locked")
    button.tap()
    expect(button).to_be_hidden()
    assert phone.evaluate("document.documentElement.dataset.sound") == "running"


def test_the_tablet_counts_down_sees_on_my_way_and_call_again_rings_the_phone_again(devices, server, shots):
    phone = devices.phone().new_page()
    join_by_tapping(phone, server, 803, "Pia")
    tablet = devices.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    tablet.get_by_role("button", name="Call next").click()
    expect(phone.locator("html")).to_have_attribute("data-ringing", "yes")
    expect(tablet.locator(".table-countdown")).to_have_text(COUNTDOWN)
    expect(tablet.locator("#current")).to_contain_text("Waiting for the runner")
    shots.take(tablet, "tablet-called-countdown")
    phone.get_by_role("button", name="I'm on my way").tap()
    expect(tablet.locator("#current")).to_contain_text("✓ On the way")
    shots.take(tablet, "tablet-on-the-way")
    before = chimes(phone)
    tablet.get_by_role("button", name="Call again").click()
    expect(phone.locator("html")).to_have_attribute("data-ringing", "yes")
    expect(phone.locator("#on-my-way")).to_be_visible()
    assert chimes(phone) > before


def test_the_timers_no_show_shows_on_the_tablet_and_they_are_here_puts_the_runner_on_the_table(devices, server, shots):
    for bib in (804, 805):
        join(server.url, bib)
    with sqlite3.connect(server.database) as db:  # two seconds of grace: the settings form allows 30 at least
        db.execute("UPDATE services SET grace_seconds = 2")
    tablet = devices.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    expect(tablet.locator("#upcoming")).to_contain_text("P-001")
    tablet.get_by_role("button", name="Call next").click()
    expect(tablet.locator("#no-show-notice")).to_be_visible(timeout=20_000)  # the sweep runs every 5 s
    expect(tablet.locator("#no-show-text")).to_contain_text("P-001")
    expect(tablet.locator("#no-show-text")).to_contain_text("did not arrive in time")
    shots.take(tablet, "timer-no-show")
    tablet.get_by_role("button", name="They are here: start the massage").click()
    expect(tablet.locator("#no-show-notice")).to_be_hidden()
    expect(tablet.locator("#message")).to_have_text("P\u2011001 is on the table: the massage has started.")
    expect(tablet.locator("#finish")).to_be_visible()
    expect(tablet.locator("#upcoming li").first).to_contain_text("P-002")
    shots.take(tablet, "they-are-here")
    first = Staff(server.url).http.get(f"{server.url}/api/v1/events/demo/staff").json()["tickets"][0]
    assert (first["number"], first["status"], first["table"]) == ("P-001", "in_treatment", 1)


def test_no_show_asks_first_and_stands_apart_from_start(devices, server, shots):
    join(server.url, 806)
    tablet = devices.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    tablet.get_by_role("button", name="Call next").click()
    expect(tablet.locator("#no-show")).to_be_visible()
    start, no_show = tablet.locator("#start").bounding_box(), tablet.locator("#no-show").bounding_box()
    assert no_show["y"] >= start["y"] + start["height"] + 16  # its own row, a finger's width below
    tablet.once("dialog", lambda dialog: dialog.dismiss())
    tablet.get_by_role("button", name="No-show").click()
    expect(tablet.locator("#start")).to_be_visible()  # dismissed: still called
    check_page(tablet, shots, "called-with-no-show-apart")


def test_the_getting_close_alert_fires_once_as_the_place_falls(devices, server, shots):
    staff = Staff(server.url)
    for table in (1, 2, 3, 4):  # four therapists: a place is a few minutes
        staff.act(table, "resume")
    for bib in range(807, 811):
        join(server.url, bib)
    phone = devices.phone().new_page()
    join_by_tapping(phone, server, 811, "Quinn")  # place 5: four ahead
    expect(phone.locator("#place")).to_have_text("5")
    expect(phone.locator("#close-alert")).to_be_hidden()
    staff.act(1, "call-next")  # three ahead: the default alert
    expect(phone.locator("#close-alert")).to_have_text("Almost your turn: 3 runners ahead of you.")
    after_alert = chimes(phone)
    staff.act(2, "call-next")
    expect(phone.locator("#place")).to_have_text("3")
    expect(phone.locator("#close-alert")).to_have_text("Almost your turn: 2 runners ahead of you.")
    assert chimes(phone) == after_alert  # once only
    shots.take(phone, "getting-close")


def test_getting_close_never_fires_at_the_moment_of_joining_nor_beside_a_long_wait(devices, server, shots):
    staff = Staff(server.url)
    staff.act(1, "resume")  # one therapist: each place ahead is a massage
    for bib in (820, 821):
        join(server.url, bib)
    phone = devices.phone().new_page()
    join_by_tapping(phone, server, 822, "Rhea")  # place 3, two ahead: within the default 3, but minutes away
    expect(phone.locator("#wait")).to_contain_text("About 15–25 min")  # the first is called any moment
    before = chimes(phone)
    staff.act(1, "call-next")
    expect(phone.locator("#place")).to_have_text("2")
    expect(phone.locator("#wait")).to_contain_text("About 15–25 min")
    phone.wait_for_timeout(500)
    expect(phone.locator("#close-alert")).to_be_hidden()
    assert chimes(phone) == before
    for table in (2, 3):  # two more therapists, free: the runner is called any moment now, and so it is close
        staff.act(table, "resume")
    expect(phone.locator("#wait")).to_have_text("A table is free: you will be called any moment.")
    expect(phone.locator("#close-alert")).to_have_text("Almost your turn: 1 runner ahead of you.")
    assert chimes(phone) == before + 1
    staff.act(2, "call-next")
    expect(phone.locator("#close-alert")).to_have_text("You are next!")  # the banner follows the place
    assert chimes(phone) == before + 1  # once
    shots.take(phone, "close-only-when-close")


@pytest.mark.parametrize("size, text", [("390x844", "normal"), ("320x568", "200%")])
def test_the_called_screen_with_its_countdown_reads_on_small_phones(devices, server, shots, size, text):
    phone = (devices.phone() if size == "390x844" else devices._open(SMALL_PHONE)).new_page()
    join_by_tapping(phone, server, 812, "Rosalind")
    organiser = Organiser(server.url)  # a two-digit table is the widest call
    organiser.form("/e/demo/settings/table-add", {"number": "16", "services": "pre"}, page="/e/demo/settings")
    Staff(server.url).act(16, "call-next")
    expect(phone.locator("#table")).to_have_text("16")
    organiser.api("PUT", "/announcement", {"text": "Water and bananas are by the exit. Stretch before you go."})
    expect(phone.locator("#announcement")).to_be_visible()
    if text == "200%":
        phone.evaluate("document.documentElement.style.fontSize = '200%'")
    expect(phone.locator("#countdown")).to_have_text(COUNTDOWN)
    check_page(phone, shots, f"called-{size}-{text}")
    # The call comes first: the table number and the countdown are on the first screen, above everything else.
    screen = phone.viewport_size["height"]
    table, countdown = phone.locator("#table-line").bounding_box(), phone.locator("#countdown").bounding_box()
    assert table["y"] + table["height"] <= screen, f"'Table 16' ends at {table['y'] + table['height']:.0f} px"
    if text == "normal":
        assert countdown["y"] + countdown["height"] <= screen
    for later in ("#announcement", "#connection", ".event-name", "#ticket-number"):
        assert phone.locator(later).bounding_box()["y"] > table["y"], f"{later} comes before the table"
    assert words_broken_inside(phone) == []


def test_the_board_speaks_each_call(devices, server, shots):
    tv = open_screen(devices, TV).new_page()
    tv.add_init_script("""
        window.spoken = [];
        const speak = window.speechSynthesis.speak.bind(window.speechSynthesis);
        window.speechSynthesis.speak = (utterance) => { window.spoken.push(utterance.text); speak(utterance); };
    """)
    tv.goto("/e/demo/board")
    expect(tv.locator("#connection")).to_have_attribute("data-state", "live")
    tv.get_by_role("button", name="Click once for sound and voice").click()
    expect(tv.locator("#sound-status")).to_be_visible()
    join(server.url, 813)
    Staff(server.url).act(4, "call-next")
    expect(tv.locator("#serving")).to_contain_text("P-001")
    for _ in range(50):  # the voice follows the chime by about a second
        if tv.evaluate("window.spoken.length"):
            break
        tv.wait_for_timeout(100)
    assert tv.evaluate("window.spoken") == ["Number P 1, table 4"]
    shots.take(tv, "board-spoke")
