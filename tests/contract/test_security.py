"""Nobody where they don't belong: sign-ins, event boundaries, runner tokens and what public payloads carry.

In process; the app holds two events: `demo` and `other` (a second event with its own PIN, created as an
organiser's setup would). Cross-site sockets need a real server: tests/live/test_cross_site.py.
"""

import re
import string

import pytest
import socketio

from queue_app.actions import setup
from queue_app.rules.setup import EventSpec
from queue_app.rules.setup import demo_services
from tests.contract.conftest import T0
from tests.support.clients import CSRF_FIELD
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.inprocess import InProcessSite
from tests.support.server import PIN

OTHER_PIN = "975310"
PERSONAL_KEYS = {"first_name", "bib", "note", "medical_flag", "token", "screening", "unwell", "injury",
                 "medical_condition"}
TOKEN_ALPHABET = set(string.ascii_letters + string.digits + "-_")


@pytest.fixture
def site(app):
    """The app with the demo event and a second event `other`, with its own PIN."""
    with app.app_context():
        setup.create_event(EventSpec("other", "Other Trail Race", OTHER_PIN, demo_services(), 3), T0)
    return InProcessSite(app, app.config["DATABASE_FILE"])


def version(site, event="demo"):
    """The event's version as the public board reports it."""
    return site.http.get(f"{site.url}/api/v1/events/{event}/board", timeout=10).json()["version"]


def refused_socket(site, auth, session=None):
    """True if the app refuses a Socket.IO connection with this auth (and the cookies of browser `session`)."""
    try:
        listener = site.listen(auth, session)
    except socketio.exceptions.ConnectionError:
        return True
    listener.close()
    return False


def status(site, token):
    """A ticket's status as its runner sees it."""
    return site.http.get(f"{site.url}/api/v1/tickets/{token}", timeout=10).json()["status"]


def keys_in(payload):
    """Every dictionary key anywhere in a payload."""
    if isinstance(payload, dict):
        return set(payload) | set().union(*(keys_in(v) for v in payload.values()))
    if isinstance(payload, list):
        return set().union(*(keys_in(v) for v in payload)) if payload else set()
    return set()


STAFF_CALLS = [("get", "/staff"), ("post", "/tables/1/call-next"), ("post", "/tables/1/start"),
               ("post", "/tables/1/finish"), ("post", "/tables/1/no-show"), ("post", "/tables/1/requeue"),
               ("post", "/tables/1/break"), ("post", "/tables/1/resume")]
ORGANISER_CALLS = [("get", "/dashboard"), ("get", "/history"), ("post", "/walk-ins"),
                   ("post", "/tickets/P-001/remove"), ("post", "/tickets/P-001/move"), ("patch", "/services/pre"),
                   ("put", "/announcement")]
ORGANISER_PAGES = ["/admin", "/e/demo/dashboard", "/e/demo/settings", "/e/demo/export.csv"]


def test_staff_and_organiser_routes_and_sockets_refuse_anyone_not_signed_in(site):
    """Proves: without a sign-in every staff and organiser API call is a 401 (with or without a CSRF header),
    every staff or organiser page sends to a sign-in page, staff sockets and staff snapshots are refused, and
    the queue does not move."""
    runner = join(site, "S100").json()
    before = version(site)
    anonymous = site.session()
    body = {"note": "x", "ticket": runner["number"], "bib": "S101", "first_name": "Eve", "service": "pre",
            "text": "hacked", "status": "closed"}
    for method, path in STAFF_CALLS + ORGANISER_CALLS:
        for headers in ({}, {"X-CSRFToken": "forged"}):
            answer = anonymous.request(method, f"{site.url}/api/v1/events/demo{path}", json=body, headers=headers,
                                       timeout=10)
            assert answer.status_code == 401 and answer.json()["code"] == "unauthorized", (method, path)
    page = anonymous.get(f"{site.url}/e/demo/staff/table/1", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and page.headers["Location"].endswith("/e/demo/staff")
    for path in ORGANISER_PAGES + [f"/t/{runner['token']}/slip"]:
        page = anonymous.get(site.url + path, allow_redirects=False, timeout=10)
        assert page.status_code == 302 and "/admin/sign-in" in page.headers["Location"], path
    assert refused_socket(site, {"event": "demo", "role": "staff"})
    tv = site.listen({"event": "demo"})
    asked = tv.client.call("snapshot", {"event": "demo", "role": "staff"}, timeout=10)
    assert set(asked) == {"error"}
    tv.close()
    assert version(site) == before and status(site, runner["token"]) == "waiting"


def test_a_therapist_pin_gives_no_organiser_rights(site):
    """Proves: a therapist signed in with the PIN cannot reach the organiser's API, pages or export."""
    staff = Staff(site)
    for method, path in ORGANISER_CALLS:
        answer = staff.http.request(method, f"{site.url}/api/v1/events/demo{path}", json={},
                                    headers={"X-CSRFToken": staff.csrf}, timeout=10)
        assert answer.status_code == 401, (method, path, answer.status_code)
    for path in ORGANISER_PAGES:
        page = staff.http.get(site.url + path, allow_redirects=False, timeout=10)
        assert page.status_code == 302 and "/admin/sign-in" in page.headers["Location"], path


def test_a_pin_of_one_event_gives_nothing_on_another(site):
    """Proves: signed in for `demo`, a tablet gets 401 on `other`'s staff API, a sign-in redirect on its
    pages, a refused staff socket and no staff snapshot; `demo`'s PIN does not open `other`."""
    runner = join(site, "S200", event="other").json()
    before = version(site, "other")
    staff = Staff(site)
    for method, path in STAFF_CALLS:
        answer = staff.http.request(method, f"{site.url}/api/v1/events/other{path}", json={},
                                    headers={"X-CSRFToken": staff.csrf}, timeout=10)
        assert answer.status_code == 401, (method, path, answer.text)
    page = staff.http.get(f"{site.url}/e/other/staff/table/1", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and page.headers["Location"].endswith("/e/other/staff")
    assert refused_socket(site, {"event": "other", "role": "staff"}, session=staff.http)
    tablet = staff.listen()
    assert set(tablet.client.call("snapshot", {"event": "other", "role": "staff"}, timeout=10)) == {"error"}
    tablet.close()
    wrong = site.http.post(f"{site.url}/api/v1/events/other/login", json={"pin": PIN}, timeout=10)
    assert wrong.status_code == 401
    assert version(site, "other") == before and status(site, runner["token"]) == "waiting"
    assert Staff(site, event="other", pin=OTHER_PIN).act(1, "call-next").json()["ticket"]["number"] == "P-001"


def test_a_runners_token_reads_and_changes_only_their_own_ticket(site):
    """Proves: a token shows only its own ticket, leaving with it moves only that ticket, its socket hears only
    its own ticket, and a phone that joined through the form gets no staff rights from its cookies."""
    mine, theirs = join(site, "S300", "Mina").json(), join(site, "S301", "Theo").json()
    seen = site.http.get(f"{site.url}/api/v1/tickets/{mine['token']}", timeout=10).json()
    assert seen["number"] == mine["number"] and seen["first_name"] == "Mina" and "Theo" not in str(seen)
    phone = site.listen({"ticket": mine["token"]})
    assert phone.next("snapshot")["ticket"]["number"] == mine["number"]
    staff = Staff(site)
    staff.act(4, "call-next")  # earlier tests' runners and `theirs` move; only `mine` may reach this phone
    left = site.http.delete(f"{site.url}/api/v1/tickets/{mine['token']}", timeout=10)
    assert left.status_code in (200, 409)
    phone.next("board")
    assert status(site, theirs["token"]) in ("waiting", "called")
    for name, payload in phone.seen:
        if name == "ticket":
            assert payload["number"] == mine["number"], payload
    phone.close()

    browser = site.session()
    form = browser.get(f"{site.url}/e/demo/join", timeout=10)
    fields = {"bib": "S302", "first_name": "Fay", "service": "pre", "screening_unwell": "no", "screening_injury": "no",
              "screening_medical_condition": "no", "csrf_token": CSRF_FIELD.search(form.text).group(1)}
    assert browser.post(f"{site.url}/e/demo/join", data=fields, timeout=10).status_code == 200
    assert browser.cookies.get("ticket_demo")
    assert browser.get(f"{site.url}/api/v1/events/demo/staff", timeout=10).status_code == 401
    assert refused_socket(site, {"event": "demo", "role": "staff"}, session=browser)


def test_ticket_numbers_and_bibs_never_grant_anything(site):
    """Proves: a ticket's number, its bib, its queue position or a lookalike opens nothing: no API read or leave,
    no ticket page, no leave form, no QR code, no socket; the runner stays in the queue."""
    runner = join(site, "S400", "Nora").json()
    before = version(site)
    browser = site.session()
    token = CSRF_FIELD.search(browser.get(f"{site.url}/e/demo/join", timeout=10).text).group(1)
    guesses = [runner["number"], runner["number"].lower(), runner["number"].replace("-", ""), "S400", "s400",
               str(runner["seq"]), runner["token"][:16], runner["token"] + "x"]
    for guess in guesses:
        assert site.http.get(f"{site.url}/api/v1/tickets/{guess}", timeout=10).status_code == 404, guess
        assert site.http.delete(f"{site.url}/api/v1/tickets/{guess}", timeout=10).status_code == 404, guess
        assert site.http.get(f"{site.url}/t/{guess}", timeout=10).status_code == 404, guess
        assert site.http.get(f"{site.url}/t/{guess}/qr.svg", timeout=10).status_code == 404, guess
        leave = browser.post(f"{site.url}/t/{guess}/leave", data={"csrf_token": token}, timeout=10)
        assert leave.status_code == 404, guess
        assert refused_socket(site, {"ticket": guess}), guess
    for guess in (runner["seq"], 400, None, True):
        assert refused_socket(site, {"ticket": guess}), guess
    assert version(site) == before and status(site, runner["token"]) == "waiting"


def test_tokens_are_long_random_and_never_repeat(site):
    """Proves: ticket tokens carry at least 128 bits (URL-safe base64, 22+ characters), never repeat over
    many joins, contain no bib or ticket number, and every position varies across tokens."""
    tickets = [join(site, f"T{n}", service=("pre", "post")[n % 2]).json() for n in range(200)]
    tokens = [t["token"] for t in tickets]
    assert len(set(tokens)) == len(tokens)
    for ticket in tickets:
        assert set(ticket["token"]) <= TOKEN_ALPHABET and len(ticket["token"]) * 6 >= 128
        assert ticket["number"] not in ticket["token"]
    for position in range(22):
        assert len({token[position] for token in tokens}) >= 20, f"position {position} barely varies"


def everything_heard(listener, final_version):
    """Every event a listener received up to the board delta of `final_version`, in order."""
    listener.next("board", lambda b: b["version"] >= final_version)
    return listener.heard()


def test_public_payloads_never_carry_another_runners_details(site):
    """Proves: through a whole visit (join, call, start, finish with a note, on the `other` event) a runner's
    phone and the TV receive no other runner's name, bib, screening answer or note, and nothing public (board
    deltas, snapshots, the board API, the ticket and TV pages) carries a personal key at all."""
    mine = join(site, "QX7001", "Aurelia", event="other").json()
    phone = site.listen({"ticket": mine["token"]})
    tv = site.listen({"event": "other"})
    medical = {"unwell": False, "injury": False, "medical_condition": True}
    theirs = join(site, "QX7002", "Bartholomew", screening=medical, event="other").json()
    third = join(site, "QX7003", "Cosima", event="other").json()
    staff = Staff(site, event="other", pin=OTHER_PIN)
    assert staff.act(2, "call-next").json()["ticket"]["number"] == mine["number"]
    assert staff.act(3, "call-next").json()["ticket"]["number"] == theirs["number"]
    for table, ticket in ((2, mine), (3, theirs)):
        assert staff.act(table, "start", ticket=ticket["number"]).status_code == 200
    for table, ticket in ((3, theirs), (2, mine)):
        note = f"NOTE-{ticket['number']} hamstring"
        assert staff.act(table, "finish", ticket=ticket["number"], note=note).status_code == 200
    assert site.http.delete(f"{site.url}/api/v1/tickets/{third['token']}", timeout=10).status_code == 200
    final = version(site, "other")
    heard_by_phone, heard_by_tv = everything_heard(phone, final), everything_heard(tv, final)
    assert any(name == "ticket" and p["status"] == "done" for name, p in heard_by_phone)
    asked = [phone.snapshot(), tv.snapshot()]
    secrets_of_others = ["Bartholomew", "QX7002", theirs["token"], "Cosima", "QX7003", third["token"],
                         f"NOTE-{theirs['number']}", "hamstring"]
    public = [p for _name, p in heard_by_tv] + [p for name, p in heard_by_phone if name == "board"]
    public += [p["board"] for name, p in heard_by_phone if name == "snapshot"] + [p["board"] for p in asked]
    public += [site.http.get(f"{site.url}/api/v1/events/other/board", timeout=10).json()]
    for payload in public:
        assert not keys_in(payload) & PERSONAL_KEYS, payload
        assert not any(word in str(payload) for word in secrets_of_others + ["Aurelia", "QX7001"]), payload
    for name, payload in heard_by_phone + [("snapshot", asked[0])]:
        assert not any(word in str(payload) for word in secrets_of_others), (name, payload)
    for path in (f"/t/{mine['token']}", "/e/other/board", f"/api/v1/tickets/{mine['token']}"):
        text = site.http.get(site.url + path, timeout=10).text
        assert not any(word in text for word in secrets_of_others), path
    phone.close()
    tv.close()


def test_personal_details_reach_staff_but_never_the_board_and_tokens_stay_with_their_runner(site):
    """Proves: the personal detail the checks above look for does exist and reaches staff (so they can fail),
    while no runner's token, the one key to their ticket, reaches a tablet, the organiser's views or the export."""
    ticket = join(site, "QX8001", "Ottoline").json()
    staff = Staff(site)
    tablet = staff.listen()
    staff_view = staff.http.get(f"{site.url}/api/v1/events/demo/staff", timeout=10).text
    assert "Ottoline" in staff_view and "QX8001" in staff_view and ticket["token"] not in staff_view
    assert not re.search("Ottoline|QX8001", site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).text)
    called = staff.act(3, "call-next")
    assert "token" not in called.json()["ticket"] and ticket["token"] not in called.text
    heard = tablet.next("staff", lambda delta: delta["version"] == version(site))
    assert not keys_in(heard) & {"token"} and ticket["token"] not in str(tablet.seen)
    tablet.close()
    organiser = Organiser(site)
    for path in ("/e/demo/export.csv", "/e/demo/dashboard", "/api/v1/events/demo/dashboard",
                 "/api/v1/events/demo/history"):
        answer = organiser.http.get(site.url + path, timeout=10)
        assert answer.status_code == 200 and ticket["token"] not in answer.text, path


def test_a_pin_that_cannot_be_encoded_is_refused_at_the_door_and_a_long_one_is_wrong(site):
    """A lone surrogate in JSON (which no hash can take) is refused with a message; a PIN far too long is a wrong
    PIN; never a 500."""
    answer = site.http.post(f"{site.url}/api/v1/events/demo/login", json={"pin": "\ud800"}, timeout=10)
    assert answer.status_code == 422 and answer.json()["field"] == "pin"
    answer = site.http.post(f"{site.url}/api/v1/events/demo/login", json={"pin": "1" * 1000}, timeout=10)
    assert answer.status_code == 401
