"""An Idempotency-Key belongs to one sign-in, one method and one address: a retried request acts once, and a key
reused anywhere else is a new request (issue 12, break 1)."""

from tests.support.clients import Staff
from tests.support.clients import join


def test_two_tablets_using_the_same_key_each_call_their_own_runner(site):
    for bib in (1, 2):
        join(site, bib)
    tablet_a, tablet_b = Staff(site), Staff(site)
    first = tablet_a.act(3, "call-next", key="k1")
    second = tablet_b.act(4, "call-next", key="k1")
    assert first.json()["ticket"]["number"] == "P-001" and first.json()["ticket"]["table"] == 3
    assert second.json()["ticket"]["number"] == "P-002" and second.json()["ticket"]["table"] == 4
    assert tablet_a.act(3, "call-next", key="k1").json() == first.json()  # a true retry answers the same


def test_one_key_on_another_table_or_action_is_a_new_request(site):
    for bib in (3, 4):
        join(site, bib)
    staff = Staff(site)
    assert staff.act(1, "call-next", key="same").json()["ticket"]["number"] == "P-001"
    assert staff.act(2, "call-next", key="same").json()["ticket"]["number"] == "P-002"
    assert staff.act(1, "no-show", key="same").json()["ticket"]["status"] == "no_show"


def test_a_key_reused_with_another_body_is_refused_and_acts_on_nothing(site):
    for bib in (5, 6):
        join(site, bib)
    staff = Staff(site)
    staff.act(1, "call-next", key="called")
    staff.act(1, "start", key="started")
    staff.act(1, "finish", key="done", note="tight calf")
    other = staff.act(1, "finish", key="done", note="sore hamstring")
    assert other.status_code == 422 and other.json()["field"] == "Idempotency-Key"
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["services"]["pre"]["waiting"] == 1
