"""One tap after the massage, in Chromium: three big faces and a comment, at 390×844 and at 320×568 with 200 %
text, in English and Japanese; sent once, then thanked. And the day's report printed on A4."""

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.organiser_pages import A4
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import pdf_pages
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import check_page
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

SMALL = {"viewport": {"width": 320, "height": 568}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}


def massaged(server, bib, language):
    """A runner who joined in `language` and whose massage is done: their ticket's address."""
    body = {"bib": str(bib), "first_name": "Runner", "service": "pre",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    ticket = requests.post(f"{server.url}/api/v1/events/demo/tickets", json=body, timeout=10,
                           headers={"Accept-Language": language}).json()
    staff = Staff(server.url)
    for action in ("call-next", "start", "finish"):
        assert staff.act(1, action).status_code == 200
    return f"/t/{ticket['token']}"


@pytest.mark.parametrize("size, text, language, words", [
    ("390x844", "normal", "en", {"ask": "How was it?", "thanks": "Thank you for telling us."}),
    ("320x568", "200%", "ja", {"ask": "いかがでしたか？", "thanks": "ご意見ありがとうございます。"}),
])
def test_how_was_it_is_one_tap_and_a_comment_once(devices, server, shots, size, text, language, words):
    address = massaged(server, 950 if language == "en" else 951, language)
    phone = devices._open(dict(PHONE if size == "390x844" else SMALL, locale=language)).new_page()
    phone.goto(address)
    expect(phone.locator("#state-done")).to_be_visible()
    expect(phone.locator("#feedback legend")).to_have_text(words["ask"])
    if text == "200%":
        phone.evaluate("document.documentElement.style.fontSize = '200%'")
    check_page(phone, shots, f"feedback-{language}-{size}-{text}")
    phone.locator("#feedback-send").click()  # no face chosen: the page says so, nothing is sent
    expect(phone.locator("#feedback-status")).not_to_be_empty()
    phone.locator(".face[data-rating='3']").click()
    expect(phone.locator(".face[data-rating='3']")).to_have_attribute("aria-pressed", "true")
    phone.locator("#feedback-comment").fill("Wonderful, thank you" if language == "en" else "とても良かったです")
    phone.locator("#feedback-send").click()
    expect(phone.locator("#feedback-thanks")).to_have_text(f"✓ {words['thanks']}")
    expect(phone.locator("#feedback")).to_be_hidden()
    phone.reload()  # once per ticket: the form does not come back
    expect(phone.locator("#feedback-thanks")).to_be_visible()
    expect(phone.locator("#feedback")).to_be_hidden()
    shots.take(phone, f"feedback-sent-{language}")
    report = Organiser(server.url).api("GET", "/report").json()
    assert (report["feedback"]["count"], report["feedback"]["3"]) == (1, 1)


def test_the_report_prints_every_section_on_a4(devices, server, shots):
    address = massaged(server, 952, "en")
    Organiser(server.url)  # the demo event's organiser exists
    join(server.url, 953)
    phone = devices._open(PHONE).new_page()
    phone.goto(address)
    phone.locator(".face[data-rating='2']").click()
    phone.locator("#feedback-send").click()
    expect(phone.locator("#feedback-thanks")).to_be_visible()
    paper = open_screen(devices, A4).new_page()
    sign_in_organiser(paper, "/e/demo/report")
    for section in ("outcomes", "walk-aways", "waits", "peaks", "tables", "team", "feedback", "next-year"):
        expect(paper.locator(f"#{section} h2")).to_be_visible()
    check_page(paper, shots, "report-screen")
    paper.emulate_media(media="print")
    pdf = paper.pdf(format="A4", print_background=True)
    (shots.folder / "report.pdf").write_bytes(pdf)
    # One section a page: runners, walk-aways, waits, peaks, tables, team, feedback, next year (the printing of a
    # longer day is tests/browser/test_report.py's).
    assert pdf_pages(pdf) == 8
