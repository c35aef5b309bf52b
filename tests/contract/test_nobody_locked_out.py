"""Nobody locked out: one bib however it is typed, a clear word on a name, a walk-in the organiser vouches for,
and a ticket that moves to a new phone when the old one dies."""

import pytest
import socketio

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

START_LIST = "bib,first_name\n7,Robert\n0042,Élodie\nE12,Sam\n"


def start_list(organiser):
    """Import START_LIST through the settings page, as an organiser would."""
    answer = organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                            files={"file": ("start.csv", START_LIST.encode(), "text/csv")})
    assert "Start list imported: 3 runners" in answer.text


def audit_details(site, number):
    """The audit log's details for one ticket, oldest first, as the export shows them."""
    organiser = Organiser(site)
    rows = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text.splitlines()
    return [row for row in rows if row.startswith(number + ",")]


@pytest.mark.parametrize("typed", ["07", "007", " 0007 "])
def test_one_bib_however_it_is_typed_holds_one_ticket(site, typed):
    assert join(site, "7").status_code == 201
    again = join(site, typed)
    assert again.status_code == 409 and again.json()["field"] == "bib"


def test_bib_letters_are_one_case_and_a_bib_needs_a_letter_or_digit(site):
    assert join(site, "e12").json()["number"] == "P-001"
    assert join(site, "E12").status_code == 409
    for bad in ("-", "---", " - "):
        answer = join(site, bad)
        assert answer.status_code == 422 and answer.json()["field"] == "bib", bad


def test_a_start_list_with_leading_zeros_matches_the_bib_as_printed_either_way(site):
    start_list(Organiser(site))
    assert join(site, "42", "Élodie").status_code == 201
    assert join(site, "0007", "Robert").status_code == 201
    assert join(site, "e12", "sam").status_code == 201
    staff = Staff(site)
    bibs = {t["bib"] for t in staff.http.get(f"{site.url}/api/v1/events/demo/staff", timeout=10).json()["tickets"]}
    assert bibs == {"42", "7", "E12"}


def test_a_name_not_on_the_start_list_is_told_clearly_and_the_organiser_can_vouch_for_it(site):
    organiser = Organiser(site)
    start_list(organiser)
    refused = join(site, "7", "Bob")
    assert refused.status_code == 422 and refused.json()["code"] == "name_mismatch"
    message = refused.json()["error"]
    assert "registered under another first name" in message and "ask at the tent" in message
    body = {"bib": "7", "first_name": "Bob", "service": "pre",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    walk_in = organiser.api("POST", "/walk-ins", body)
    assert walk_in.status_code == 422 and walk_in.json()["code"] == "name_mismatch"  # not without saying why
    assert organiser.api("POST", "/walk-ins", dict(body, name_override="")).status_code == 422
    vouched = organiser.api("POST", "/walk-ins", dict(body, name_override="goes by Bob, checked his bib"))
    assert vouched.status_code == 201
    logged = audit_details(site, vouched.json()["number"])
    assert len(logged) == 1 and "goes by Bob, checked his bib" in logged[0] and ",organiser," in logged[0]
    assert join(site, "42", "Bob", service="post").status_code == 422  # a runner's own join cannot vouch


def test_a_ticket_moves_to_a_new_phone_and_the_old_link_opens_nothing(site):
    first = join(site, "31", "Ana").json()
    behind = join(site, "32", "Bo").json()
    old_phone = site.listen({"ticket": first["token"]})
    old_phone.next("snapshot")
    staff = Staff(site)
    moved = staff.http.post(f"{site.url}/api/v1/events/demo/tickets/{first['number']}/reissue",
                            headers={"X-CSRFToken": staff.csrf}, json={}, timeout=10)
    assert moved.status_code == 200
    answer = moved.json()
    assert (answer["number"], answer["first_name"], answer["bib"]) == (first["number"], "Ana", "31")
    assert answer["token"] != first["token"] and answer["url"].endswith(f"/t/{answer['token']}")
    assert site.http.get(f"{site.url}{answer['qr']}", timeout=10).headers["Content-Type"].startswith("image/svg")
    assert "moved" in [name for name, _payload in old_phone.heard()]
    assert site.http.get(f"{site.url}/api/v1/tickets/{first['token']}", timeout=10).status_code == 404
    assert site.http.get(f"{site.url}/t/{first['token']}", timeout=10).status_code == 404
    with pytest.raises(socketio.exceptions.ConnectionError):
        site.listen({"ticket": first["token"]})
    new = site.http.get(f"{site.url}/api/v1/tickets/{answer['token']}", timeout=10).json()
    assert (new["number"], new["status"], new["place"]) == (first["number"], "waiting", 1)
    assert site.http.get(f"{site.url}/api/v1/tickets/{behind['token']}", timeout=10).json()["place"] == 2
    assert any("new phone" in row for row in audit_details(site, first["number"]))


def test_only_staff_move_a_ticket_to_a_new_phone(site):
    ticket = join(site, "33").json()
    stranger = site.http.post(f"{site.url}/api/v1/events/demo/tickets/{ticket['number']}/reissue", json={},
                              timeout=10)
    assert stranger.status_code == 401
    assert site.http.get(f"{site.url}/api/v1/tickets/{ticket['token']}", timeout=10).status_code == 200
    staff = Staff(site)
    unknown = staff.http.post(f"{site.url}/api/v1/events/demo/tickets/P-999/reissue", json={},
                              headers={"X-CSRFToken": staff.csrf}, timeout=10)
    assert unknown.status_code == 404
