"""Tent Wi-Fi: links that drop, answers that never arrive, requests that arrive late.

Clients talk to the real server through FlakyNetwork, a TCP proxy whose links can be cut (both sides see a
reset), refused, or made to deliver requests while losing the answers.
"""

import pytest
import requests

from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.faults import FlakyNetwork
from tests.support.faults import ProxiedListener
from tests.support.faults import Tablet
from tests.support.faults import audit_paths
from tests.support.faults import query
from tests.support.faults import version

CALLED = [(None, "waiting"), ("waiting", "called")]


@pytest.fixture
def network(server):
    """A cuttable network between the clients and the server."""
    proxy = FlakyNetwork(server.port)
    yield proxy
    proxy.close()


def status_of(server, number):
    """A ticket's status and table number, read from the server's SQLite file."""
    return query(server.database, "SELECT t.status, s.number FROM tickets t LEFT JOIN massage_tables s "
                                  "ON s.id = t.table_id WHERE t.label = ?", (number,))[0]


def test_a_phone_a_tv_and_a_tablet_that_lose_their_link_see_the_true_state_when_it_comes_back(server, network):
    """Proves: after a dropped link during which runners are called, one leaves and one joins, the phone, the
    TV and a tablet reconnect by themselves to a snapshot equal to the server's state, and get live updates."""
    runners = [join(server.url, bib).json() for bib in (1, 2, 3, 4)]
    staff = Staff(server.url)
    phone = ProxiedListener(network.url, {"ticket": runners[3]["token"]}, server.url)
    tv = ProxiedListener(network.url, {"event": "demo"}, server.url)
    tablet = ProxiedListener(network.url, {"event": "demo", "role": "staff"}, server.url,
                             cookies=staff.http.cookies.get_dict())
    assert phone.next("snapshot")["ticket"]["place"] == 4
    tv.next("snapshot")
    tablet.next("snapshot")

    network.cut("refuse")
    staff.act(1, "call-next")
    staff.act(2, "call-next")
    assert requests.delete(f"{server.url}/api/v1/tickets/{runners[2]['token']}", timeout=10).status_code == 200
    join(server.url, 5)
    now = version(server.url)
    network.heal()

    snap = phone.next("snapshot", timeout=20)
    assert snap["board"]["version"] == now
    assert snap["ticket"]["place"] == 1 and snap["ticket"]["status"] == "waiting"
    assert {s["number"]: s["table"] for s in snap["board"]["serving"]} == {"P-001": 1, "P-002": 2}
    board = tv.next("snapshot", timeout=20)["board"]
    assert board == requests.get(f"{server.url}/api/v1/events/demo/board", timeout=10).json()
    seen_by_tablet = tablet.next("snapshot", timeout=20)["staff"]
    truth = staff.http.get(f"{server.url}/api/v1/events/demo/staff", timeout=10).json()
    assert seen_by_tablet["version"] == now
    assert [(t["number"], t["status"], t["table"], t["place"]) for t in seen_by_tablet["tickets"]] == [
        (t["number"], t["status"], t["table"], t["place"]) for t in truth["tickets"]]

    staff.act(3, "call-next")
    assert phone.next("ticket", lambda t: t["status"] == "called")["table"] == 3
    assert tv.next("board", lambda b: b["version"] == now + 1)["changes"][0]["number"] == "P-004"
    assert tablet.next("staff", lambda b: b["version"] == now + 1)["tickets"][0]["table"] == 3
    for listener in (phone, tv, tablet):
        listener.close()


def test_a_staff_action_whose_answer_was_lost_acts_once_when_retried_with_the_same_key(server, network):
    """Proves: call next and finish whose requests reached the server but whose answers were lost act exactly
    once when the tablet retries with the same Idempotency-Key, and the retry is told what was done."""
    for bib in (1, 2, 3):
        join(server.url, bib)
    tablet = Tablet(Staff(server.url), 1)
    before = version(server.url)

    network.cut("swallow")
    with pytest.raises(requests.ConnectionError):
        tablet.act("call-next", key="call-1", base_url=network.url)
    network.heal()
    assert status_of(server, "P-001") == ("called", 1)  # the request did arrive
    retried = tablet.act("call-next", key="call-1", base_url=network.url)
    assert retried.status_code == 200 and retried.json()["ticket"]["number"] == "P-001"
    assert tablet.act("call-next", key="call-1").json() == retried.json()
    assert version(server.url) == before + 1
    assert status_of(server, "P-002") == ("waiting", None)

    assert tablet.act("start", ticket="P-001").status_code == 200
    network.cut("swallow")
    with pytest.raises(requests.ConnectionError):
        tablet.act("finish", key="finish-1", base_url=network.url, ticket="P-001", note="tight calves")
    network.heal()
    retried = tablet.act("finish", key="finish-1", base_url=network.url, ticket="P-001", note="tight calves")
    assert retried.status_code == 200 and retried.json()["ticket"]["status"] == "done"
    assert audit_paths(server.database)["P-001"] == CALLED + [("called", "in_treatment"), ("in_treatment", "done")]
    assert audit_paths(server.database)["P-002"] == [(None, "waiting")]


def test_a_retried_staff_action_acts_once_across_a_server_restart(server, network):
    """Proves: idempotency keys are rows, not memory: an action whose answer was lost, retried with the same key
    after the server was killed and restarted, is answered from the stored result and does not act again."""
    for bib in (1, 2, 3):
        join(server.url, bib)
    tablet = Tablet(Staff(server.url), 2)
    network.cut("swallow")
    with pytest.raises(requests.ConnectionError):
        tablet.act("call-next", key="before-crash", base_url=network.url)
    network.heal()
    server.kill()
    server.start()
    retried = tablet.act("call-next", key="before-crash")
    assert retried.status_code == 200 and retried.json()["ticket"]["number"] == "P-001"
    assert retried.json()["ticket"]["table"] == 2
    assert audit_paths(server.database) == {"P-001": CALLED, "P-002": [(None, "waiting")],
                                            "P-003": [(None, "waiting")]}
    done = tablet.act("no-show", key="after-crash")
    server.kill()
    server.start()
    assert tablet.act("no-show", key="after-crash").json() == done.json()
    assert status_of(server, "P-002") == ("waiting", None)


def test_a_call_next_delivered_late_does_not_call_a_runner_the_tablet_never_saw(server):
    """Proves: a Call next sent while the tablet showed P-001 as next, arriving after another table took P-001,
    is refused with a 409 (nobody else is called); when the runner it names is still next, it is confirmed."""
    for bib in (1, 2, 3):
        join(server.url, bib)
    staff = Staff(server.url)
    seen = staff.http.get(f"{server.url}/api/v1/events/demo/staff", timeout=10).json()
    next_up = next(t["number"] for t in seen["tickets"] if t["status"] == "waiting")
    assert next_up == "P-001"
    assert staff.act(2, "call-next").json()["ticket"]["number"] == "P-001"  # meanwhile, another table
    before = version(server.url)

    late = staff.act(1, "call-next", ticket=next_up)
    assert late.status_code == 409 and late.json()["error"], late.text
    assert version(server.url) == before
    assert status_of(server, "P-002") == ("waiting", None)

    confirmed = staff.act(1, "call-next", ticket="P-002")
    assert confirmed.status_code == 200 and confirmed.json()["ticket"]["number"] == "P-002"


def test_a_finish_delivered_late_never_finishes_the_next_runner(server, network):
    """Proves: a finish or no-show naming P-001 that arrives after the table moved on to P-002 is refused and
    leaves P-002 alone, and a retry of a finish that did act (same key) answers for P-001, not P-002."""
    for bib in (1, 2, 3):
        join(server.url, bib)
    tablet, other_device = Tablet(Staff(server.url), 1), Tablet(Staff(server.url), 1)
    tablet.act("call-next")
    tablet.act("start", ticket="P-001")
    network.cut("swallow")
    with pytest.raises(requests.ConnectionError):
        tablet.act("finish", key="finish-p1", base_url=network.url, ticket="P-001")
    network.heal()
    assert other_device.act("call-next").json()["ticket"]["number"] == "P-002"
    before = version(server.url)

    for action in ("finish", "no-show", "start"):
        late = tablet.act(action, ticket="P-001")
        assert late.status_code == 409 and "P-002" in late.json()["error"], late.text
    retried = tablet.act("finish", key="finish-p1", ticket="P-001")
    assert retried.status_code == 200 and retried.json()["ticket"]["number"] == "P-001"
    assert retried.json()["ticket"]["status"] == "done"
    assert version(server.url) == before
    assert status_of(server, "P-002") == ("called", 1)
    assert audit_paths(server.database)["P-002"] == CALLED
