"""Last call on the runner's phone (issue 24): the join page greys a service the tables cannot reach a new runner
in before it closes, live as the tables and the pace change; and says so in the phone's language."""

import random
import re
from datetime import UTC
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from queue_app.rules import last_call
from queue_app.rules.times import hhmm
from tests.browser.conftest import PHONE
from tests.browser.organiser_pages import TABLET
from tests.browser.organiser_pages import assert_no_sideways_scroll
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import check_page
from tests.browser.pages import qr_join_url
from tests.browser.pages import static_url
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
    assert organiser.api("PATCH", "", {"time_zone": "UTC"}).status_code == 200
    closes = (datetime.now(UTC) + timedelta(minutes=minutes)).strftime("%H:%M")
    assert organiser.api("PATCH", "/services/post", {"closes_at": closes}).status_code == 200
    staff = Staff(server.url)
    staff.http.post(f"{server.url}/e/demo/staff/table", data={"table": 1, "csrf_token": staff.csrf}, timeout=10)
    tokens = []
    for bib in (1, 2):
        answer = join(server.url, bib, service="post")
        assert answer.status_code == 201
        tokens.append(answer.json()["token"])
    return organiser, staff, closes, tokens


def post_option(page):
    """The join form's post-race choice."""
    return page.locator('[data-service="post"]')


def test_the_join_page_greys_a_service_it_cannot_reach_live_as_tables_and_pace_change(devices, server, shots):
    organiser, staff, closes, _ = closing_soon(server)
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
    _, _, closes, _ = closing_soon(server)
    phone = open_screen(devices, {**PHONE, "locale": "de-DE"}).new_page()
    phone.goto(qr_join_url(server))
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(post_option(phone)).to_contain_text(f"ist für heute voll: Wir können Sie nicht vor {closes} drannehmen")
    check_page(phone, shots, "full-for-today-de")


def test_the_last_in_are_warned_on_the_ticket_and_the_dashboard_says_last_call(devices, server, shots):
    organiser, _, closes, tokens = closing_soon(server)
    # The second runner waits 15 of the 20 minutes left: reached with little to spare.
    organiser.api("PATCH", "/services/post", {"surge_minutes": 5})
    phone = devices.phone().new_page()
    phone.goto(f"/t/{tokens[1]}")
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    expect(phone.locator("#last-call")).to_be_visible()
    expect(phone.locator("#last-call")).to_have_text("We expect to reach you just before closing.")
    check_page(phone, shots, "ticket-thin-margin")

    for size, label in ((TABLET, "dashboard-tablet"), (PHONE, "dashboard-phone")):
        screen = open_screen(devices, size).new_page()
        open_dashboard(screen)
        card = screen.locator('#services article[data-service="post"]')
        expect(card).to_contain_text("Last call")
        expect(card).to_contain_text("at this rate")
        expect(card).to_contain_text("With one more table")
        expect(card).to_contain_text("tables bring a new runner's wait back under 5 min")
        screen.locator("#last-call-card summary").click()  # folded, so a phone's dashboard stays short
        expect(screen.locator("#last-call-card")).to_contain_text(f"closes {closes}")
        shots.take(screen, label)
        screen.locator("#last-call-card").scroll_into_view_if_needed()
        shots.take(screen, f"{label}-settings", full_page=False)
        assert_no_sideways_scroll(screen)

    # Keeping the queue open past its reach is asked first, then saved: the fourth gets in.
    screen.once("dialog", lambda dialog: dialog.accept())
    form = screen.locator('.last-call-form[data-service="post"]')
    form.locator('input[name="keep_open"]').check()
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".result")).to_have_text("Service saved.")
    assert join(server.url, 4, service="post").status_code == 201



def test_the_phone_and_the_server_reach_the_same_runners_before_closing(devices):
    """queue-rules.js reach is rules/last_call.py reach: every place, pace, free table count, closing time and
    clock (overnight too) gives the same answer."""
    pick = random.Random(24)
    given = []
    for _ in range(600):
        per_place = None if pick.random() < 0.05 else round(pick.uniform(0.05, 20), 3)
        closes = time(pick.randrange(24), pick.choice((0, 15, 30, 59)))
        clock = time(pick.randrange(24), pick.choice((0, 14, 29, 59)))
        given.append((pick.randint(1, 80), per_place, pick.randint(0, 3), closes, clock))
    services = [{"reach_rule": True, "closes_at": hhmm(closes), "per_place": per_place, "free_tables": free,
                 "per_place_low": per_place and per_place * 0.75, "per_place_high": per_place and per_place * 1.25}
                for _place, per_place, free, closes, _clock in given]
    page = devices.phone().new_page()
    page.goto("/e/demo/board")
    page.evaluate("url => { window.RULES_URL = url; }", static_url(page, "js/queue-rules.js"))
    in_browser = page.evaluate(
        """async ([services, places, clocks]) => {
            const { reach } = await import(window.RULES_URL);
            return services.map((s, i) => reach(s, places[i], clocks[i]));
        }""", [services, [place for place, *_ in given], [hhmm(clock) for *_, clock in given]])
    in_python = [last_call.reach(place, per_place, free, closes, clock)
                 for place, per_place, free, closes, clock in given]
    assert in_browser == [found and vars(found) for found in in_python]
    answers = {(found.reached, found.thin) for found in in_python if found}
    assert answers == {(True, True), (True, False), (False, False)}  # the cases reach every answer
