"""The tent's people in Chromium: a tablet signs in by name at 1024×768 and held upright at 768×1024, speaks the
language of the person chosen (German, Japanese), calls and finishes; the organiser's team page and a printed
hours page."""

import pytest
from playwright.sync_api import expect

from tests.browser.organiser_pages import A4
from tests.browser.organiser_pages import open_screen
from tests.browser.organiser_pages import sign_in_organiser
from tests.browser.pages import check_page
from tests.browser.pages import sign_in
from tests.browser.pages import take_table
from tests.support.clients import Organiser
from tests.support.clients import join

pytestmark = pytest.mark.browser

UPRIGHT = {"viewport": {"width": 768, "height": 1024}, "has_touch": True, "device_scale_factor": 1}
LANDSCAPE = {"viewport": {"width": 1024, "height": 768}, "has_touch": True, "device_scale_factor": 1}
PEOPLE = (("Anna Schmidt", "therapist", "de"), ("田中ゆい", "student", "ja"), ("Lena Berg", "supervisor", ""))


def roster(server):
    """Three people on the demo event's roster, added on the team page."""
    organiser = Organiser(server.url)
    for name, role, language in PEOPLE:
        answer = organiser.form("/e/demo/team/add", {"name": name, "role": role, "language": language},
                                page="/e/demo/team")
        assert answer.status_code == 200, answer.text[:300]
    return organiser


@pytest.mark.parametrize("size, person, words", [
    ("1024x768", "Anna Schmidt", {"lang": "de", "table": "Tisch 4", "call": "Nächste aufrufen"}),
    ("768x1024", "田中ゆい", {"lang": "ja", "table": "4番テーブル", "call": "次を呼ぶ"}),
])
def test_a_tablet_signs_in_by_name_and_speaks_the_persons_language(devices, server, shots, size, person, words):
    roster(server)
    join(server.url, 901)
    tablet = devices._open(LANDSCAPE if size == "1024x768" else UPRIGHT).new_page()
    sign_in(tablet)
    expect(tablet.locator("#people-list li")).to_have_count(3)
    tablet.locator("#people-search").fill(person[:2])  # the roster narrows as the name is typed
    expect(tablet.locator("#people-list li:visible")).to_have_count(1)
    tablet.locator("label.person", has_text=person).click()
    check_page(tablet, shots, f"who-is-here-{size}")
    take_table(tablet, 4)
    expect(tablet.locator("html")).to_have_attribute("lang", words["lang"])
    expect(tablet.locator("h1")).to_have_text(f"{person} · {words['table']}")
    expect(tablet.locator("#call-next")).to_have_text(words["call"])
    tablet.locator("#call-next").click()
    expect(tablet.locator("#current")).to_contain_text("P-001")
    check_page(tablet, shots, f"table-{words['lang']}-{size}")


def test_two_people_at_a_table_and_a_shift_change_in_two_taps(devices, server, shots):
    roster(server)
    tablet = devices._open(LANDSCAPE).new_page()
    sign_in(tablet)
    for name in ("田中ゆい", "Lena Berg"):  # a student and her supervisor
        tablet.locator("label.person", has_text=name).click()
    expect(tablet.locator("label.person", has_text="Anna Schmidt").locator("input")).to_be_disabled()  # two at most
    take_table(tablet, 2)
    expect(tablet.locator("#who")).to_have_text("田中ゆい + Lena Berg · ")
    tablet.locator("a[href='/e/demo/staff']").click()  # "Change who or where", in the tablet's language
    for name in ("田中ゆい", "Lena Berg"):
        expect(tablet.locator("label.person", has_text=name)).to_contain_text("2")  # where they are now
    tablet.locator("label.person", has_text="Anna Schmidt").click()  # tap 1: who (the others make way)
    take_table(tablet, 2)  # tap 2: the same table
    expect(tablet.locator("h1")).to_have_text("Anna Schmidt · Tisch 2")
    shots.take(tablet, "after-shift-change")


def test_the_team_page_and_a_printed_hours_page(devices, server, shots):
    organiser = roster(server)
    join(server.url, 902)
    tablet = devices._open(LANDSCAPE).new_page()
    sign_in(tablet)
    tablet.locator("label.person", has_text="Lena Berg").click()
    take_table(tablet, 1)
    for action in ("call-next", "start", "finish"):
        expect(tablet.locator(f"#{action}")).to_be_visible()
        tablet.locator(f"#{action}").click()
    expect(tablet.locator("#call-next")).to_be_visible()
    laptop = open_screen(devices, {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}).new_page()
    sign_in_organiser(laptop, "/e/demo/team")
    expect(laptop.locator("#now")).to_contain_text("Lena Berg")
    expect(laptop.locator(".team-table")).to_contain_text("Lena Berg")
    check_page(laptop, shots, "team-page")
    lena = next(p for p in organiser.api("GET", "/dashboard").json()["tables"] if p["number"] == 1)["people"][0]
    paper = open_screen(devices, A4).new_page()
    sign_in_organiser(paper, f"/e/demo/team/{lena['id']}")
    expect(paper.locator("h1")).to_have_text("Lena Berg")
    expect(paper.locator(".hours-facts")).to_contain_text("Massages")
    paper.emulate_media(media="print")
    shots.take(paper, "printed-hours", full_page=False)
