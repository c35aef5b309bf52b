"""The therapist's tablet: sign-in, a server that goes away and comes back, a screen that stays on, home screen."""

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.pages import SleepyLink
from tests.browser.pages import assert_no_scrolling
from tests.browser.pages import check_page
from tests.browser.pages import load_axe
from tests.browser.pages import page_through
from tests.browser.pages import set_visibility
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser


def test_wrong_pin_is_refused_at_the_field_and_the_right_one_lets_the_therapist_choose_a_table(devices, shots):
    """A wrong PIN shows why next to the field; the right one leads to the tables, then the table's live view."""
    tablet = devices.tablet().new_page()
    tablet.goto("/e/demo/staff")
    check_page(tablet, shots, "sign-in")
    sign_in(tablet, pin="111111")
    expect(tablet.locator(".field:has(#pin) .field-error")).to_have_text("That PIN is not right. Try again.")
    expect(tablet.locator("#pin")).to_have_attribute("aria-describedby", "pin-error")
    check_page(tablet, shots, "sign-in-wrong-pin")
    sign_in(tablet)
    expect(tablet.locator("h1")).to_have_text("Which table are you at?")
    check_page(tablet, shots, "tables")
    take_table(tablet, 4)
    expect(tablet.locator("h1")).to_have_text("Table 4")
    assert_no_scrolling(tablet)
    check_page(tablet, shots, "table-4-empty")


def test_tablet_shows_it_is_reconnecting_while_the_server_is_away_and_catches_up_by_itself(devices, server, shots):
    """Stop the server: the tablet says so. Start it again: the tablet goes live with the queue as it now is."""
    for bib, name in ((501, "Ida"), (502, "Jon")):
        join(server.url, bib, name)
    tablet = devices.tablet().new_page()
    sign_in(tablet)
    take_table(tablet, 1)
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-001", "P-002"])
    load_axe(tablet)  # while the server can still send it

    server.stop()
    connection = tablet.locator("#connection")
    expect(connection).to_have_attribute("data-state", "reconnecting")
    expect(connection).to_have_text("Reconnecting…")
    expect(connection).to_be_visible()
    check_page(tablet, shots, "server-gone-reconnecting")

    server.start()
    # Changes made right after the restart, maybe before the tablet is back: it must end up showing them.
    join(server.url, 503, "Kim")
    assert Staff(server.url).act(2, "call-next").status_code == 200
    expect(connection).to_have_attribute("data-state", "live")
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-002", "P-003"])
    check_page(tablet, shots, "back-live-caught-up")

    tablet.locator("#call-next").tap()
    expect(tablet.locator("#current")).to_contain_text("Jon")
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-003"])
    shots.take(tablet, "called-after-restart")


def test_call_next_pressed_on_a_stale_list_is_refused_and_the_list_catches_up(devices, server, shots):
    """A tablet that missed an update still shows P-001 next; Call next says so instead of calling someone unseen."""
    for bib, name in ((601, "Noa"), (602, "Oli")):
        join(server.url, bib, name)
    link = SleepyLink()
    tablet = page_through(devices.tablet(), link)
    sign_in(tablet)
    take_table(tablet, 1)
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-001", "P-002"])

    link.asleep = True  # the tablet's updates go missing
    assert Staff(server.url).act(2, "call-next").json()["ticket"]["number"] == "P-001"
    while not any('"staff"' in message for message in link.lost):
        tablet.wait_for_timeout(50)
    link.asleep = False
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-001", "P-002"])  # stale

    tablet.locator("#call-next").tap()
    expect(tablet.locator("#message")).to_contain_text(re.compile(r"P.001 is no longer next"))  # non-breaking hyphen
    expect(tablet.locator("#upcoming .up-number")).to_have_text(["P-002"])  # resynced after the refusal
    expect(tablet.locator("#current")).not_to_contain_text("P-00")
    check_page(tablet, shots, "refused-and-caught-up")

    tablet.locator("#call-next").tap()
    expect(tablet.locator("#current")).to_contain_text("Oli")
    shots.take(tablet, "called-the-runner-it-showed")


def test_tablet_keeps_its_screen_on_and_takes_the_lock_again_after_being_hidden(devices, server, shots):
    """With the Screen Wake Lock API allowed, the table view holds a lock, and takes it again when shown again."""
    context = devices.tablet()
    tablet = context.new_page()
    cdp = context.new_cdp_session(tablet)
    cdp.send("Browser.setPermission", {"permission": {"name": "screen-wake-lock"}, "setting": "granted",
                                       "origin": server.url})
    sign_in(tablet)
    take_table(tablet, 2)
    wake = tablet.locator("#wake")
    expect(wake).to_have_attribute("data-state", "on")
    expect(wake).to_have_text("Screen stays on")
    shots.take(tablet, "screen-stays-on")

    set_visibility(tablet, "hidden")
    expect(wake).to_have_attribute("data-state", "off")
    set_visibility(tablet, "visible")
    expect(wake).to_have_attribute("data-state", "on")

    tablet.set_viewport_size({"width": 768, "height": 1024})  # the same tablet held upright
    check_page(tablet, shots, "upright")


def test_staff_pages_can_be_added_to_a_tablet_home_screen(devices, server):
    """Every staff page links a web app manifest that Chromium parses without errors, with PNG icons that load."""
    context = devices.tablet()
    tablet = context.new_page()
    cdp = context.new_cdp_session(tablet)
    tablet.goto("/e/demo/staff")
    manifests = [cdp.send("Page.getAppManifest")]
    sign_in(tablet)
    manifests.append(cdp.send("Page.getAppManifest"))
    take_table(tablet, 1)
    manifests.append(cdp.send("Page.getAppManifest"))
    for manifest in manifests:
        assert re.fullmatch(rf"{server.url}/static/[0-9a-f]{{12}}/manifest.webmanifest", manifest["url"])
        assert manifest["errors"] == []
    app = manifests[-1]["manifest"]
    assert app["display"] == "kStandalone"
    # With no start_url, the app opens the page it was added from: this event's staff page.
    assert app["startUrl"] == tablet.url
    assert app["scope"] == f"{server.url}/"
    icons = [(int(icon["sizes"].split("x")[0]), icon["url"]) for icon in app["icons"]]
    assert {192, 512} <= {size for size, _ in icons}
    for size, url in icons:
        answer = tablet.request.get(url)
        assert answer.ok, url
        image = Image.open(io.BytesIO(answer.body()))
        assert image.format == "PNG" and image.size == (size, size), url
