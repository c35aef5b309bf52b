"""The whole visit against a real server process, with real Socket.IO clients."""

import re
import sqlite3
import threading

import pytest
import requests
import socketio

from tests.support.clients import Listener
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def audit_trail(database, number):
    """The statuses a ticket passed through, read from the audit table of the server's database."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT from_status, to_status FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id "
            "WHERE t.label = ? ORDER BY e.id", (number,)).fetchall()
    return rows


def test_a_runner_is_called_treated_and_finished_with_live_updates_all_the_way(server):
    first = join(server.url, 101, "Ana").json()
    second = join(server.url, 102, "Bo").json()
    assert (first["number"], first["place"], second["number"], second["place"]) == ("P-001", 1, "P-002", 2)

    phone = Listener(server.url, {"ticket": first["token"]})
    snap = phone.next("snapshot")
    assert snap["ticket"]["place"] == 1 and snap["ticket"]["status"] == "waiting"
    other_phone = Listener(server.url, {"ticket": second["token"]})
    assert other_phone.next("snapshot")["ticket"]["place"] == 2

    staff = Staff(server.url)
    called = staff.act(1, "call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == "P-001"
    update = phone.next("ticket", lambda t: t["status"] == "called")
    assert update["table"] == 1
    board = other_phone.next("board", lambda b: any(c["number"] == "P-001" for c in b["changes"]))
    change = next(c for c in board["changes"] if c["number"] == "P-001")
    assert (change["from"], change["status"], change["table"]) == ("waiting", "called", 1)
    assert requests.get(f"{server.url}/api/v1/tickets/{second['token']}").json()["place"] == 1

    assert staff.act(1, "start", ticket="P-001").status_code == 200
    phone.next("ticket", lambda t: t["status"] == "in_treatment")
    finished = staff.act(1, "finish", ticket="P-001", note="tight left calf")
    assert finished.status_code == 200 and finished.json()["ticket"]["note"] == "tight left calf"
    phone.next("ticket", lambda t: t["status"] == "done")
    assert requests.get(f"{server.url}/api/v1/tickets/{first['token']}").json()["status"] == "done"
    assert audit_trail(server.database, "P-001") == [
        (None, "waiting"), ("waiting", "called"), ("called", "in_treatment"), ("in_treatment", "done")]
    phone.close()
    other_phone.close()


def test_a_bib_with_an_active_ticket_cannot_join_twice(server):
    assert join(server.url, 7).status_code == 201
    again = join(server.url, 7, service="post")
    assert again.status_code == 409 and again.json()["field"] == "bib"
    board = requests.get(f"{server.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 1 and board["services"]["post"]["waiting"] == 0


def test_a_bib_that_left_may_join_again(server):
    ticket = join(server.url, 8).json()
    assert requests.delete(f"{server.url}/api/v1/tickets/{ticket['token']}").json()["status"] == "left"
    assert join(server.url, 8).status_code == 201


@pytest.mark.parametrize("symptom", ["unwell", "injury"])
def test_a_runner_with_symptoms_is_sent_to_the_medical_tent_and_gets_no_ticket(server, symptom):
    screening = {"unwell": False, "injury": False, "medical_condition": False, symptom: True}
    answer = join(server.url, 9, screening=screening)
    assert answer.status_code == 200
    assert answer.json()["referred"] is True and "medical tent" in answer.json()["message"]
    assert "token" not in answer.json()
    board = requests.get(f"{server.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 0
    assert join(server.url, 9).status_code == 201  # no ticket was held for that bib


def test_a_medical_condition_joins_with_a_flag_the_therapist_sees(server):
    join(server.url, 10, "Cy", screening={"unwell": False, "injury": False, "medical_condition": True})
    staff = Staff(server.url)
    ticket = staff.act(1, "call-next").json()["ticket"]
    assert ticket["medical_flag"] is True and ticket["first_name"] == "Cy" and ticket["bib"] == "10"


@pytest.mark.parametrize("body, field", [
    ({"first_name": "A", "service": "pre", "screening": {}}, "bib"),
    ({"bib": "12", "service": "pre", "screening": {}}, "first_name"),
    ({"bib": "12", "first_name": "A", "service": "sauna", "screening": {}}, "service"),
    ({"bib": "12", "first_name": "A", "service": "pre"}, "screening"),
])
def test_bad_join_bodies_get_a_422_naming_the_field_and_store_nothing(server, body, field):
    answer = requests.post(f"{server.url}/api/v1/events/demo/tickets", json=body, timeout=10)
    assert answer.status_code == 422 and answer.json()["field"] == field and answer.json()["error"]
    assert requests.get(f"{server.url}/api/v1/events/demo/board").json()["version"] == 0


def test_two_tables_calling_at_once_never_get_the_same_runner(server):
    for bib in range(1, 13):
        join(server.url, bib)
    tablets = [Staff(server.url), Staff(server.url)]
    called = []

    def press(index, barrier, answers):
        barrier.wait()
        answers[index] = tablets[index].act(index + 1, "call-next")

    for _round in range(6):
        barrier, answers = threading.Barrier(2), [None, None]
        threads = [threading.Thread(target=press, args=(i, barrier, answers)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for index, answer in enumerate(answers):
            assert answer.status_code == 200, answer.text
            called.append(answer.json()["ticket"]["number"])
            tablets[index].act(index + 1, "no-show")
    assert sorted(called) == [f"P-{n:03d}" for n in range(1, 13)]


def test_a_staff_action_retried_with_the_same_key_acts_once(server):
    for bib in (1, 2):
        join(server.url, bib)
    staff = Staff(server.url)
    first = staff.act(1, "call-next", key="press-1")
    again = staff.act(1, "call-next", key="press-1")
    assert first.json() == again.json() and first.json()["ticket"]["number"] == "P-001"
    assert staff.act(1, "no-show", key="press-2").json()["ticket"]["status"] == "no_show"
    assert staff.act(1, "no-show", key="press-2").json()["ticket"]["status"] == "no_show"
    board = requests.get(f"{server.url}/api/v1/events/demo/board").json()
    assert board["services"]["pre"]["waiting"] == 1


def test_an_action_meant_for_another_runner_is_refused(server):
    for bib in (1, 2):
        join(server.url, bib)
    staff = Staff(server.url)
    staff.act(1, "call-next")
    stale = staff.act(1, "finish", ticket="P-002")
    assert stale.status_code == 409
    busy = staff.act(1, "call-next")
    assert busy.status_code == 409 and "P-001" in busy.json()["error"]


def test_calling_with_nobody_waiting_says_so(server):
    answer = Staff(server.url).act(3, "call-next")
    assert answer.status_code == 200 and answer.json()["ticket"] is None and "Nobody" in answer.json()["message"]


def test_a_reconnecting_phone_gets_a_fresh_snapshot_with_its_true_place(server):
    tickets = [join(server.url, bib).json() for bib in (1, 2, 3)]
    phone = Listener(server.url, {"ticket": tickets[2]["token"]})
    assert phone.next("snapshot")["ticket"]["place"] == 3
    phone.close()
    staff = Staff(server.url)
    staff.act(1, "call-next")
    staff.act(2, "call-next")
    phone = Listener(server.url, {"ticket": tickets[2]["token"]})
    snap = phone.next("snapshot")
    assert snap["ticket"]["place"] == 1
    assert {s["number"]: s["table"] for s in snap["board"]["serving"]} == {"P-001": 1, "P-002": 2}
    assert snap["board"]["version"] == 5
    assert phone.snapshot()["ticket"]["place"] == 1


def place_change(change, mine):
    """How a public change moves the place of a waiting ticket `mine` (as static/js/ticket.js computes it)."""
    was_ahead = (change["from"] == "waiting" and change["from_service"] == mine["service"]
                 and change["from_seq"] < mine["seq"])
    is_ahead = change["status"] == "waiting" and change["service"] == mine["service"] and change["seq"] < mine["seq"]
    return int(is_ahead) - int(was_ahead)


def test_deltas_alone_let_a_phone_keep_its_place(server):
    """A phone replays the board deltas as ticket.js does and reaches the place the server computes."""
    tickets = [join(server.url, bib, service="post" if bib == 6 else "pre").json() for bib in range(1, 8)]
    mine = tickets[3]
    phone = Listener(server.url, {"ticket": mine["token"]})
    snap = phone.next("snapshot")
    version, place = snap["board"]["version"], snap["ticket"]["place"]
    staff, organiser = Staff(server.url), Organiser(server.url)
    staff.act(1, "call-next")                                   # P-001 leaves the queue
    staff.act(1, "requeue")                                     # ...and comes back at the front
    requests.delete(f"{server.url}/api/v1/tickets/{join(server.url, 99).json()['token']}")  # behind: no effect
    staff.act(2, "call-next")
    organiser.api("POST", "/tickets/R-001/move", {"service": "pre"})  # joined before bib 7: not ahead of mine
    organiser.api("POST", "/tickets/P-006/move", {"front": True})     # from behind me to the front: ahead now
    organiser.api("POST", "/tickets/P-003/move", {"service": "post"})  # ahead of me, leaves my queue
    staff.act(3, "call-next")
    final = requests.get(f"{server.url}/api/v1/tickets/{mine['token']}").json()
    while version < final["version"]:
        delta = phone.next("board")
        assert delta["version"] == version + 1
        version = delta["version"]
        for change in delta["changes"]:
            place += place_change(change, mine)
    assert place == final["place"] == 2


def test_the_board_and_a_phone_never_receive_names_or_bibs(server):
    mine = join(server.url, 4321, "Zelda").json()
    phone = Listener(server.url, {"ticket": mine["token"]})
    join(server.url, 8765, "Yannick")
    staff = Staff(server.url)
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


def test_staff_sockets_and_actions_need_the_pin(server):
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(server.url, {"event": "demo", "role": "staff"})
    answer = requests.post(f"{server.url}/api/v1/events/demo/tables/1/call-next", json={}, timeout=10)
    assert answer.status_code == 401
    wrong = requests.post(f"{server.url}/api/v1/events/demo/login", json={"pin": "000000"}, timeout=10)
    assert wrong.status_code == 401


def test_a_signed_in_tablet_sees_the_queue_change_live(server):
    staff = Staff(server.url)
    tablet = staff.listen()
    assert tablet.next("snapshot")["staff"]["tickets"] == []
    join(server.url, 55, "Dee", screening={"unwell": False, "injury": False, "medical_condition": True})
    delta = tablet.next("staff")
    assert [(t["number"], t["first_name"], t["bib"], t["medical_flag"]) for t in delta["tickets"]] == [
        ("P-001", "Dee", "55", True)]
    assert "token" not in delta["tickets"][0]


def test_a_therapist_changing_tables_frees_the_table_they_left(server):
    """Choosing table 2 after table 1 (the tablet's Change table) leaves table 1 no longer worked."""
    tablet = requests.Session()
    page = tablet.get(f"{server.url}/e/demo/staff", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    tables_page = tablet.post(f"{server.url}/e/demo/staff", data={"pin": "246810", "csrf_token": token}, timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', tables_page.text).group(1)  # a new session, a new token
    for number in (1, 2):
        tablet.post(f"{server.url}/e/demo/staff/table", data={"table": number, "csrf_token": token}, timeout=10)
    tables = {t["number"]: t["staffed"] for t in tablet.get(f"{server.url}/api/v1/events/demo/staff").json()["tables"]}
    assert tables[1] is False and tables[2] is True
