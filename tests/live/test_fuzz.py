"""Bad input of every shape against a real server, on SQLite and on PostgreSQL: never a 500, never a traceback,
always a clear message, and nothing stored (the event's version does not move) when input is refused.

Hypothesis generates API bodies (join, login, table actions with note and ticket, the organiser's service
settings and announcement), HTML form posts (join, staff PIN, settings) and Socket.IO payloads (connect `auth`,
the `snapshot` event): wrong types, huge strings, NUL, control characters and lone surrogates, NaN and
Infinity, JSON nested 100,000 deep, unicode, missing keys and injection strings. After each test the server's
log must hold no traceback.
"""

import contextlib
import json
import queue
import re
import time

import pytest
import requests
import socketio
from hypothesis import HealthCheck
from hypothesis import Phase
from hypothesis import example
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from tests.support.clients import Listener
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.faults import version
from tests.support.scaled import fresh_postgres_database
from tests.support.server import ServerProcess

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
TRACEBACK = re.compile(r"Traceback|File \"/")
NASTY = st.sampled_from([
    "'; DROP TABLE tickets; --", "\" OR 1=1 --", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "{{7*7}}", "${jndi:ldap://x/a}", "../../etc/passwd", "%s%s%n", "\x00", "\u202eevil", "🏃‍♀️💨",
    "Zoë Ægir", "null", "P-001", "pre", "yes", "A" * 100_000, "9" * 5_000, "\ud800", "Ana\x00", "Ana\udfff",
    "x\x1b[2J", "Infinity", "1e3", "abc",
])
SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=60) | NASTY)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.text(max_size=8) | st.sampled_from(["bib", "ticket", "event", "role", "note", "unwell"]), inner, max_size=3),
    max_leaves=6)
FORM_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80) | NASTY.filter(
    lambda s: "\ud800" not in s and "\udfff" not in s)
# Bodies that break a parser before any field is read: too deep, too big (named, so a failure prints the name).
RAW_BODIES = {
    "array 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "object 50,000 deep": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "array 17 deep": b"[" * 17 + b"]" * 17,
    "a 200 KB name": json.dumps({"bib": "1", "first_name": "A" * 200_000}).encode(),
    "a 70 KB note": b'{"note": "' + b"x" * 70_000 + b'"}',
}
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """One real server per database, with runners queued and one at table 1, so actions have targets."""
    with contextlib.ExitStack() as stack:
        env = {}
        if request.param == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(fresh_postgres_database())
        process = ServerProcess(tmp_path_factory.mktemp(f"fuzz-{request.param}"), env=env)
        process.start()
        stack.callback(process.stop)
        for bib in range(1, 31):
            join(process.url, bib, service=("pre", "post")[bib % 2])
        yield process


@pytest.fixture(scope="module")
def organiser(server):
    """The organiser, signed in to the demo event's settings and API."""
    return Organiser(server.url)


@pytest.fixture(scope="module")
def staff(server):
    """A signed-in tablet; table 1 has a runner called, so finish and start have someone to refuse."""
    tablet = Staff(server.url)
    tablet.act(1, "call-next")
    return tablet


def mark(server):
    """Where things stand before an example: the event's version and the length of the server's log."""
    return version(server.url), len(server.log())


def no_traceback_logged(server, before):
    """Whatever the input, the server logged no exception while handling it."""
    logged = server.log()[before[1]:]
    assert not TRACEBACK.search(logged), logged[-3000:]


def check_answer(server, answer, before, json_errors=True):
    """No 500 and no traceback; a refusal carries a clear message and leaves the event's version alone."""
    assert answer.status_code < 500, answer.text[:500]
    assert not TRACEBACK.search(answer.text), answer.text[:500]
    no_traceback_logged(server, before)
    if answer.status_code >= 400:
        if json_errors:
            body = answer.json()
            assert isinstance(body["error"], str) and body["error"].strip() and body["code"]
        assert version(server.url) == before[0], f"refused input changed the queue: {answer.text[:300]}"
    return answer


def post_json(http, url, body, headers=None):
    """POST `body` as JSON, NaN and Infinity included (as a sloppy client would send them)."""
    headers = dict(headers or {}, **{"Content-Type": "application/json"})
    return http.post(url, data=json.dumps(body), headers=headers, timeout=30)


def join_bodies():
    """Join bodies: anything at all, or a valid body with one field replaced by something strange."""
    valid = {"bib": "4242", "first_name": "Ana", "service": "pre",
             "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    one_bad = st.tuples(st.sampled_from(["bib", "first_name", "service", "screening"]), VALUES).map(
        lambda pair: dict(valid, **{pair[0]: pair[1]}))
    bad_answer = st.tuples(st.sampled_from(["unwell", "injury", "medical_condition"]), VALUES).map(
        lambda pair: dict(valid, screening=dict(valid["screening"], **{pair[0]: pair[1]})))
    return VALUES | one_bad | bad_answer | st.dictionaries(st.sampled_from(list(valid)), VALUES)


@EXAMPLES
@given(body=join_bodies())
def test_join_api_refuses_bad_bodies_clearly(server, body):
    before = mark(server)
    answer = post_json(requests, f"{server.url}/api/v1/events/demo/tickets", body)
    check_answer(server, answer, before)
    if answer.status_code == 201:  # a body that happened to be valid: release the bib for later examples
        requests.delete(f"{server.url}/api/v1/tickets/{answer.json()['token']}", timeout=10)


@EXAMPLES
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(str.encode),
       content_type=st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded", ""]),
       path=st.sampled_from(["/events/demo/tickets", "/events/demo/login"]))
def test_api_refuses_bodies_that_are_not_json_objects(server, raw, content_type, path):
    before = mark(server)
    answer = requests.post(f"{server.url}/api/v1{path}", data=raw, headers={"Content-Type": content_type},
                           timeout=30)
    check_answer(server, answer, before)


@EXAMPLES
@given(pin=VALUES)
def test_login_refuses_any_wrong_pin_and_signs_nobody_in(server, pin):
    before = mark(server)
    session = requests.Session()
    answer = check_answer(server, post_json(session, f"{server.url}/api/v1/events/demo/login", {"pin": pin}), before)
    assert answer.status_code in (401, 413, 422)
    assert session.get(f"{server.url}/api/v1/events/demo/staff", timeout=10).status_code == 401


@EXAMPLES
@given(table=st.sampled_from(["1", "2", "0", "999", "99999999999999999999", "-1", "x", "%00", "1.5"]),
       action=st.sampled_from(["call-next", "start", "finish", "no-show", "requeue", "break", "resume", "explode"]),
       body=st.dictionaries(st.sampled_from(["note", "ticket", "table", "force"]), VALUES, max_size=3) | VALUES,
       key=st.none() | st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=120))
def test_table_actions_refuse_bad_notes_tickets_and_tables(server, staff, table, action, body, key):
    before = mark(server)
    headers = {"X-CSRFToken": staff.csrf}
    if key is not None:
        headers["Idempotency-Key"] = key
    answer = post_json(staff.http, f"{server.url}/api/v1/events/demo/tables/{table}/{action}", body, headers)
    check_answer(server, answer, before)
    if answer.status_code == 200 and table == "1":
        staff.act(1, "call-next")  # if a valid action freed table 1, call someone so later examples have a target


def form_page(server, path):
    """A fresh browser session and the CSRF token of the form at `path`."""
    session = requests.Session()
    page = session.get(server.url + path, timeout=10)
    return session, CSRF_FIELD.search(page.text).group(1)


@EXAMPLES
@given(fields=st.dictionaries(st.sampled_from(["bib", "first_name", "service", "screening_unwell", "screening_injury",
                                               "screening_medical_condition", "extra"]), FORM_TEXT))
def test_the_join_form_refuses_bad_answers_with_a_message_on_the_page(server, fields):
    before = mark(server)
    session, token = form_page(server, "/e/demo/join")
    answer = session.post(f"{server.url}/e/demo/join", data=dict(fields, csrf_token=token), timeout=30,
                          allow_redirects=False)
    check_answer(server, answer, before, json_errors=False)
    assert answer.status_code in (200, 302, 409, 422), answer.status_code
    if answer.status_code in (409, 422):  # the form again with its message, or the door's refusal of the text
        assert any(words in answer.text for words in ('class="form-error"', "control character", "At most 20,000"))
    if answer.status_code == 302:  # happened to be valid: leave, so the bib is free again
        session.post(server.url + answer.headers["Location"] + "/leave", data={"csrf_token": token}, timeout=10)


@EXAMPLES
@given(pin=FORM_TEXT, with_token=st.booleans())
def test_the_staff_pin_form_refuses_wrong_pins_with_a_message(server, pin, with_token):
    before = mark(server)
    session, token = form_page(server, "/e/demo/staff")
    fields = {"pin": pin, "csrf_token": token} if with_token else {"pin": pin}
    answer = session.post(f"{server.url}/e/demo/staff", data=fields, timeout=30, allow_redirects=False)
    check_answer(server, answer, before, json_errors=False)
    assert answer.status_code in (400, 401, 422)
    assert any(words in answer.text for words in ("PIN is not right", "out of date", "control character", "At most"))
    assert session.get(f"{server.url}/api/v1/events/demo/staff", timeout=10).status_code == 401


# A bare number as `auth` is left out: python-socketio's client writes it straight after the packet type, where
# the server reads its digits as an ack id, so the packet is malformed before any of our code sees it.
AUTHS = VALUES.filter(lambda value: not isinstance(value, int | float)) | st.dictionaries(
    st.sampled_from(["ticket", "event", "role"]), VALUES, max_size=3)


# No shrinking: a failing socket example can cost seconds, and the explicit examples already name the cases.
SOCKET_EXAMPLES = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                           phases=[Phase.explicit, Phase.reuse, Phase.generate])


@SOCKET_EXAMPLES
@given(auth=AUTHS)
@example(auth={"event": "no-such-event"})
@example(auth={"ticket": "no-such-token"})
def test_socket_connect_with_any_auth_is_refused_or_gets_a_public_snapshot(server, auth):
    before = mark(server)
    client = socketio.Client(reconnection=False)
    snapshots = queue.Queue()
    client.on("snapshot", snapshots.put)
    try:
        client.connect(server.url, auth=auth, transports=["websocket"], wait_timeout=10)
    except socketio.exceptions.ConnectionError:
        time.sleep(0.1)  # a handler that crashed logs just after the client hears the refusal
        no_traceback_logged(server, before)
        return
    try:
        snapshot = snapshots.get(timeout=10)
        assert "board" in snapshot, snapshot
        assert "staff" not in snapshot, "a socket without a staff sign-in got the staff snapshot"
    finally:
        client.disconnect()
    no_traceback_logged(server, before)


@pytest.fixture(scope="module")
def tv(server):
    """A connected board client to send `snapshot` requests from."""
    listener = Listener(server.url, {"event": "demo"})
    yield listener
    listener.close()


@SOCKET_EXAMPLES
@given(payload=VALUES | st.tuples(VALUES, VALUES) | st.dictionaries(
    st.sampled_from(["ticket", "event", "role"]), VALUES, max_size=3))
@example(payload={"event": "no-such-event"})
@example(payload=({"event": "demo"}, "extra"))
def test_the_snapshot_event_answers_any_payload_with_a_snapshot_or_an_error(server, tv, payload):
    before = mark(server)
    answer = tv.client.call("snapshot", payload, timeout=3)
    assert isinstance(answer, dict) and answer, answer
    if "error" in answer:
        assert isinstance(answer["error"], str) and answer["error"].strip()
    else:
        assert set(answer) <= {"board", "ticket"}, "a snapshot request without a sign-in got staff data"
    assert version(server.url) == before[0]
    no_traceback_logged(server, before)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.sampled_from(sorted(RAW_BODIES)), target=st.sampled_from(["join", "table", "service", "announcement"]))
def test_bodies_too_deep_or_too_big_are_refused_before_parsing(server, staff, organiser, body, target):
    before, raw = mark(server), RAW_BODIES[body]
    http, path, headers = {
        "join": (requests, "/api/v1/events/demo/tickets", {}),
        "table": (staff.http, "/api/v1/events/demo/tables/1/finish", {"X-CSRFToken": staff.csrf}),
        "service": (organiser.http, "/api/v1/events/demo/services/pre", {"X-CSRFToken": organiser.csrf}),
        "announcement": (organiser.http, "/api/v1/events/demo/announcement", {"X-CSRFToken": organiser.csrf}),
    }[target]
    method = {"service": "PATCH", "announcement": "PUT"}.get(target, "POST")
    answer = http.request(method, server.url + path, data=raw, timeout=30,
                          headers=dict(headers, **{"Content-Type": "application/json"}))
    check_answer(server, answer, before)
    assert answer.status_code in (413, 422), answer.status_code


SERVICE_FIELDS = ["minutes", "capacity", "grace_seconds", "step_back_places", "name", "status", "opens_at"]


@EXAMPLES
@given(changes=st.dictionaries(st.sampled_from(SERVICE_FIELDS), VALUES | st.sampled_from(
    [float("inf"), float("-inf"), float("nan"), 1e3, 1.5, "1e3", "abc", "Pre\x00race", "Pre\udfffrace"]),
    min_size=1, max_size=3))
@example(changes={"minutes": float("inf")})
@example(changes={"name": "Pre\x00race"})
def test_service_settings_refuse_bad_values_and_store_nothing_half_way(server, organiser, changes):
    before = mark(server)
    answer = organiser.http.patch(f"{server.url}/api/v1/events/demo/services/pre", data=json.dumps(changes),
                                  headers={"X-CSRFToken": organiser.csrf, "Content-Type": "application/json"},
                                  timeout=30)
    check_answer(server, answer, before)
    if answer.status_code == 200:  # valid by chance: put the service back as it was, open, for later examples
        organiser.api("PATCH", "/services/pre", {"status": "open", "minutes": 10, "capacity": None,
                                                 "opens_at": None})


@EXAMPLES
@given(text=VALUES)
@example(text="Tent moves\x00 at noon")
@example(text="\ud800")
def test_the_announcement_refuses_bad_text(server, organiser, text):
    before = mark(server)
    answer = organiser.http.put(f"{server.url}/api/v1/events/demo/announcement", data=json.dumps({"text": text}),
                                headers={"X-CSRFToken": organiser.csrf, "Content-Type": "application/json"},
                                timeout=30)
    check_answer(server, answer, before)


@EXAMPLES
@given(section=st.sampled_from(["service", "table-add", "table"]),
       fields=st.dictionaries(st.sampled_from(["code", "name", "minutes", "number", "services", "remove"]),
                              FORM_TEXT | st.sampled_from(["abc", "1e3", "Pre\x00race", "9" * 40, "Infinity"]),
                              min_size=1, max_size=4))
@example(section="table-add", fields={"number": "abc", "services": "pre"})
@example(section="table", fields={"number": "1e3"})
@example(section="service", fields={"code": "pre", "name": "Pre\x00race"})
def test_settings_forms_refuse_bad_fields_with_a_message_on_the_page(server, organiser, section, fields):
    before = mark(server)
    answer = organiser.form(f"/e/demo/settings/{section}", fields, page="/e/demo/settings")
    check_answer(server, answer, before, json_errors=False)
    if answer.status_code == 200 and "message=" in answer.url:  # saved by chance: nothing to undo for the fuzz
        return
    assert answer.status_code in (200, 400, 404, 409, 422), answer.status_code
