"""Runners from abroad in Chromium: the whole visit in German and in Japanese, the medical referral in French,
each page in the phone's language with no English left, <html lang> right, and axe; the ticket waiting and
called in all six languages, and German on a 320 px phone."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.browser.organiser_pages import TV
from tests.browser.organiser_pages import open_screen
from tests.browser.pages import check_page
from tests.browser.pages import fill_join_form
from tests.browser.pages import qr_join_url
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 1}
SMALL_PHONE = {**PHONE, "viewport": {"width": 320, "height": 568}}
LOCALES = {"en": "en-GB", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "nl": "nl-NL", "ja": "ja-JP"}
JOIN_BUTTON = {"en": "Join the queue", "de": "Anstellen", "fr": "Rejoindre la file", "es": "Apuntarme",
               "nl": "Aansluiten", "ja": "列に並ぶ"}
ON_MY_WAY = {"de": "Ich komme", "ja": "今向かっています"}
SHORTEST = 6  # shorter English pieces ("Done", "Table") may be words of other languages too


def english_pieces(language):
    """The English texts the catalog translates differently into `language`, cut at their placeholders."""
    if language == "en":
        return set()
    with (ROOT / "queue_app" / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    pieces = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not any(strings):
            continue  # untranslated: tests/unit/test_catalogs.py fails on it; here it would only repeat that
        for text in ids:
            if not text or text in strings:
                continue
            for piece in re.split(r"%\(\w+\)s|<[^>]+>", text):
                piece = piece.strip(" :·.!?,–")
                if len(piece) >= SHORTEST and piece not in " ".join(strings):
                    pieces.add(piece)
    return pieces


def assert_speaks(page, language):
    """<html lang> is `language`, and nothing the runner can see or hear read out is left in English."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    shown = page.evaluate("""() => [document.title, document.body.innerText,
        ...[...document.querySelectorAll("[aria-label], [alt], [title]")]
            .filter((el) => el.getClientRects().length > 0)
            .map((el) => [el.getAttribute("aria-label"), el.getAttribute("alt"), el.getAttribute("title")].join(" ")),
    ].join("\\n")""")
    # What the organiser typed (service names, the event's name) is theirs, shown as typed where they gave no
    # translation (Settings -> What runners read, in each language): not a text the catalogs could have changed.
    board = page.request.get(re.sub(r"(https?://[^/]+).*", r"\1/api/v1/events/demo/board", page.url)).json()
    for typed in [service["name"] for service in board["services"].values()] + ["Demo City Marathon"]:
        shown = shown.replace(typed, "")
    left = sorted(piece for piece in english_pieces(language) if piece in shown)
    assert left == [], f"English left on {page.url} in {language}: {left}"


def phone_in(devices, language, size=PHONE):
    """A phone whose browser asks for `language` (Accept-Language and navigator.language)."""
    return open_screen(devices, {**size, "locale": LOCALES[language]}).new_page()


def join_in(phone, server, language, bib, name, screening=None):
    """Open the QR code's address, fill the form, tap the join button in `language`; the next page shows."""
    phone.goto(qr_join_url(server))
    assert_speaks(phone, language)
    fill_join_form(phone, bib, name, screening=screening)
    phone.get_by_role("button", name=JOIN_BUTTON[language]).tap()


def wait_for_ticket(phone):
    """The ticket page is up and live."""
    expect(phone.locator("#ticket-number")).to_be_visible()
    expect(phone.locator("#connection")).to_have_attribute("data-state", "live")


@pytest.mark.parametrize("language, name", [("de", "Jörg"), ("ja", "結衣")])
def test_the_whole_visit_in_the_phones_language(devices, server, shots, language, name):
    phone = phone_in(devices, language)
    phone.goto(qr_join_url(server))
    check_page(phone, shots, "join")
    join_in(phone, server, language, 501, name)
    wait_for_ticket(phone)
    assert_speaks(phone, language)
    check_page(phone, shots, "waiting")

    staff = Staff(server.url)
    staff.act(1, "call-next")
    expect(phone.locator("#state-called")).to_be_visible()
    expect(phone.locator("#countdown")).to_have_text(re.compile(r"^\d:\d\d$"))
    assert_speaks(phone, language)
    check_page(phone, shots, "called")
    phone.get_by_role("button", name=ON_MY_WAY[language]).tap()
    expect(phone.locator("#on-my-way-done")).to_be_visible()
    assert_speaks(phone, language)

    staff.act(1, "start")
    expect(phone.locator("#state-in_treatment")).to_be_visible()
    assert_speaks(phone, language)
    check_page(phone, shots, "in-treatment")
    staff.act(1, "finish")
    expect(phone.locator("#state-done")).to_be_visible()
    expect(phone.locator("#state-done")).to_contain_text(name)
    assert_speaks(phone, language)
    check_page(phone, shots, "done")


def test_the_medical_referral_in_french(devices, server, shots):
    phone = phone_in(devices, "fr")
    join_in(phone, server, "fr", 502, "Zoé", screening={"unwell": "no", "injury": "yes", "medical_condition": "no"})
    expect(phone.locator("h1")).to_have_text("Allez à la tente médicale")
    expect(phone.locator("[role=alert]")).to_contain_text("Allez d’abord à la tente médicale")
    assert_speaks(phone, "fr")
    check_page(phone, shots, "referral")
    phone.get_by_role("link", name="Retour au formulaire").tap()
    expect(phone.locator("h1")).to_have_text("File d’attente massage")
    assert_speaks(phone, "fr")


def test_the_switcher_changes_the_language_and_the_ticket_keeps_it(devices, server, shots):
    phone = phone_in(devices, "de")
    join_in(phone, server, "de", 503, "Ana")
    wait_for_ticket(phone)
    phone.locator(".languages summary").tap()
    check_page(phone, shots, "switcher-open")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Español").tap()
    wait_for_ticket(phone)
    assert_speaks(phone, "es")
    phone.goto(phone.url.split("?")[0])  # the plain address again, from a phone that asks for German
    wait_for_ticket(phone)
    assert_speaks(phone, "es")


def test_the_ticket_waiting_and_called_in_every_language(devices, server, shots):
    staff = Staff(server.url)
    # A therapist at table 7, busy with a runner: the tent has a pace and no free table, so phones show a wait
    # and a time (a free table would say "called any moment" instead).
    Organiser(server.url).form("/e/demo/settings/table-add", {"number": "7", "services": "pre"},
                               page="/e/demo/settings")
    tablet = Staff(server.url)
    tablet.http.post(f"{server.url}/e/demo/staff/table", data={"table": "7", "csrf_token": tablet.csrf}, timeout=10)
    join(server.url, 599)
    tablet.act(7, "call-next")
    for table, language in enumerate(LOCALES, start=1):
        phone = phone_in(devices, language)
        join_in(phone, server, language, 600 + table, "Sam")
        wait_for_ticket(phone)
        expect(phone.locator("#wait")).to_contain_text(re.compile(r"\d"))
        assert_speaks(phone, language)
        check_page(phone, shots, f"{language}-waiting-390")
        staff.act(table, "call-next")
        expect(phone.locator("#state-called")).to_be_visible()
        expect(phone.locator("#countdown")).to_have_text(re.compile(r"^\d:\d\d$"))
        assert_speaks(phone, language)
        check_page(phone, shots, f"{language}-called-390")


def test_german_fits_a_320_px_phone(devices, server, shots):
    phone = phone_in(devices, "de", SMALL_PHONE)
    phone.goto(qr_join_url(server))
    check_page(phone, shots, "join-320")
    join_in(phone, server, "de", 701, "Maximilian-Alexander")
    wait_for_ticket(phone)
    check_page(phone, shots, "waiting-320")
    Staff(server.url).act(1, "call-next")
    expect(phone.locator("#state-called")).to_be_visible()
    check_page(phone, shots, "called-320")
    line = phone.locator("#table-line")
    assert line.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the table's number runs off the screen"


def test_the_tv_board_speaks_the_events_language_and_says_calls_in_it(devices, server, shots):
    organiser = Organiser(server.url)
    saved = organiser.form("/e/demo/settings/language", {"language": "ja"}, page="/e/demo/settings")
    assert saved.status_code == 200 and "Language saved." in saved.text
    tv = open_screen(devices, {**TV, "locale": "de-DE"}).new_page()
    tv.add_init_script("""window.spoken = [];
        window.speechSynthesis.speak = (utterance) => window.spoken.push([utterance.text, utterance.lang]);""")
    tv.goto("/e/demo/board")
    expect(tv.locator("#connection")).to_have_attribute("data-state", "live")
    tv.locator("#enable-sound").click()
    join(server.url, 901)
    Staff(server.url).act(3, "call-next")
    expect(tv.locator(".serving-row")).to_contain_text("3番テーブル")
    assert_speaks(tv, "ja")
    tv.wait_for_function("() => window.spoken.length > 0")
    assert tv.evaluate("window.spoken") == [["P 1番の方、3番テーブルへどうぞ", "ja"]]
    shots.take(tv, "tv-ja", full_page=False)
