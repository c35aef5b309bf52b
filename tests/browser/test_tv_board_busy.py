"""The TV board on a busy day: twenty tables calling at once are all shown, readable, on a 1280x720 TV; past what
fits, the oldest calls fold into one line."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import SMALL_TV
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import assert_accessible
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

def test_twenty_tables_calling_at_once_are_all_shown_and_readable_on_a_720p_tv(devices, server, shots):
    organiser = Organiser(server.url)
    for table in range(7, 21):
        organiser.form("/e/demo/settings/table-add", {"number": table, "services": "pre"}, page="/e/demo/settings")
    for bib in range(1, 26):
        join(server.url, 900 + bib)
    organiser.api("PUT", "/announcement", {"text": "Post-race massage opens at 11:00"})
    tv = open_screen(devices, SMALL_TV).new_page()
    tv.goto("/e/demo/board")
    expect(tv.locator("#connection")).to_have_attribute("data-state", "live")
    staff = Staff(server.url)
    for table in range(1, 21):
        assert staff.act(table, "call-next").status_code == 200
    serving = tv.locator("#serving .serving-row")
    expect(serving).to_have_count(20)
    expect(serving.first).to_contain_text("P-020")
    expect(tv.locator("#also-called")).to_be_hidden()  # nobody folded away: every call has its own tile
    assert tv.evaluate("document.documentElement.scrollHeight <= innerHeight"), "a TV cannot scroll"
    boxes = tv.evaluate("""[...document.querySelectorAll('#serving .serving-row')].map((row) => {
        const box = row.getBoundingClientRect();
        const number = row.querySelector('.serving-number').getBoundingClientRect();
        return { bottom: box.bottom, right: box.right, height: number.height, hidden: row.hidden };
    })""")
    assert all(not b["hidden"] and b["bottom"] <= 720 and b["right"] <= 1280 for b in boxes), boxes
    assert min(b["height"] for b in boxes) >= 720 / 20, f"numbers too small to read across a tent: {boxes}"
    shots.take(tv, "twenty-tables-called", full_page=False)
    assert_accessible(tv)

    # Past what three columns hold, the oldest calls fold into one line; the newest keep their tiles.
    for table in range(21, 33):
        organiser.form("/e/demo/settings/table-add", {"number": table, "services": "pre"}, page="/e/demo/settings")
        join(server.url, 1000 + table)
        assert staff.act(table, "call-next").status_code == 200
    expect(tv.locator("#also-called")).to_contain_text("P-001 → table 1")
    expect(tv.locator("#also-called")).to_be_in_viewport()
    expect(serving.first).to_contain_text("P-032")
    expect(serving.first).to_be_in_viewport()
    assert tv.evaluate("document.documentElement.scrollHeight <= innerHeight"), "a TV cannot scroll"
    shots.take(tv, "thirty-two-tables-called", full_page=False)
