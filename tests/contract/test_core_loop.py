"""The whole visit through the HTTP API and Socket.IO, in process: the contracts phones and tablets rely on."""

import re
import sqlite3

import pytest
import socketio

from queue_app.rules.places import place_change
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import changes_since
from tests.support.clients import join


def audit_trail(database, number):
    """The statuses a ticket passed through, read from the audit table of the app's database."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT from_status, to_status FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
            "WHERE t.label = ? ORDER BY e.id", (number,)).fetchall()
    return rows


def test_a_runner_is_called_treated_and_finished_with_live_updates_all_the_way(site):
    first = join(site, 101, "Ana").json()
    second = join(site, 102, "Bo").json()
    assert (first["number"], first["place"], second["number"], second["place"]) == ("P-001", 1, "P-002", 2)

    phone = site.listen({"ticket": first["token"]})
    snap = phone.next("snapshot")
    assert snap["ticket"]["place"] == 1 and snap["ticket"]["status"] == "waiting"
    other_phone = site.listen({"ticket": second["token"]})
    other_snap = other_phone.next("snapshot")
    assert other_snap["ticket"]["place"] == 2

    staff = Staff(site)
    called = staff.act(1, "call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == "P-001"
    update = phone.next("ticket", lambda t: t["status"] == "called")
    assert update["table"] == 1
    # Only the steps newer than the phone's snapshot: the joins' gathered delta may still arrive after it, and one
    # delta may gather P-001's join and its call.
    seen = other_snap["board"]["version"]
    delta = other_phone.next("board", lambda b: changes_since(b, seen, "P-001"))
    (change,) = changes_since(delta, seen, "P-001")
    assert (change["from"], change["status"], change["table"]) == ("waiting", "called", 1)
    assert site.http.get(f"{site.url}/api/v1/tickets/{second['token']}").json()["place"] == 1

    assert staff.act(1, "start", ticket="P-001").status_code == 200
    phone.next("ticket", lambda t: t["status"] == "in_treatment")
    finished = staff.act(1, "finish", ticket="P-001", note="tight left calf")
    assert finished.status_code == 200 and finished.json()["ticket"]["note"] == "tight left calf"
    phone.next("ticket", lambda t: t["status"] == "done")
    assert site.http.get(f"{site.url}/api/v1/tickets/{first['token']}").json()["status"] == "done"
    assert audit_trail(site.database, "P-001") == [
        (None, "waiting"), ("waiting", "called"), ("called", "in_treatment"), ("in_treatment", "done")]
    phone.close()
    other_phone.close()


def test_a_bib_with_an_active_ticket_cannot_join_twice(site):
    assert join(site, 7).status_code == 201
    again = join(site, 7, service="post")
    assert again.status_code == 409 and again.json()["field"] == "bib"
    board = site.http.get(f"{site.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 1 and board["services"]["post"]["waiting"] == 0


def test_a_bib_that_left_may_join_again(site):
    ticket = join(site, 8).json()
    assert site.http.delete(f"{site.url}/api/v1/tickets/{ticket['token']}").json()["status"] == "left"
    assert join(site, 8).status_code == 201


@pytest.mark.parametrize("symptom", ["unwell", "injury"])
def test_a_runner_with_symptoms_is_sent_to_the_medical_tent_and_gets_no_ticket(site, symptom):
    screening = {"unwell": False, "injury": False, "medical_condition": False, symptom: True}
    answer = join(site, 9, screening=screening)
    assert answer.status_code == 200
    assert answer.json()["referred"] is True and "medical tent" in answer.json()["message"]
    assert "token" not in answer.json()
    board = site.http.get(f"{site.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 0
    assert join(site, 9).status_code == 201  # no ticket was held for that bib


def test_a_medical_condition_joins_with_a_flag_the_therapist_sees(site):
    join(site, 10, "Cy", screening={"unwell": False, "injury": False, "medical_condition": True})
    staff = Staff(site)
    ticket = staff.act(1, "call-next").json()["ticket"]
    assert ticket["medical_flag"] is True and ticket["first_name"] == "Cy" and ticket["bib"] == "10"


@pytest.mark.parametrize("body, field", [
    ({"first_name": "A", "service": "pre", "screening": {}}, "bib"),
    ({"bib": "12", "service": "pre", "screening": {}}, "first_name"),
    ({"bib": "12", "first_name": "A", "service": "sauna", "screening": {}}, "service"),
    ({"bib": "12", "first_name": "A", "service": "pre"}, "screening"),
])
def test_bad_join_bodies_get_a_422_naming_the_field_and_store_nothing(site, body, field):
    answer = site.http.post(f"{site.url}/api/v1/events/demo/tickets", json=body, timeout=10)
    assert answer.status_code == 422 and answer.json()["field"] == field and answer.json()["error"]
    assert site.http.get(f"{site.url}/api/v1/events/demo/board").json()["version"] == 0


def test_a_staff_action_retried_with_the_same_key_acts_once(site):
    for bib in (1, 2):
        join(site, bib)
    staff = Staff(site)
    first = staff.act(1, "call-next", key="press-1")
    again = staff.act(1, "call-next", key="press-1")
    assert first.json() == again.json() and first.json()["ticket"]["number"] == "P-001"
    assert staff.act(1, "no-show", key="press-2").json()["ticket"]["status"] == "no_show"
    assert staff.act(1, "no-show", key="press-2").json()["ticket"]["status"] == "no_show"
    board = site.http.get(f"{site.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 1


def test_an_action_meant_for_another_runner_is_refused(site):
    for bib in (1, 2):
        join(site, bib)
    staff = Staff(site)
    staff.act(1, "call-next")
    stale = staff.act(1, "finish", ticket="P-002")
    assert stale.status_code == 409
    busy = staff.act(1, "call-next")
    assert busy.status_code == 409 and "P-001" in busy.json()["error"]


def test_calling_with_nobody_waiting_says_so(site):
    answer = Staff(site).act(3, "call-next")
    assert answer.status_code == 200 and answer.json()["ticket"] is None and "Nobody" in answer.json()["message"]


def test_a_reconnecting_phone_gets_a_fresh_snapshot_with_its_true_place(site):
    tickets = [join(site, bib).json() for bib in (1, 2, 3)]
    phone = site.listen({"ticket": tickets[2]["token"]})
    assert phone.next("snapshot")["ticket"]["place"] == 3
    phone.close()
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(2, "call-next")
    phone = site.listen({"ticket": tickets[2]["token"]})
    snap = phone.next("snapshot")
    assert snap["ticket"]["place"] == 1
    assert {s["number"]: s["table"] for s in snap["board"]["serving"]} == {"P-001": 1, "P-002": 2}
    assert snap["board"]["version"] == 5
    assert phone.snapshot()["ticket"]["place"] == 1


def test_deltas_alone_let_a_phone_keep_its_place(site):
    """A phone replays the board deltas by the place rule ticket.js uses and reaches the place the server computes."""
    tickets = [join(site, bib, service="post" if bib == 6 else "pre").json() for bib in range(1, 8)]
    mine = tickets[3]
    phone = site.listen({"ticket": mine["token"]})
    snap = phone.next("snapshot")
    version, place = snap["board"]["version"], snap["ticket"]["place"]
    staff, organiser = Staff(site), Organiser(site)
    staff.act(1, "call-next")                                   # P-001 leaves the queue
    staff.act(1, "requeue")                                     # ...and comes back at the front
    site.http.delete(f"{site.url}/api/v1/tickets/{join(site, 99).json()['token']}")  # behind: no effect
    staff.act(2, "call-next")
    organiser.api("POST", "/tickets/R-001/move", {"service": "pre"})  # joined before bib 7: not ahead of mine
    organiser.api("POST", "/tickets/P-006/move", {"front": True})     # from behind me to the front: ahead now
    organiser.api("POST", "/tickets/P-003/move", {"service": "post"})  # ahead of me, leaves my queue
    staff.act(3, "call-next")
    final = site.http.get(f"{site.url}/api/v1/tickets/{mine['token']}").json()
    while version < final["version"]:
        # Several changes may come gathered in one delta, as steps; what the snapshot had already is skipped.
        delta = phone.next("board", lambda d, have=version: d["version"] > have)
        steps = [step for step in delta["steps"] if step["version"] > version]
        assert steps[0]["version"] == version + 1, "a version went missing"
        for step in steps:
            version = step["version"]
            for change in step["changes"]:
                place += place_change(change, mine)
    assert place == final["place"] == 2


def test_the_board_and_a_phone_never_receive_names_or_bibs(site):
    mine = join(site, 4321, "Zelda").json()
    phone = site.listen({"ticket": mine["token"]})
    join(site, 8765, "Yannick")
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(1, "start")
    phone.next("ticket", lambda t: t["status"] == "in_treatment")
    phone.close()
    assert phone.seen
    for name, payload in phone.seen:
        text = str(payload)
        assert "Yannick" not in text and "8765" not in text and "4321" not in text and "token" not in text
        public = str(payload["board"] if name == "snapshot" else payload if name == "board" else "")
        assert "Zelda" not in public  # only the runner's own ticket events carry the name they typed


def test_staff_sockets_and_actions_need_the_pin(site):
    with pytest.raises(socketio.exceptions.ConnectionError):
        site.listen({"event": "demo", "role": "staff"})
    answer = site.http.post(f"{site.url}/api/v1/events/demo/tables/1/call-next", json={}, timeout=10)
    assert answer.status_code == 401
    wrong = site.http.post(f"{site.url}/api/v1/events/demo/login", json={"pin": "000000"}, timeout=10)
    assert wrong.status_code == 401


def test_a_signed_in_tablet_sees_the_queue_change_live(site):
    staff = Staff(site)
    tablet = staff.listen()
    assert tablet.next("snapshot")["staff"]["tickets"] == []
    join(site, 55, "Dee", screening={"unwell": False, "injury": False, "medical_condition": True})
    delta = tablet.next("staff")
    assert [(t["number"], t["first_name"], t["bib"], t["medical_flag"]) for t in delta["tickets"]] == [
        ("P-001", "Dee", "55", True)]
    assert "token" not in delta["tickets"][0]


def test_a_therapist_changing_tables_frees_the_table_they_left(site):
    """Choosing table 2 after table 1 (the tablet's Change table) leaves table 1 no longer worked."""
    tablet = site.session()
    page = tablet.get(f"{site.url}/e/demo/staff", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    tables_page = tablet.post(f"{site.url}/e/demo/staff", data={"pin": "246810", "csrf_token": token}, timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', tables_page.text).group(1)  # a new session, a new token
    for number in (1, 2):
        tablet.post(f"{site.url}/e/demo/staff/table", data={"table": number, "csrf_token": token}, timeout=10)
    tables = {t["number"]: t["staffed"] for t in tablet.get(f"{site.url}/api/v1/events/demo/staff").json()["tables"]}
    assert tables[1] is False and tables[2] is True
