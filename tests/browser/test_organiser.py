"""The organiser's pages in Chromium: the live dashboard and its actions, the TV board, the poster and settings."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import A4
from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import SIZES
from tests.browser.organiser_pages import SMALL_TV
from tests.browser.organiser_pages import TV
from tests.browser.organiser_pages import assert_no_sideways_scroll
from tests.browser.organiser_pages import console_problems
from tests.browser.organiser_pages import csv_rows
from tests.browser.organiser_pages import headline
from tests.browser.organiser_pages import mark_document
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import pdf_pages
from tests.browser.organiser_pages import qr_texts
from tests.browser.organiser_pages import same_document
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.organiser_pages import table_card
from tests.browser.organiser_pages import visible_text
from tests.browser.organiser_pages import waiting_count
from tests.browser.pages import assert_accessible
from tests.browser.pages import fill_join_form
from tests.browser.pages import join_in_browser
from tests.browser.pages import submit_join
from tests.support.clients import ORGANISER_PASSWORD
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser
# Counts the tones the page asks the sound card for: the chime is three oscillators per ring.
COUNT_TONES = """
window.tones = 0;
const original = AudioContext.prototype.createOscillator;
AudioContext.prototype.createOscillator = function () { window.tones += 1; return original.call(this); };
"""


def test_dashboard_follows_a_runner_joining_and_a_table_working_without_reloading(devices, server, shots):
    """A join raises the waiting count; a call moves the runner to the table's card; a finish counts as done."""
    laptop = open_screen(devices, LAPTOP).new_page()
    open_dashboard(laptop)
    expect(waiting_count(laptop, "pre")).to_have_text("0")
    expect(headline(laptop, "done")).to_have_text("0")
    mark_document(laptop)
    shots.take(laptop, "empty")

    phone = devices.phone().new_page()
    join_in_browser(phone, f"{server.url}/e/demo/join", 4711, "Zoë")
    expect(waiting_count(laptop, "pre")).to_have_text("1")
    expect(laptop.locator("#waiting")).to_contain_text("P-001")
    expect(laptop.locator("#waiting")).to_contain_text("Zoë · bib 4711")
    expect(laptop.locator("#chart-waiting canvas")).to_have_count(1)
    shots.take(laptop, "one-waiting")

    staff = Staff(server.url)
    assert staff.act(2, "call-next").status_code == 200
    expect(table_card(laptop, 2)).to_contain_text("P-001 Zoë")
    expect(table_card(laptop, 2)).to_contain_text("called")
    expect(waiting_count(laptop, "pre")).to_have_text("0")
    shots.take(laptop, "called-to-table-2")

    assert staff.act(2, "start").status_code == 200
    expect(table_card(laptop, 2)).to_contain_text("massage started")
    assert staff.act(2, "finish").status_code == 200
    expect(headline(laptop, "done")).to_have_text("1")
    expect(table_card(laptop, 2)).not_to_contain_text("P-001")
    assert same_document(laptop), "the dashboard reloaded instead of updating live"
    for chart in ("chart-waiting", "chart-wait", "chart-rate"):
        expect(laptop.locator(f"#{chart} canvas")).to_have_count(1)
    shots.take(laptop, "done-1")
    assert_accessible(laptop)


def test_walk_in_gets_a_slip_whose_qr_opens_the_ticket_and_pause_and_announcement_reach_the_board(
        devices, server, shots):
    """The walk-in form answers with a slip link; pausing and announcing show on the board and the join form."""
    laptop = open_screen(devices, LAPTOP)
    dashboard = laptop.new_page()
    open_dashboard(dashboard)
    tv = open_screen(devices, TV).new_page()
    tv.goto("/e/demo/board")
    expect(tv.locator("#connection")).to_have_attribute("data-state", "live")
    mark_document(tv)

    result = dashboard.locator("#walkin-result")
    dashboard.locator("#walkin-name").fill("Walt")
    dashboard.get_by_role("button", name="Add to queue").click()
    expect(result).to_contain_text("bib")  # the refusal names the missing field
    dashboard.locator("#walkin-bib").fill("901")
    dashboard.get_by_label("Feeling unwell, dizzy or faint").check()
    dashboard.get_by_role("button", name="Add to queue").click()
    expect(result).to_contain_text("Not queued:")
    expect(result).to_contain_text("medical")
    expect(waiting_count(dashboard, "pre")).to_have_text("0")

    dashboard.get_by_label("Feeling unwell, dizzy or faint").uncheck()
    dashboard.locator("#walkin-bib").fill("900")
    dashboard.locator("#walkin-service").select_option("post")
    dashboard.get_by_role("button", name="Add to queue").click()
    expect(result).to_contain_text("R-001 added for Walt")
    expect(waiting_count(dashboard, "post")).to_have_text("1")
    shots.take(dashboard, "walk-in-added")
    slip_link = result.get_by_role("link", name="Print the ticket slip")
    token = re.fullmatch(r"/t/([^/]+)/slip", slip_link.get_attribute("href")).group(1)
    with laptop.expect_page() as opened:
        slip_link.click()
    slip = opened.value
    expect(slip.locator(".slip-number")).to_have_text("R-001")
    expect(slip.locator(".slip-qr")).to_be_visible()
    # A property check, not wait_for_function: its polling evaluates a string, which the CSP forbids.
    expect(slip.locator(".slip-qr")).to_have_js_property("complete", True)
    assert qr_texts(slip.locator(".slip-qr").screenshot()) == [f"{server.url}/t/{token}"]
    shots.take(slip, "slip")
    assert_accessible(slip)

    remove_button = "document.querySelector('[data-remove=\"R-001\"]')"
    dashboard.evaluate(f"{remove_button}.kept = true")
    asked = []
    dashboard.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    dashboard.get_by_role("button", name="Pause Pre-race massage").click()  # asks first; "Cancel" changes nothing
    expect(dashboard.locator("#services [data-service=pre] .badge")).to_have_text("open")
    assert asked and asked[0].startswith("Pause Pre-race massage?"), asked
    dashboard.once("dialog", lambda dialog: dialog.accept())
    dashboard.get_by_role("button", name="Pause Pre-race massage").click()
    expect(dashboard.locator("#services [data-service=pre] .badge")).to_have_text("paused")
    # A change elsewhere must not replace the button under the organiser's pointer: that loses the click.
    assert dashboard.evaluate(f"{remove_button}.kept === true"), "the waiting list was redrawn for nothing"
    expect(tv.locator("#next")).to_contain_text("Pre-race massage is paused")
    phone = devices.phone().new_page()
    phone.goto("/e/demo/join")
    expect(phone.locator("input[name=service][value=pre]")).to_be_disabled()
    expect(phone.locator("label.option", has_text="Pre-race massage")).to_contain_text("paused")
    shots.take(dashboard, "pre-paused")

    dashboard.locator("#announce-text").fill("Post-race massage moves to tent B at 14:00")
    dashboard.get_by_role("button", name="Send").click()
    expect(dashboard.locator("#announce-result")).to_have_text("Sent to every phone and the board.")
    expect(tv.locator("#announcement")).to_have_text("Post-race massage moves to tent B at 14:00")
    assert same_document(tv), "the board reloaded instead of updating live"
    shots.take(tv, "board-paused-with-announcement", full_page=False)

    dashboard.locator("#announce-text").fill("")
    dashboard.get_by_role("button", name="Send").click()
    expect(dashboard.locator("#announce-result")).to_have_text("Cleared.")
    expect(tv.locator("#announcement")).to_be_hidden()

    dashboard.once("dialog", lambda dialog: dialog.accept())
    dashboard.get_by_role("button", name="Remove R-001 from the queue").click()
    expect(waiting_count(dashboard, "post")).to_have_text("0")
    expect(dashboard.locator("#waiting")).not_to_contain_text("R-001")
    expect(tv.locator("#next")).not_to_contain_text("R-001")


def test_organiser_signs_in_and_creates_an_event(devices, server, shots):
    """A wrong password is refused at its field; a new event needs a valid PIN and opens on its settings."""
    page = open_screen(devices, LAPTOP).new_page()
    page.goto("/admin")
    page.locator("#password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#password-error")).to_have_text("That password is not right.")
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    shots.take(page, "wrong-password")
    page.locator("#password").fill(ORGANISER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("h1")).to_have_text("Events")

    page.locator("#name").fill("Lakeside Half")
    page.locator("#slug").fill("demo")
    page.locator("#tables").fill("4")
    page.locator("#pin").fill("12")
    page.get_by_role("button", name="Create event").click()
    assert page.locator("#pin").evaluate("(input) => input.validity.patternMismatch"), "a short PIN should be refused"
    expect(page).to_have_url(re.compile(r"/admin$"))
    page.locator("#pin").fill("135790")
    page.get_by_role("button", name="Create event").click()
    expect(page.locator("#slug")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#slug")).to_be_focused()
    expect(page.locator("[role=alert]")).to_have_text("An event with this short name exists already.")
    expect(page.locator("#name")).to_have_value("Lakeside Half")
    shots.take(page, "slug-taken")
    page.locator("#slug").fill("lakeside")
    page.locator("#pin").fill("135790")
    page.get_by_role("button", name="Create event").click()
    expect(page).to_have_url(re.compile(r"/e/lakeside/settings$"))
    expect(page.locator("h1")).to_contain_text("Lakeside Half")
    expect(page.locator("#table .table-form")).to_have_count(4)
    shots.take(page, "created")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(waiting_count(page, "pre")).to_have_text("0")


@pytest.mark.parametrize("size", [TV, SMALL_TV], ids=["1920x1080", "1280x720"])
def test_tv_board_shows_who_is_called_to_which_table_without_names_or_bibs(devices, server, shots, size):
    """A call appears under "Now serving" live, large; the next numbers follow; no name or bib is ever shown."""
    names = ("Zoë", "Aarav", "Maëlle", "Ines", "Kofi", "Liam", "Mia", "Noor", "Olu", "Pia", "Quinn", "Rosa", "Sven")
    runners = [(4711 + index, name) for index, name in enumerate(names)]
    for bib, name in runners:
        assert join(server.url, bib, name).status_code == 201
    tv = open_screen(devices, size).new_page()
    tv.add_init_script(COUNT_TONES)
    tv.goto("/e/demo/board")
    expect(tv.locator("#connection")).to_have_attribute("data-state", "live")
    expect(tv.locator("#serving")).to_contain_text("Nobody called right now.")
    expect(tv.locator("#next")).to_contain_text("P-001")
    mark_document(tv)
    tv.get_by_role("button", name="Click once for sound and voice").click()
    expect(tv.locator("#sound-status")).to_have_text("🔊 Calls are chimed and spoken")
    tones_before = tv.evaluate("window.tones")
    shots.take(tv, "three-waiting", full_page=False)

    staff = Staff(server.url)
    staff.act(3, "call-next")
    staff.act(5, "call-next")
    serving = tv.locator("#serving .serving-row")
    expect(serving).to_have_count(2)
    expect(serving.filter(has_text="P-001")).to_contain_text("Table 3")
    expect(serving.filter(has_text="P-002")).to_contain_text("Table 5")
    expect(tv.locator("#next .next-number")).to_have_text(["P-003", "P-004", "P-005", "P-006", "P-007"])
    assert tv.evaluate("window.tones") > tones_before, "a call should ring the chime"
    assert same_document(tv), "the board reloaded instead of updating live"
    number_height = tv.locator(".serving-number").first.bounding_box()["height"]
    assert number_height >= size["viewport"]["height"] / 20, f"called numbers are too small: {number_height}px"
    # A property check, not wait_for_function: its polling evaluates a string, which the CSP forbids.
    expect(tv.locator(".tv-qr")).to_have_js_property("complete", True)
    assert qr_texts(tv.screenshot()) == [f"{server.url}/e/demo/join"]
    shots.take(tv, "two-called", full_page=False)

    # A busy moment: six more tables open, every table calls, one massage starts, and there is an announcement.
    organiser = Organiser(server.url)
    for table in range(7, 13):
        organiser.form("/e/demo/settings/table-add", {"number": table, "services": "pre"}, page="/e/demo/settings")
    for table in (1, 2, 4, 6, *range(7, 13)):
        assert staff.act(table, "call-next").status_code == 200
    assert staff.act(3, "start").status_code == 200
    organiser.api("PUT", "/announcement", {"text": "Post-race massage opens at 11:00"})
    expect(tv.locator("#announcement")).to_have_text("Post-race massage opens at 11:00")
    expect(tv.locator("#treating")).to_have_text("P-001 → 3")
    expect(serving).to_have_count(11)
    expect(serving.first).to_contain_text("P-012")  # the newest call is on top
    expect(serving.first).to_contain_text("Table 12")
    expect(serving.first).to_be_in_viewport()
    assert tv.evaluate("document.documentElement.scrollHeight <= innerHeight"), "a TV cannot scroll"
    shown = tv.evaluate("""[...document.querySelectorAll('#serving .serving-row')]
        .filter((row) => !row.hidden).map((row) => row.getBoundingClientRect().bottom <= innerHeight)""")
    # Eleven calls close up into columns (tests/browser/test_tv_board_busy.py has twenty, and more than fit).
    assert len(shown) == 11 and all(shown), f"calls shown whole on the screen: {shown}"
    expect(tv.locator("#also-called")).to_be_hidden()
    assert_no_sideways_scroll(tv)
    text = visible_text(tv)
    for bib, name in runners:
        assert name not in text and not re.search(rf"\b{bib}\b", text), f"the board shows {name} or bib {bib}"
    shots.take(tv, "busy", full_page=False)
    assert_accessible(tv)


def test_poster_qr_read_from_the_screen_is_the_join_url_and_printing_hides_the_buttons(devices, server, shots):
    """The A4 poster's QR code, decoded from a screenshot, opens the join page; print shows the poster alone."""
    page = open_screen(devices, A4).new_page()
    page.goto("/e/demo/poster")
    expect(page.locator(".poster-qr")).to_have_js_property("complete", True)
    assert qr_texts(page.screenshot()) == [f"{server.url}/e/demo/join"]
    page.goto("/e/demo/poster?service=pre")
    expect(page.locator("h1")).to_have_text("Pre-race massage")
    # A property check, not wait_for_function: its polling evaluates a string, which the CSP forbids.
    expect(page.locator(".poster-qr")).to_have_js_property("complete", True)
    shots.take(page, "screen", full_page=False)
    # A service's own poster opens the join page with that service chosen (issue 20).
    assert qr_texts(page.screenshot()) == [f"{server.url}/e/demo/join?service=pre"]
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(page.locator("#print")).to_be_hidden()
    expect(page.get_by_role("link", name="Poster for Post-race massage")).to_be_hidden()
    shots.take(page, "print", full_page=False)
    assert qr_texts(page.screenshot()) == [f"{server.url}/e/demo/join?service=pre"]
    assert pdf_pages(page.pdf(prefer_css_page_size=True)) == 1, "the poster should print on one A4 page"
    # It fills its page: A4 less its 10 mm margins is 718 x 1047 px at 96 dpi (the bottom of it was empty).
    page.set_viewport_size({"width": 718, "height": 1047})
    shots.take(page, "print-area", full_page=False)
    bottom = page.locator(".poster-medical").bounding_box()
    assert bottom["y"] + bottom["height"] > 0.97 * 1047, f"the poster ends at {bottom['y'] + bottom['height']:.0f} px"
    assert page.evaluate("document.documentElement.scrollHeight") <= 1047
    assert qr_texts(page.screenshot()) == [f"{server.url}/e/demo/join?service=pre"]

    phone = devices.phone().new_page()
    phone.goto("/e/demo/join?service=pre")
    expect(phone.locator("input[name=service][value=pre]")).to_be_checked()
    expect(phone.locator("input[name=service][value=post]")).not_to_be_checked()


def test_settings_import_a_start_list_export_the_day_and_purge_names(devices, server, shots, tmp_path):
    """Import checks bibs at the join form; export downloads every move; purge needs the slug and erases names."""
    start_list = tmp_path / "start.csv"
    start_list.write_text("bib,first_name,last_name\n101,Élodie,Durand\n102,Anne-Marie,O'Neil\n", encoding="utf-8")
    page = open_screen(devices, LAPTOP).new_page()
    sign_in_organiser(page, "/e/demo/settings")
    page.locator("#file").set_input_files(start_list)
    with page.expect_navigation():
        page.get_by_role("button", name="Import start list").click()
    notice = page.locator("p.notice[role=status]")
    expect(notice).to_have_text("Start list imported: 2 runners.")
    expect(notice).to_be_in_viewport()  # the page comes back scrolled to the start list: the message must follow
    expect(page.locator("#start-list")).to_contain_text("2 runners loaded")
    shots.take(page, "start-list-imported", full_page=False)

    phone = devices.phone().new_page()
    phone.goto("/e/demo/join")
    fill_join_form(phone, 555, "Ana")
    submit_join(phone)
    expect(phone.locator("#bib")).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#bib-error")).to_be_visible()
    shots.take(phone, "unknown-bib")
    phone.locator("#bib").fill("101")
    phone.locator("#first_name").fill("Élodie")
    submit_join(phone)
    expect(phone.locator("#ticket-number")).to_have_text("P-001")
    staff = Staff(server.url)
    for action in ("call-next", "start", "finish"):
        assert staff.act(1, action).status_code == 200

    page.get_by_role("link", name="Export and erase").click()
    expect(page.get_by_role("link", name="Export the day as CSV")).to_be_in_viewport()
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Export the day as CSV").click()
    download = downloading.value
    assert download.suggested_filename == "demo-tickets.csv"
    rows = csv_rows(download.path())
    assert [r["to_status"] for r in rows] == ["waiting", "called", "in_treatment", "done"]
    assert {(r["bib"], r["first_name"]) for r in rows} == {("101", "Élodie")}
    assert "Élodie" in download.path().read_text(encoding="utf-8-sig")

    page.locator("#confirm").fill("not-the-slug")
    with page.expect_navigation():
        page.get_by_role("button", name="Erase personal data").click()
    expect(page.locator("#purge-error")).to_have_text("Type demo to confirm.")
    expect(page.locator("#confirm")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#confirm")).to_be_focused()
    expect(page.locator("#purge-error")).to_be_in_viewport()
    shots.take(page, "purge-refused", full_page=False)
    page.locator("#confirm").fill("demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Erase personal data").click()
    expect(notice).to_have_text("Personal data erased. Anonymous counts are kept.")
    expect(notice).to_be_in_viewport()
    shots.take(page, "purged", full_page=False)

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Export the day as CSV").click()
    after = csv_rows(downloading.value.path())
    assert [r["to_status"] for r in after] == ["waiting", "called", "in_treatment", "done"]
    assert {(r["bib"], r["first_name"]) for r in after} == {("", "")}, "names and bibs should be gone"
    assert "Élodie" not in downloading.value.path().read_text(encoding="utf-8-sig")


def test_organiser_pages_read_well_on_laptop_tablet_and_phone(devices, server, shots):
    """Every organiser page, with a day in progress, at three sizes: no serious accessibility problem, no sideways
    scrolling, and nothing in the console (a strict CSP reports what it blocks there)."""
    for bib, name in ((11, "Ada"), (12, "Ben"), (13, "Cleo")):
        join(server.url, bib, name)
    Staff(server.url).act(1, "call-next")
    walk_in = None
    for label, size in SIZES.items():
        page = open_screen(devices, size).new_page()
        problems = console_problems(page)
        page.goto("/admin/sign-in")
        shots.take(page, f"{label}-sign-in")
        assert_accessible(page)
        open_dashboard(page)
        expect(table_card(page, 1)).to_contain_text("P-001")
        expect(page.locator("#waiting")).to_contain_text("P-002")
        if walk_in is None:
            page.locator("#walkin-bib").fill("900")
            page.locator("#walkin-name").fill("Walt")
            page.get_by_role("button", name="Add to queue").click()
            walk_in = page.locator("#walkin-result a").get_attribute("href")
            expect(waiting_count(page, "pre")).to_have_text("3")
        pages = {"dashboard": "/e/demo/dashboard", "events": "/admin", "settings": "/e/demo/settings",
                 "board": "/e/demo/board", "poster": "/e/demo/poster", "slip": walk_in}
        for name, path in pages.items():
            if page.url != server.url + path:
                page.goto(path)
            if name in ("dashboard", "board"):
                expect(page.locator("#connection")).to_have_attribute("data-state", "live")
            shots.take(page, f"{label}-{name}")
            assert_accessible(page)
            assert_no_sideways_scroll(page)
        assert problems == [], f"errors in the console at {label} size: {problems}"


def test_removing_a_table_asks_first_and_cancel_keeps_it(devices, server):
    page = open_screen(devices, LAPTOP).new_page()
    sign_in_organiser(page, "/e/demo/settings")
    remove = page.locator("form", has=page.locator("legend", has_text="Table 2")).get_by_role("button", name="Remove")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    remove.click()
    assert asked == ["Remove table 2? Its tablet can no longer call runners to it."]
    expect(page.locator("legend", has_text="Table 2")).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        remove.click()
    expect(page.locator("p.notice[role=status]")).to_have_text("Table 2 removed.")
    expect(page.locator("legend", has_text="Table 2")).to_have_count(0)
