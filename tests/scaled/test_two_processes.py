"""Two server processes, one PostgreSQL database, one Redis: live updates and claims cross processes."""

import json
import threading
import time

import psycopg2
import redis
import requests

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import changes_since
from tests.support.clients import join
from tests.support.scaled import REDIS_URL


def test_a_runner_connected_to_one_process_sees_a_call_made_on_the_other(pair):
    a, b = pair
    first = join(a.url, 101, "Ana").json()
    second = join(b.url, 102, "Bo").json()
    assert (first["number"], second["number"], second["place"]) == ("P-001", "P-002", 2)

    phone = Listener(a.url, {"ticket": first["token"]})
    assert phone.next("snapshot")["ticket"]["place"] == 1
    tv = Listener(a.url, {"event": "demo"})
    seen = tv.next("snapshot")["board"]["version"]
    tablet_on_a = Staff(a.url).listen()
    tablet_on_a.next("snapshot")

    called = Staff(b.url).act(3, "call-next")
    assert called.status_code == 200 and called.json()["ticket"]["number"] == "P-001"
    assert phone.next("ticket", lambda t: t["status"] == "called")["table"] == 3
    # Only the steps newer than the TV's snapshot: the joins' gathered delta may still arrive after it.
    delta = tv.next("board", lambda d: changes_since(d, seen, "P-001"))
    assert [(c["from"], c["status"], c["table"]) for c in changes_since(delta, seen, "P-001")] == [
        ("waiting", "called", 3)]
    assert tablet_on_a.next("staff")["tickets"][0]["first_name"] == "Ana"
    for client in (phone, tv, tablet_on_a):
        client.close()


def test_each_emit_crosses_the_tents_own_redis_channel_once_and_is_heard_once(pair):
    """The call reaches a phone on the other process once; a board delta goes sliced, the rest as python-socketio
    sends them (live/message_queue.py)."""
    a, b = pair
    channel = redis.Redis.from_url(REDIS_URL, protocol=2).pubsub(ignore_subscribe_messages=True)
    channel.subscribe(a.extra_env["SOCKETIO_CHANNEL"])
    joined = join(a.url, 5, "Di").json()
    phone = Listener(b.url, {"ticket": joined["token"]})
    phone.next("snapshot")
    assert Staff(a.url).act(1, "call-next").status_code == 200
    assert phone.next("ticket", lambda t: t["status"] == "called")["table"] == 1
    published, quiet_until = [], time.monotonic() + 1.5  # the gathered board delta goes within a quarter second
    while time.monotonic() < quiet_until:
        message = channel.get_message(timeout=0.1)
        if message is not None:
            published.append(json.loads(message["data"]))
    channel.close()
    emits = [message for message in published if message["method"] == "emit"]
    assert {"ticket", "board", "staff"} <= {message["event"] for message in emits}
    sent = [json.dumps([m["host_id"], m["event"], m["room"], m["data"]], sort_keys=True) for m in emits]
    assert len(sent) == len(set(sent)), "an emit was published twice"
    # Board deltas are published first and written in slices by every process; the rest as python-socketio does.
    assert {message["event"] for message in emits if message.get("sliced")} == {"board"}
    assert [t["status"] for name, t in phone.heard() if name == "ticket"].count("called") == 1
    phone.close()


def test_a_join_on_one_process_reaches_a_board_on_the_other_with_the_next_version(pair):
    a, b = pair
    tv = Listener(b.url, {"event": "demo"})
    version = tv.next("snapshot")["board"]["version"]
    joined = join(a.url, 7, "Cy").json()
    delta = tv.next("board")
    assert delta["version"] == version + 1 == joined["version"]
    assert [(c["number"], c["status"]) for c in delta["changes"]] == [("P-001", "waiting")]
    assert requests.get(f"{b.url}/api/v1/tickets/{joined['token']}", timeout=10).json()["place"] == 1
    tv.close()


def test_tables_on_both_processes_calling_at_once_never_get_the_same_runner(pair):
    a, b = pair
    for bib in range(1, 25):
        assert join((a, b)[bib % 2].url, bib).status_code == 201
    # Tables 1 and 2 press on process A, tables 3 and 4 on process B, all at the same instant.
    tablets = [(Staff(a.url), 1), (Staff(a.url), 2), (Staff(b.url), 3), (Staff(b.url), 4)]
    called = []

    def press(index, barrier, answers):
        staff, table = tablets[index]
        barrier.wait()
        answers[index] = staff.act(table, "call-next")

    for _round in range(6):
        barrier, answers = threading.Barrier(len(tablets)), [None] * len(tablets)
        threads = [threading.Thread(target=press, args=(i, barrier, answers)) for i in range(len(tablets))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for (staff, table), answer in zip(tablets, answers, strict=True):
            assert answer.status_code == 200, answer.text
            called.append(answer.json()["ticket"]["number"])
            assert staff.act(table, "no-show").status_code == 200
    assert sorted(called) == [f"P-{n:03d}" for n in range(1, 25)]
    assert_each_ticket_called_once(a.extra_env["DATABASE_URL"])


def assert_each_ticket_called_once(database_url):
    """The audit log in PostgreSQL shows every ticket moved to `called` exactly once, and versions never repeat."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT ticket_id, count(*) FROM ticket_events WHERE to_status = 'called' GROUP BY ticket_id")
        counts = [count for _ticket, count in cursor.fetchall()]
        cursor.execute("SELECT count(DISTINCT version), count(*) FROM ticket_events")
        distinct_versions, rows = cursor.fetchone()
    connection.close()
    assert len(counts) == 24 and set(counts) == {1}
    # Each transaction bumps the version once; joins and calls log one row each, so versions are all distinct.
    assert distinct_versions == rows
