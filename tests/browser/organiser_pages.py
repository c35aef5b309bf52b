"""What an organiser does in the browser: a laptop, a TV and an A4 page, signing in, and reading QR codes."""

import csv
import io
import re

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from tests.support.clients import ORGANISER_PASSWORD

LAPTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}
TV = {"viewport": {"width": 1920, "height": 1080}, "device_scale_factor": 1}
SMALL_TV = {"viewport": {"width": 1280, "height": 720}, "device_scale_factor": 1}
# A4 at 96 dpi: what the poster looks like before it is printed.
A4 = {"viewport": {"width": 794, "height": 1123}, "device_scale_factor": 1}
TABLET = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
SIZES = {"laptop": LAPTOP, "tablet": TABLET, "phone": PHONE}


def open_screen(devices, options):
    """A new browser context of the given size, watched like the fixture's phones and tablets.

    The shared `devices` fixture offers phones and tablets only; its `_open` is what they use, so
    laptops and TVs get the same check that no page reaches outside our server.
    """
    return devices._open(options)


def sign_in_organiser(page, going_to, password=ORGANISER_PASSWORD):
    """Open `going_to`, get sent to the sign-in form, type the password and land back on `going_to`."""
    page.goto(going_to)
    expect(page).to_have_url(re.compile(r"/admin/sign-in"))
    page.locator("#password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(going_to) + r"$"))


def open_dashboard(page, event="demo"):
    """Sign in and wait until the dashboard is live and has drawn its numbers."""
    sign_in_organiser(page, f"/e/{event}/dashboard")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live")
    expect(page.locator("#services .service-card").first).to_be_visible()


def waiting_count(page, service):
    """The big waiting number on a service's dashboard card."""
    return page.locator(f"#services [data-service={service}] .waiting-big strong")


def headline(page, key):
    """One headline figure of the dashboard (e.g. "done"), by its data-key."""
    return page.locator(f"#headline [data-key={key}] dd")


def table_card(page, number):
    """A table's card on the dashboard."""
    return page.locator(f"#tables [data-table='{number}']")


def mark_document(page):
    """Tag the page's document, so `same_document` can tell whether it was reloaded."""
    page.evaluate("window.sameDocument = true")


def same_document(page):
    """True if the page has not reloaded or navigated since `mark_document`."""
    return page.evaluate("window.sameDocument === true")


def qr_texts(png):
    """The texts of every QR code in a PNG screenshot."""
    return [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def csv_rows(path):
    """The rows of a downloaded CSV file, as dicts."""
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def visible_text(page):
    """All the text a person can see on the page."""
    return page.locator("body").inner_text()


def assert_no_sideways_scroll(page):
    """Nothing on the page is wider than the screen."""
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page scrolls sideways on {page.url}: {widths}"


def console_problems(page):
    """A list that fills with the page's console errors and uncaught exceptions (CSP refusals show up there)."""
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def pdf_pages(pdf):
    """How many pages a PDF made by Chromium has."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
