"""What a runner and a therapist do in the browser, and the checks every page must pass."""

import io
import re
from pathlib import Path

import requests
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.support.server import PIN

ROOT = Path(__file__).resolve().parents[2]
AXE = sorted((ROOT / "static" / "vendor").glob("axe-core-*.min.js"))[-1].name
MIN_TARGET_PX = 48
# Radio buttons are tapped through their label (label.option), which is the target that must be large.
CONTROLS = "a[href], button, input:not([type=hidden]):not([type=radio]), select, textarea, label.option"
NO = {"unwell": "no", "injury": "no", "medical_condition": "no"}


def qr_join_url(server, event="demo"):
    """The URL the event's QR code encodes, read from the PNG the app serves."""
    image = Image.open(io.BytesIO(requests.get(f"{server.url}/e/{event}/qr.png", timeout=10).content))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, f"expected one QR code, found {len(found)}"
    return found[0].text


def fill_join_form(page, bib, first_name, service="pre", screening=None):
    """Fill the join form as a runner taps it: bib, first name, service, the three questions."""
    page.locator("#bib").fill(str(bib))
    page.locator("#first_name").fill(first_name)
    if service:
        page.locator(f"input[name=service][value={service}]").tap()
    for key, answer in (screening or NO).items():
        page.locator(f"input[name=screening_{key}][value={answer}]").tap()


def submit_join(page):
    """Tap the join button and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name="Join the queue").tap()


def join_in_browser(page, url, bib, first_name, service="pre", screening=None):
    """Open the join URL, fill the form, submit, and wait for the live ticket page."""
    page.goto(url)
    fill_join_form(page, bib, first_name, service, screening)
    submit_join(page)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")


def sign_in(page, pin=PIN):
    """Open the staff page and sign in with the PIN."""
    page.goto("/e/demo/staff")
    page.locator("#pin").fill(pin)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def take_table(page, number):
    """Choose a table on the table-choice page and wait until its view is live."""
    with page.expect_navigation():
        page.locator(f"button[name=table][value='{number}']").click()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")


def set_visibility(page, state):
    """Emulate the phone's screen going off ("hidden") or on ("visible"), as the page sees it."""
    page.evaluate("""(state) => {
        for (const [name, value] of [["visibilityState", state], ["hidden", state === "hidden"]]) {
            Object.defineProperty(document, name, { configurable: true, get: () => value });
        }
        document.dispatchEvent(new Event("visibilitychange"));
    }""", state)


def load_axe(page):
    """Put axe-core into the page from our own server (same origin, so a strict CSP allows it), once."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=static_url(page, f"vendor/{AXE}"))


def static_url(page, path):
    """The address of a static file in the version the page uses (/static/<version>/<path>)."""
    version = page.evaluate("""() => {
        const named = document.querySelector('[href^="/static/"], [src^="/static/"]');
        return (named.getAttribute("href") || named.getAttribute("src")).split("/")[2];
    }""")
    return f"/static/{version}/{path}"


def assert_accessible(page):
    """Run axe-core in the page: no serious or critical violation."""
    load_axe(page)
    violations = page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ["violations"] });
        return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => ({ id: v.id, impact: v.impact, help: v.help, where: v.nodes.map((n) => n.target.join(" ")) }));
    }""")
    assert violations == [], f"accessibility problems on {page.url}: {violations}"


def assert_fits_touch(page):
    """Every visible control is at least 48 px each way, and nothing scrolls sideways."""
    small = page.evaluate("""([min, selector]) => [...document.querySelectorAll(selector)]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => ({ what: el.id || el.textContent.trim().slice(0, 30), box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width < min || box.height < min)
        .map(({ what, box }) => `${what}: ${Math.round(box.width)}×${Math.round(box.height)}`)""",
                          [MIN_TARGET_PX, CONTROLS])
    assert small == [], f"touch targets under {MIN_TARGET_PX} px on {page.url}: {small}"
    # A phone widens its layout viewport to fit what overflows, so compare with the screen's own width too.
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]") + [page.viewport_size["width"]]
    assert widths[0] <= min(widths[1:]), f"page scrolls sideways on {page.url}: {widths}"


def assert_no_scrolling(page):
    """The whole page fits the viewport (a tablet on a massage table must not need scrolling)."""
    sizes = page.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert sizes[0] <= sizes[1], f"page is taller than the screen on {page.url}: {sizes}"


def text_width_share(page, selector):
    """How much of the viewport's width the text of `selector` spans (0 to 1)."""
    return page.evaluate("""(selector) => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector(selector));
        return range.getBoundingClientRect().width / window.innerWidth;
    }""", selector)


def loaded_kilobytes(page, since=0):
    """What the page and everything it loaded weigh, as sent (a phone on a crowded tent Wi-Fi pays for each byte);
    `since` (performance.now() in ms) counts only what was fetched after it, e.g. a page shown in the same document."""
    return page.evaluate("""(since) => [...performance.getEntriesByType("navigation"),
                                        ...performance.getEntriesByType("resource")]
        .filter((entry) => entry.startTime >= since)
        .reduce((sum, entry) => sum + entry.encodedBodySize, 0) / 1024""", since)


def check_page(page, shots, label):
    """Screenshot the page, then run the checks every page passes: accessibility and touch targets."""
    shots.take(page, label)
    assert_accessible(page)
    assert_fits_touch(page)


def page_through(context, link):
    """A new page of browser `context` whose Socket.IO connections go through `link.route` (routed WebSockets)."""
    context.route_web_socket(re.compile(r"/socket\.io/"), link.route)
    return context.new_page()


class SleepyLink:
    """Sits on the phone's socket: while `asleep`, server events are lost, as a sleeping phone loses them;
    a connection that is `cut` silently loses everything, as a connection dead without a goodbye does."""

    def __init__(self):
        self.asleep = False
        self.lost = []
        self.connections = 0
        self.dead = set()

    def cut(self):
        """From now on the latest connection delivers nothing to the page, and tells it nothing either."""
        self.dead.add(self.connections)

    def route(self, page_socket):
        """Connect the page's socket to the real server, dropping what a sleeping or dead link would lose."""
        server_socket = page_socket.connect_to_server()
        self.connections += 1
        connection = self.connections

        def from_server(message):
            if connection in self.dead:
                self.lost.append(message)
                return
            # Engine.IO pings ("2") still pass, so the socket stays open: only events ("42…") are lost.
            if self.asleep and isinstance(message, str) and message.startswith("42"):
                self.lost.append(message)
                return
            page_socket.send(message)

        server_socket.on_message(from_server)


def words_broken_inside(page):
    """Every visible word whose letters run onto two lines ("massag / e"): each word of each shown text node is a
    Range, and a word on one line has all its boxes on one line."""
    return page.evaluate("""() => {
        const broken = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const parent = node.parentElement;
            if (!parent || !parent.offsetParent && getComputedStyle(parent).position !== "fixed") continue;
            if (parent.closest(".sr-only, [hidden], script")) continue;
            for (const match of node.data.matchAll(/[^\\s\\-‐‑–—·/]+/gu)) {
                const range = document.createRange();
                range.setStart(node, match.index);
                range.setEnd(node, match.index + match[0].length);
                const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
                const tops = new Set(boxes.map((r) => Math.round(r.top)));
                if (tops.size > 1) broken.push(match[0]);
            }
        }
        return broken;
    }""")
