"""What the organiser types reaches each runner in their language: service names, the announcement, and where
the medical tent is, per language in Settings, each falling back to the organiser's own text."""

import re

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


def save_texts(organiser, fields):
    """Submit the settings page's 'texts in each language' form."""
    return organiser.form("/e/demo/settings/runner-texts", fields, page="/e/demo/settings")


def test_service_names_and_the_announcement_reach_a_german_phone_in_german(site):
    organiser = Organiser(site)
    organiser.api("PUT", "/announcement", {"text": "Water is by the exit."})
    saved = save_texts(organiser, {"name.pre.de": "Massage vor dem Lauf", "announcement.de": "Wasser am Ausgang.",
                                   "name.post.fr": "Massage après la course"})
    assert saved.status_code == 200 and "Texts saved." in saved.text
    mine = join(site, 51).json()
    german = site.http.get(f"{site.url}/t/{mine['token']}?lang=de", timeout=10).text
    assert "· Massage vor dem Lauf</p>" in german
    assert re.search(r'id="announcement"[^>]*>Wasser am Ausgang.</p>', german)
    join_page = site.http.get(f"{site.url}/e/demo/join", headers=GERMAN, timeout=10).text
    assert "Massage vor dem Lauf" in join_page
    assert "Post-race massage" in join_page  # no German name given: the organiser's own
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["services"]["pre"]["names"] == {"de": "Massage vor dem Lauf"}
    assert board["announcements"] == {"de": "Wasser am Ausgang."} and board["announcement"] == "Water is by the exit."


def test_the_tv_board_speaks_the_events_language_with_its_names(site):
    organiser = Organiser(site)
    save_texts(organiser, {"name.pre.de": "Massage vor dem Lauf"})
    organiser.form("/e/demo/settings/language", {"language": "de"}, page="/e/demo/settings")
    tv = site.http.get(f"{site.url}/e/demo/board", headers={"Accept-Language": "en"}, timeout=10).text
    assert '<html lang="de"' in tv and "Massage vor dem Lauf" in tv


def test_a_phone_hears_a_changed_translation_at_once(site):
    phone = site.listen({"event": "demo"})
    phone.next("snapshot")
    save_texts(Organiser(site), {"announcement.ja": "出口に水があります。"})
    delta = phone.next("board", lambda d: d.get("announcements"))
    assert delta["announcements"] == {"ja": "出口に水があります。"}


def test_the_medical_tent_is_placed_in_each_language_with_a_default(site):
    ticket = join(site, 52).json()
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(1, "send-to-medical", ticket=ticket["number"], reason="dizzy")
    page = site.http.get(f"{site.url}/t/{ticket['token']}?lang=de", timeout=10).text
    assert "Das Sanitätszelt ist neben dem Zielbereich." in page  # the default, translated
    save_texts(Organiser(site), {"medical_place.en": "Behind the podium, white tent with a red cross."})
    page = site.http.get(f"{site.url}/t/{ticket['token']}?lang=de", timeout=10).text
    assert "Behind the podium, white tent with a red cross." in page  # the place named beats a general default
    save_texts(Organiser(site), {"medical_place.en": "Behind the podium.", "medical_place.de": "Hinter dem Podium."})
    page = site.http.get(f"{site.url}/t/{ticket['token']}?lang=de", timeout=10).text
    assert "Hinter dem Podium." in page


def test_a_screening_referral_is_its_own_page_and_names_the_place(client):
    form = client.get("/e/demo/join?lang=de").get_data(as_text=True)
    answer = client.post("/e/demo/join", data={
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form).group(1), "lang": "de", "bib": "53",
        "first_name": "Runner", "service": "pre", "screening_unwell": "yes", "screening_injury": "no",
        "screening_medical_condition": "no"})
    assert answer.status_code == 303 and answer.headers["Location"] == "/e/demo/medical?lang=de"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Sanitätszelt" in page and "neben dem Zielbereich" in page


def test_a_translation_too_long_or_with_control_characters_is_refused_and_nothing_is_saved(site):
    organiser = Organiser(site)
    save_texts(organiser, {"announcement.de": "Wasser am Ausgang."})
    refused = save_texts(organiser, {"announcement.de": "x" * 281, "name.pre.fr": "Massage"})
    assert refused.status_code == 422 and "At most 280 characters." in refused.text
    refused = save_texts(organiser, {"announcement.de": "bad\x07bell"})
    assert refused.status_code == 422
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["announcements"] == {"de": "Wasser am Ausgang."} and board["services"]["pre"]["names"] == {}
