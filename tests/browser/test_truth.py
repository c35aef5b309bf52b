"""The runner is told the truth in the browser: the join page greys what fills up, live; the ticket shows its wait
as a range and a clock time; a ticket moved to a new phone opens there and no longer on the old one."""

import re
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import check_page
from tests.browser.pages import join_in_browser
from tests.browser.pages import qr_join_url
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

SMALL_PHONE = {"viewport": {"width": 320, "height": 568}, "has_touch": True, "is_mobile": True,
               "device_scale_factor": 1}
WAIT_WORDS = re.compile(r"^About \d+(–\d+)? min, around \d{1,2}:\d{2}( [AP]M)?$")


def big_text(page):
    """Text at 200 %, as a runner with their phone's large-text setting sees the page."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")


def work_table(server, number=1):
    """A therapist signs in at a table, so the tent has a pace to tell."""
    staff = Staff(server.url)
    staff.http.post(f"{server.url}/e/demo/staff/table", data={"table": number, "csrf_token": staff.csrf}, timeout=10)
    return staff


def test_the_join_page_greys_a_service_live_when_it_fills_up(devices, server, shots):
    Organiser(server.url).api("PATCH", "/services/post", {"capacity": 1})
    work_table(server)
    phone = devices.phone().new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    post = phone.locator("[data-service=post]")
    expect(post.locator("input")).to_be_enabled()
    # Nobody waits and the working table is free: a newcomer is called at once, and the page says so.
    expect(post.locator(".service-wait")).to_contain_text("A table is free: you will be called any moment.")
    check_page(phone, shots, "join-both-open")
    assert join(server.url, 700, service="post").status_code == 201  # someone else takes the last place
    expect(post.locator("input")).to_be_disabled()
    expect(post.locator(".service-wait")).to_have_text("Post-race massage is full right now")
    expect(phone.locator("[data-service=pre] input")).to_be_enabled()
    check_page(phone, shots, "join-post-full")
    Organiser(server.url).api("PATCH", "/services/pre", {"status": "paused"})
    expect(phone.locator("#nothing-open")).to_be_visible()
    expect(phone.locator("#join-form")).to_be_hidden()
    check_page(phone, shots, "join-nothing-open")


def test_the_join_page_reads_opening_hours_on_the_event_clock_not_the_phone_clock(devices, server, shots):
    """A phone set to Auckland at an event in São Paulo (or Kolkata or New York, whichever clock is far enough from
    midnight that the hours below do not wrap past it): the page greys out what the server refuses, no more."""
    organiser = Organiser(server.url)
    event_zone = next(name for name in ("America/Sao_Paulo", "Asia/Kolkata", "America/New_York")
                      if 2 <= datetime.now(ZoneInfo(name)).hour <= 20)
    organiser.api("PATCH", "", {"time_zone": event_zone})
    there = datetime.now(ZoneInfo(event_zone))
    for code, start, end in (("pre", -1, 1), ("post", 1, 2)):
        organiser.api("PATCH", f"/services/{code}", {"opens_at": f"{there + timedelta(hours=start):%H:%M}",
                                                     "closes_at": f"{there + timedelta(hours=end):%H:%M}"})
    phone = devices._open(dict(PHONE, timezone_id="Pacific/Auckland")).new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(phone.locator("[data-service=pre] input")).to_be_enabled()
    expect(phone.locator("[data-service=post] input")).to_be_disabled()
    opens = f"{there + timedelta(hours=1):%H:%M}"
    expect(phone.locator("[data-service=post] .service-wait")).to_have_text(f"Post-race massage opens at {opens}")
    check_page(phone, shots, "join-hours-on-the-event-clock")


@pytest.mark.parametrize("size, text", [("390x844", "normal"), ("320x568", "normal"), ("320x568", "200%")])
def test_the_join_page_reads_on_small_phones_and_with_big_text(devices, server, shots, size, text):
    work_table(server)
    join(server.url, 701)
    phone = (devices.phone() if size == "390x844" else devices._open(SMALL_PHONE)).new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("[data-service=pre] .service-wait")).to_contain_text("around")
    if text == "200%":
        big_text(phone)
    check_page(phone, shots, f"join-{size}-{text}")


@pytest.mark.parametrize("size, text", [("390x844", "normal"), ("320x568", "normal"), ("320x568", "200%")])
def test_the_ticket_shows_its_wait_as_a_range_and_a_clock_time(devices, server, shots, size, text):
    work_table(server)
    for bib in (702, 703):
        join(server.url, bib)
    phone = (devices.phone() if size == "390x844" else devices._open(SMALL_PHONE)).new_page()
    join_in_browser(phone, qr_join_url(server), 704, "Wilhelmina")
    expect(phone.locator("#place")).to_have_text("3")
    expect(phone.locator("#wait")).to_have_text(WAIT_WORDS)
    low, high = (int(n) for n in re.findall(r"\d+", phone.locator("#wait").inner_text())[:2])
    # The free table calls the first any moment: 2 places x 10 min, give or take 25 % until massages are measured.
    assert (low, high) == (15, 25)
    if text == "200%":
        big_text(phone)
    check_page(phone, shots, f"ticket-{size}-{text}")


def test_a_ticket_moved_to_a_new_phone_opens_there_and_the_old_link_is_refused(devices, server, shots):
    old = devices.phone().new_page()
    join_in_browser(old, qr_join_url(server), 705, "Ana")
    expect(old.locator("#ticket-number")).to_have_text("P-001")
    old_url = old.url

    laptop = open_screen(devices, {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}).new_page()
    open_dashboard(laptop)
    expect(laptop.get_by_role("button", name="Move P-001 to a new phone")).to_be_visible()
    laptop.once("dialog", lambda dialog: dialog.accept())
    laptop.get_by_role("button", name="Move P-001 to a new phone").click()
    expect(laptop.locator("#reissue")).to_be_visible()
    expect(laptop.locator("#reissue-who")).to_have_text("P-001 · Ana · bib 705")
    new_url = laptop.locator("#reissue-url").inner_text()
    shots.take(laptop, "dashboard-new-phone-qr")

    expect(old.locator("#ended-message")).to_have_text("This ticket is now on another phone. Your place is kept there.")
    shots.take(old, "old-phone-told")
    new = devices.phone().new_page()
    new.goto(new_url)
    expect(new.locator("#connection")).to_have_attribute("data-state", "live")
    expect(new.locator("#ticket-number")).to_have_text("P-001")
    expect(new.locator("#place")).to_have_text("1")
    check_page(new, shots, "new-phone")
    assert old.goto(old_url).status == 404
    expect(old.locator("body")).to_contain_text("This ticket does not exist")
