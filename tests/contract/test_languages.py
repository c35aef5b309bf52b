"""Runners from abroad: the phone's language picks the page's, ?lang= changes it and the ticket keeps it, and
anything we do not speak falls back to the event's language without an error."""

import json
import re
from datetime import datetime

import pytest

from tests.support.clients import join

NO = {"screening_unwell": "no", "screening_injury": "no", "screening_medical_condition": "no"}


def html_lang(page):
    """The page's <html lang>."""
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def csrf(page):
    """The CSRF token of a page's form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.mark.parametrize("header, lang, words", [
    ("de-DE,de;q=0.9,en;q=0.5", "de", "Für die Massage anstellen"),
    ("ja", "ja", "マッサージの受付"),
    ("fr-CH, fr;q=0.9", "fr", "File d’attente massage"),
    ("es-419", "es", "Apúntate al masaje"),
    ("nl-BE", "nl", "Aansluiten voor massage"),
    ("en-GB", "en", "Join the massage queue"),
])
def test_the_phones_accept_language_picks_the_join_pages_language(client, header, lang, words):
    page = client.get("/e/demo/join", headers={"Accept-Language": header}).get_data(as_text=True)
    assert html_lang(page) == lang and words in page


@pytest.mark.parametrize("query, header", [
    ("?lang=xx", None), ("?lang=../../etc", None), ("?lang=" + "d" * 500, None), ("?lang=", "zz-ZZ"),
    ("", "*"), ("", "klingon;q=1.5, ;;;,"), ("?lang=%C3%A9", "x" * 300),
])
def test_a_bad_lang_or_accept_language_falls_back_to_the_events_language(client, query, header):
    headers = {"Accept-Language": header} if header else {}
    response = client.get(f"/e/demo/join{query}", headers=headers)
    assert response.status_code == 200 and html_lang(response.get_data(as_text=True)) == "en"


def test_the_events_language_is_the_fallback(app, client):
    from queue_app.actions import setup

    with app.app_context():
        setup.set_language("demo", "nl", datetime(2026, 5, 3, 7, 0))
    page = client.get("/e/demo/join?lang=xx", headers={"Accept-Language": "zz"}).get_data(as_text=True)
    assert html_lang(page) == "nl" and "Aansluiten voor massage" in page
    board = client.get("/e/demo/board", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert html_lang(board) == "nl" and "Nu aan de beurt" in board, "the TV speaks the event's language"
    words = re.search(r'<script type="application/json" id="words">(.*?)</script>', board, re.S).group(1)
    assert json.loads(words)["Number %(number)s, table %(table)s"] == "Nummer %(number)s, tafel %(table)s"  # its voice


def test_joining_in_a_language_keeps_it_on_the_ticket_and_the_switcher_changes_it(client):
    form = client.get("/e/demo/join?lang=de").get_data(as_text=True)
    assert 'name="lang" value="de"' in form
    answer = client.post("/e/demo/join", data={"csrf_token": csrf(form), "lang": "de", "bib": "7",
                                               "first_name": "Jörg", "service": "pre", **NO})
    ticket_url = answer.headers["Location"]
    other_phone_header = {"Accept-Language": "en"}  # the ticket's language beats the phone's
    page = client.get(ticket_url, headers=other_phone_header).get_data(as_text=True)
    assert html_lang(page) == "de" and "Ihre Nummer" in page and "Ich komme" in page
    assert 'href="?lang=ja"' in page and 'aria-current="true">Deutsch' in page

    page = client.get(f"{ticket_url}?lang=ja").get_data(as_text=True)
    assert html_lang(page) == "ja" and "あなたの番号" in page
    client.delete_cookie("lang")
    page = client.get(ticket_url, headers=other_phone_header).get_data(as_text=True)
    assert html_lang(page) == "ja", "the choice sticks to the ticket, not only to this browser"


def test_form_errors_and_the_medical_referral_speak_the_runners_language(client):
    form = client.get("/e/demo/join?lang=fr").get_data(as_text=True)
    answer = client.post("/e/demo/join", data={"csrf_token": csrf(form), "lang": "fr", "bib": "", "first_name": "",
                                               "service": "pre", **NO})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and html_lang(page) == "fr"
    assert "Saisissez votre numéro de dossard." in page and "Saisissez votre prénom." in page
    answer = client.post("/e/demo/join", data={"csrf_token": csrf(form), "lang": "fr", "bib": "8",
                                               "first_name": "Zoé", "service": "pre", **NO, "screening_injury": "yes"},
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Allez d’abord à la tente médicale" in page and "<strong>pas</strong>" in page


def test_api_refusals_follow_accept_language_and_stay_english_without_it(site, client):
    ticket = join(site, 9).json()
    for header, words in ((None, "Only a runner who is called"), ("ja", "呼ばれた方だけ")):
        headers = {"Accept-Language": header} if header else {}
        answer = client.post(f"/api/v1/tickets/{ticket['token']}/on-my-way", headers=headers)
        assert answer.status_code == 409 and words in answer.get_json()["error"]


def test_page_scripts_get_their_words_from_the_same_catalogs(client):
    page = client.get("/e/demo/join?lang=es").get_data(as_text=True)
    words = re.search(r'<script type="application/json" id="words">(.*?)</script>', page, re.S).group(1)
    assert json.loads(words)["is full right now"] == "está completo ahora"


@pytest.mark.parametrize("lang, words", [("de", "Anmeldung"), ("ja", "ログイン"), ("fr", "Connexion")])
def test_staff_and_organiser_pages_speak_the_language_the_browser_asks_for(client, lang, words):
    for address in ("/e/demo/staff", "/admin/sign-in"):
        page = client.get(address, headers={"Accept-Language": lang}, follow_redirects=True).get_data(as_text=True)
        assert html_lang(page) == lang and words in page, address
    switched = client.get("/e/demo/staff?lang=es").get_data(as_text=True)  # a tablet's own switcher
    assert html_lang(switched) == "es"


def test_an_api_join_keeps_the_language_it_asked_for_and_none_when_it_asked_for_none(site, client):
    asked = site.session().post(f"{site.url}/api/v1/events/demo/tickets", headers={"Accept-Language": "ja"},
                                json={"bib": "31", "first_name": "Yui", "service": "pre",
                                      "screening": {"unwell": False, "injury": False, "medical_condition": False}})
    silent = join(site, 32).json()
    french = {"Accept-Language": "fr"}
    assert html_lang(client.get(f"/t/{asked.json()['token']}", headers=french).get_data(as_text=True)) == "ja"
    assert html_lang(client.get(f"/t/{silent['token']}", headers=french).get_data(as_text=True)) == "fr"
