"""The organiser's dashboard on a phone (issue 20): with sixty runners waiting, the walk-in and announcement forms
are one tap away, no word breaks in the middle, the queue's rows stay compact, and every control is still a thumb's
size; at 320 px with the text doubled too."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import LAPTOP
from tests.browser.organiser_pages import assert_no_sideways_scroll
from tests.browser.organiser_pages import open_dashboard
from tests.browser.organiser_pages import open_screen
from tests.support.clients import join

pytestmark = pytest.mark.browser
SMALL_PHONE = {"viewport": {"width": 320, "height": 568}, "has_touch": True, "is_mobile": True,
               "device_scale_factor": 1}
# The height of the page before (issue 20): 17,400 px with many waiting runners, four buttons under each.
OLD_HEIGHT = 17_400

# Every word of every text a person reads, and whether its letters sit on more than one line: "Men/u", "OPE/N".
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const box = node.parentElement;
    if (!box || !box.getClientRects().length || box.closest("[hidden], .sr-only, script")) continue;
    const style = getComputedStyle(box);
    if (style.visibility === "hidden" || style.textOverflow === "ellipsis") continue;
    for (const match of node.textContent.matchAll(/[^\\s\\-–·/]+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(`${match[0]} (in ${box.tagName.toLowerCase()}.${box.className})`);
    }
  }
  return broken;
}"""

SMALL_TARGETS = """() => [...document.querySelectorAll("button, a, summary, select, input")]
  .filter((e) => e.getClientRects().length && !e.closest("[hidden]") && getComputedStyle(e).visibility !== "hidden")
  .map((e) => [e, e.getBoundingClientRect()])
  .filter(([e, r]) => (r.height < 47.5 || r.width < 47.5) && !(e.type === "checkbox" && e.closest("label.check")))
  .map(([e, r]) => `${e.tagName.toLowerCase()} ${e.id || e.textContent.trim().slice(0, 30)} `
    + `${Math.round(r.width)}x${Math.round(r.height)}`)"""


def sixty_waiting(server):
    """Thirty runners waiting for each massage."""
    for n in range(60):
        answer = join(server.url, 300 + n, f"Runner{n:02d}", service="pre" if n % 2 else "post")
        assert answer.status_code == 201, answer.text


def page_height(page):
    """How tall the whole page is, in CSS pixels."""
    return page.evaluate("document.documentElement.scrollHeight")


def test_with_sixty_waiting_the_phone_reaches_walk_in_and_announcement_in_one_tap(devices, server, shots):
    sixty_waiting(server)
    page = devices.phone().new_page()
    open_dashboard(page)
    expect(page.locator("#waiting .w-number")).to_have_count(60)
    shots.take(page, "first-screen", full_page=False)
    shots.take(page, "whole-page")
    page.get_by_role("link", name="Waiting").tap()
    shots.take(page, "queue", full_page=False)

    assert page.evaluate(BROKEN_WORDS) == []
    assert page.evaluate(SMALL_TARGETS) == []
    assert_no_sideways_scroll(page)
    height = page_height(page)
    assert height < OLD_HEIGHT / 2.5, f"the dashboard is {height} px tall on a phone"

    # One tap on the first screen takes the organiser to the walk-in form, ready to type.
    jump = page.get_by_role("link", name="Walk-in")
    expect(jump).to_be_in_viewport()
    jump.tap()
    expect(page.locator("#walkin-bib")).to_be_in_viewport()
    shots.take(page, "walk-in", full_page=False)
    page.locator("#walkin-bib").fill("999")
    page.locator("#walkin-name").fill("Walt")
    page.get_by_role("button", name="Add to queue").tap()
    expect(page.locator("#walkin-result")).to_contain_text("added for Walt")

    page.evaluate("window.scrollTo(0, 0)")
    announce = page.get_by_role("link", name="Announcement")
    expect(announce).to_be_in_viewport()
    announce.tap()
    expect(page.locator("#announce-text")).to_be_in_viewport()

    # A waiting runner's actions are one "…" away, each still a thumb's size and saying whom it acts on.
    row = page.locator("#waiting [data-service=pre] li").nth(2)
    expect(row.get_by_role("button", name="Remove P-003 from the queue")).to_be_hidden()
    row.locator("summary").tap()
    expect(row.get_by_role("button", name="Remove P-003 from the queue")).to_be_visible()
    expect(row.get_by_role("button", name="Move P-003 to front of the queue")).to_be_visible()
    shots.take(page, "row-actions", full_page=False)
    assert page.evaluate(SMALL_TARGETS) == []
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Move P-003 to front of the queue").tap()
    expect(page.locator("#waiting [data-service=pre] .w-number").first).to_have_text("P-003")


def test_a_small_phone_breaks_no_word_and_with_doubled_text_no_control_word(devices, server, shots):
    sixty_waiting(server)
    page = open_screen(devices, SMALL_PHONE).new_page()
    open_dashboard(page)
    expect(page.locator("#waiting .w-number")).to_have_count(60)
    shots.take(page, "first-screen", full_page=False)
    assert page.evaluate(BROKEN_WORDS) == []
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Walk-in")).to_be_in_viewport()

    # 200 % text: the stylesheets size everything from the root's 20 px (set here through the CSSOM, which the
    # page's content security policy allows). A heading's long word may then be wider than the whole screen and
    # break; a button's, a link's, a badge's or the menu's may not, and nothing scrolls sideways.
    page.evaluate("document.documentElement.style.setProperty('font-size', '40px')")
    shots.take(page, "doubled-first-screen", full_page=False)
    shots.take(page, "doubled-whole-page")
    controls = [word for word in page.evaluate(BROKEN_WORDS)
                if word.split(" (in ")[1].startswith(("button", "a.", "summary", "span.badge", "select", "label"))]
    assert controls == []
    assert_no_sideways_scroll(page)
    expect(page.get_by_role("link", name="Walk-in")).to_be_in_viewport()


def test_a_tablet_and_a_laptop_keep_the_whole_dashboard_open(devices, server, shots):
    sixty_waiting(server)
    for size in ({"viewport": {"width": 1024, "height": 768}, "has_touch": True, "device_scale_factor": 1}, LAPTOP):
        page = open_screen(devices, size).new_page()
        open_dashboard(page)
        expect(page.locator("#waiting .w-number")).to_have_count(60)
        shots.take(page, f"{size['viewport']['width']}-whole-page")
        assert page.evaluate(BROKEN_WORDS) == []
        assert page.evaluate(SMALL_TARGETS) == []
        # Wide enough for the row's buttons: they show, no "…" to open.
        expect(page.get_by_role("button", name="Remove P-003 from the queue")).to_be_visible()
