"""The tablet's controls through the HTTP API and Socket.IO: break and resume, send to medical, call a particular
runner; and the dashboard's table alarms."""

import re

from queue_app.rules.places import place_change
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def test_break_and_resume_keep_the_sign_in_and_tablets_hear_the_table_is_on_a_break(site):
    staff = Staff(site)
    tablet = staff.listen()
    tablet.next("snapshot")
    assert staff.act(3, "resume").json() == {"table": 3, "working": True, "on_break": False}
    assert staff.act(3, "break").json() == {"table": 3, "working": False, "on_break": True}
    delta = tablet.next("staff", lambda d: any(t["number"] == 3 and t["on_break"] for t in d["tables"]))
    three = next(t for t in delta["tables"] if t["number"] == 3)
    assert three["staffed"] is True and three["free_since"].endswith("Z")
    assert site.http.get(f"{site.url}/api/v1/events/demo/board").json()["services"]["pre"]["tables"] == 0
    tablet.close()


def test_the_table_sends_its_runner_to_medical_with_a_reason_and_the_runner_is_told(site):
    ticket = join(site, 11, "Ada").json()
    phone = site.listen({"ticket": ticket["token"]})
    phone.next("snapshot")
    staff = Staff(site)
    staff.act(1, "call-next")
    refused = staff.act(1, "send-to-medical", ticket="P-001")
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    sent = staff.act(1, "send-to-medical", ticket="P-001", reason="chest pain")
    assert sent.status_code == 200 and sent.json()["ticket"]["status"] == "sent_to_medical"
    assert phone.next("ticket", lambda t: t["status"] == "sent_to_medical")["number"] == "P-001"
    page = site.http.get(f"{site.url}/t/{ticket['token']}").text
    assert "Please go to the medical tent now." in page
    assert "The medical tent is next to the finish area." in page
    assert '<p id="join-again" hidden>' in page  # no "Join again" beside a referral
    export = Organiser(site).http.get(f"{site.url}/e/demo/export.csv").text
    assert "sent to medical: chest pain" in export
    assert staff.act(1, "send-to-medical", ticket="P-001", reason="again").status_code == 409
    phone.close()


def p3_called(change):
    """The board change that calls P-003 (a delta may also carry its join, which the phones' snapshot had)."""
    return change["number"] == "P-003" and change["status"] == "called"


def test_a_particular_runner_is_called_and_every_phone_keeps_its_place_by_the_place_rule(site):
    tokens = [join(site, bib).json()["token"] for bib in (21, 22, 23, 24)]
    phones = [site.listen({"ticket": token}) for token in tokens]
    mine = [phone.next("snapshot")["ticket"] for phone in phones]
    staff = Staff(site)
    assert staff.act(1, "call-runner").status_code == 422  # which runner?
    called = staff.act(1, "call-runner", ticket="P-003")
    assert called.status_code == 200 and called.json()["ticket"]["table"] == 1
    delta = phones[0].next("board", lambda b: any(map(p3_called, b["changes"])))
    change = next(c for c in delta["changes"] if p3_called(c))
    # Those ahead of P-003 stay, the one behind moves up: the phones' rule needs nothing new.
    assert [m["place"] + place_change(change, m) for m in mine if m["number"] != "P-003"] == [1, 2, 3]
    assert [site.http.get(f"{site.url}/api/v1/tickets/{t}").json()["place"] for t in tokens] == [1, 2, 0, 3]
    assert phones[2].next("ticket", lambda t: t["status"] == "called")["table"] == 1
    assert staff.act(1, "call-runner", ticket="P-004").status_code == 409  # the table has P-003
    for phone in phones:
        phone.close()


def test_the_dashboard_answers_each_tables_break_idle_clock_and_alarm(site):
    staff = Staff(site)
    staff.act(2, "resume")
    staff.act(4, "break")
    join(site, 31)
    rows = {t["number"]: t for t in Organiser(site).api("GET", "/dashboard").json()["tables"]}
    assert (rows[2]["on_break"], rows[2]["alarm"]) == (False, None)  # free only a moment
    assert rows[2]["free_since"].endswith("Z")
    assert (rows[4]["on_break"], rows[4]["alarm"]) == (True, None)


def test_the_tablets_first_paint_is_true_to_a_break_a_massage_timer_and_an_alarm(app, site):
    """Rendered before the socket connects: on a break (Resume shown, Call next not), the massage's clock against
    its length, and an idle table's alarm."""
    staff = Staff(site)
    staff.http.post(f"{site.url}/e/demo/staff/table", data={"table": "2", "csrf_token": staff.csrf})
    staff.act(2, "break")
    page = staff.http.get(f"{site.url}/e/demo/staff/table/2", timeout=10).text
    assert "On a break" in page
    assert re.search(r'id="resume" data-action="resume">', page)
    assert re.search(r'id="call-next" data-action="call-next" hidden>', page)

    join(site, 41, "Gus")
    staff.act(2, "resume")
    app.config["IDLE_TABLE_MINUTES"] = 0  # any moment free while Gus waits is too long
    page = staff.http.get(f"{site.url}/e/demo/staff/table/2", timeout=10).text
    assert re.search(r'class="tablet table-page alarm-idle"', page)
    assert re.search(r'id="alarm" role="alert">Free for under a minute while 1 runner waits</p>', page)

    staff.act(2, "call-next")
    staff.act(2, "start")
    page = staff.http.get(f"{site.url}/e/demo/staff/table/2", timeout=10).text
    assert re.search(r'id="session-clock">0:0\d</span> <span class="session-length">of 10 min', page)
    assert re.search(r'<progress class="session-bar" id="session-bar" max="600" value="\d"', page)
    assert re.search(r'id="medical" data-action="medical">', page)
    assert re.search(r'id="alarm" role="alert" hidden>', page)
