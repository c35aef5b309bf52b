"""Every control of the tablet, one tap from its main view, at both orientations a tablet is held in: Break and
Resume, Call a particular runner, Put back in the queue, the session timer, and Send to medical with the runner's
phone told where to go."""

import re
import sqlite3

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.pages import check_page
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.clients import join

pytestmark = pytest.mark.browser

ORIENTATIONS = {"landscape": {"width": 1024, "height": 768}, "portrait": {"width": 768, "height": 1024}}


def assert_in_view(page, *ids):
    """Each control is visible and whole on the first screen: no scrolling between the therapist and it."""
    height = page.viewport_size["height"]
    for name in ids:
        expect(page.locator(f"#{name}")).to_be_visible()
        box = page.locator(f"#{name}").bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"#{name} is not whole on screen: {box}"


def tables_counted(server):
    """How many tables count toward the pre-race wait, as the public board says."""
    return requests.get(f"{server.url}/api/v1/events/demo/board", timeout=10).json()["services"]["pre"]["tables"]


def audit_details(server, number):
    """The audit log's details of one ticket, oldest first."""
    with sqlite3.connect(server.database) as db:
        return [row[0] for row in db.execute(
            "SELECT e.detail FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.label = ? "
            "ORDER BY e.id", (number,))]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_tablet_control_is_one_tap_from_the_main_view_and_does_its_job(devices, server, shots, orientation):
    tokens = {}
    for bib, name in ((701, "Ada"), (702, "Ben"), (703, "Cai"), (704, "Dee")):
        answer = join(server.url, bib, name).json()
        tokens[answer["number"]] = answer["token"]
    tablet = devices.tablet().new_page()
    tablet.set_viewport_size(ORIENTATIONS[orientation])
    sign_in(tablet)
    take_table(tablet, 1)
    assert_in_view(tablet, "call-next", "pick", "break")
    check_page(tablet, shots, "free")

    # Break: the table leaves the estimates, and says so until Resume.
    tablet.locator("#break").tap()
    expect(tablet.locator("#current")).to_contain_text("On a break")
    expect(tablet.locator("#call-next")).to_be_hidden()
    assert_in_view(tablet, "resume")
    assert tables_counted(server) == 0
    check_page(tablet, shots, "on-a-break")
    tablet.reload()  # the first paint is true to the break too
    expect(tablet.locator("#resume")).to_be_visible()
    tablet.locator("#resume").tap()
    assert_in_view(tablet, "call-next", "pick", "break")
    expect(tablet.locator("#current")).to_contain_text("Nobody called yet")
    assert tables_counted(server) == 1

    # Call a particular runner: the whole list, then a confirmation that says whom the call passes.
    tablet.locator("#pick").tap()
    expect(tablet.locator("#pick-list .pick-runner")).to_have_count(4)
    check_page(tablet, shots, "pick-a-runner")
    tablet.locator("#pick-filter").fill("cai")
    expect(tablet.locator("#pick-list .pick-runner")).to_have_count(1)
    asked = []
    tablet.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    tablet.locator("#pick-list .pick-runner[data-number='P-003']").tap()
    expect(tablet.locator("#current")).to_contain_text("Cai")
    assert asked == ["Call P-003 Cai to table 1 now, ahead of 2 runners who came first?"]
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-001", "P-002", "P-004"])
    assert_in_view(tablet, "start", "call-again", "requeue", "medical", "no-show")
    check_page(tablet, shots, "called-out-of-turn")

    # Put back in the queue: first in line again, and only once.
    tablet.locator("#requeue").tap()
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-003", "P-001", "P-002", "P-004"])
    tablet.locator("#call-next").tap()
    expect(tablet.locator("#current")).to_contain_text("Cai")
    expect(tablet.locator("#requeue")).to_be_hidden()

    # The session timer: how long the massage has run, against the service's length.
    tablet.locator("#start").tap()
    expect(tablet.locator("#session-clock")).to_have_text(re.compile(r"^0:0\d$"))
    expect(tablet.locator("#current")).to_contain_text("of 10 min")
    expect(tablet.locator("#session-bar")).to_be_visible()
    assert_in_view(tablet, "finish", "medical")
    check_page(tablet, shots, "in-treatment-timer")

    # Send to medical: a reason is asked for and logged, and the runner's phone says where to go.
    phone = devices.phone().new_page()
    phone.goto(f"/t/{tokens['P-003']}")
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")
    tablet.locator("#medical").tap()
    expect(tablet.locator("#medical-who")).to_contain_text("P-003 Cai")
    tablet.locator("#medical-send").tap()
    expect(tablet.locator("#medical-error")).to_have_text("Choose a reason.")
    tablet.locator("#medical-dialog label.option", has_text="Dizzy or faint").tap()
    tablet.locator("#medical-details").fill("pale, sweating")
    check_page(tablet, shots, "medical-reason")
    tablet.locator("#medical-send").tap()
    expect(tablet.locator("#current")).to_contain_text("Nobody called yet")
    expect(tablet.locator("#message")).to_contain_text("sent to the medical tent")
    expect(phone.locator("#ended-message")).to_have_text("Please go to the medical tent now.")
    expect(phone.locator("#medical-place")).to_have_text(
        "The medical tent is next to the finish area. Any volunteer can show you the way.")
    expect(phone.get_by_role("link", name="Join again")).to_be_hidden()  # sent to a doctor, not back to a queue
    check_page(phone, shots, "phone-sent-to-medical")
    check_page(tablet, shots, "after-medical")
    assert audit_details(server, "P-003") == [None, "picked out of turn, ahead of 2", None, None, None,
                                              "sent to medical: Dizzy or faint: pale, sweating"]
