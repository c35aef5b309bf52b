"""A pulled plug during the post-race rush: SIGKILL the server at random moments, restart it, lose nothing.

The busiest stretch of a real race day (150 arrivals from ../shared/data/arrivals.csv, replayed 100 times
faster) joins through the API while six tablets call, start and finish runners. Clients behave as the real
ones should: a join or table action whose answer never came is sent again (table actions with the same
Idempotency-Key), and Socket.IO clients reconnect on their own.
"""

import csv
import random
import threading
import time
import uuid

import requests

from tests.support.clients import NO_SYMPTOMS
from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.faults import Tablet
from tests.support.faults import audit_paths
from tests.support.faults import query
from tests.support.server import ROOT

ARRIVALS = ROOT.parent / "shared" / "data" / "arrivals.csv"
RUSH = 150
SPEEDUP = 100
KILLS = 4
RANK = {"waiting": 0, "called": 1, "in_treatment": 2, "done": 3}
FULL_VISIT = [(None, "waiting"), ("waiting", "called"), ("called", "in_treatment"), ("in_treatment", "done")]


def rush_hour():
    """The RUSH consecutive arrivals that came closest together: (seconds, bib, service) rows."""
    with open(ARRIVALS) as handle:
        rows = [(int(r["seconds_from_start_gun"]), r["bib"], r["service"]) for r in csv.DictReader(handle)]
    start = min(range(len(rows) - RUSH), key=lambda i: rows[i + RUSH][0] - rows[i][0])
    return rows[start:start + RUSH]


def until_answered(send, deadline=60):
    """Send again until the server answers, as a phone or tablet retries through a restart."""
    give_up = time.monotonic() + deadline
    while True:
        try:
            return send()
        except requests.RequestException:
            if time.monotonic() > give_up:
                raise
            time.sleep(0.05)


class RaceDay:
    """The clients' side of the day: what each runner and tablet was told, and anything that went wrong."""

    def __init__(self, server, staff):
        self.server, self.staff = server, staff
        self.lock = threading.Lock()
        self.joined = []      # acknowledged joins (201), in the order the answers came
        self.told = {}        # ticket number -> last status a tablet was told, and the table
        self.errors = []
        self.joins_done = threading.Event()

    def replay(self, arrivals):
        """Join every arrival in time order; a join whose answer was lost is sent again."""
        previous = arrivals[0][0]
        for seconds, bib, service in arrivals:
            time.sleep((seconds - previous) / SPEEDUP)
            previous = seconds
            answer = until_answered(lambda b=bib, s=service: self._join(b, s))
            if answer.status_code == 201:
                with self.lock:
                    self.joined.append(answer.json())
            elif answer.status_code != 409:  # a 409 follows a join stored just before a kill whose answer was lost
                self.errors.append(f"join {bib}: {answer.status_code} {answer.text}")
        self.joins_done.set()

    def _join(self, bib, service):
        """POST one join as the runner's phone does, with a short timeout."""
        body = {"bib": bib, "first_name": f"R{bib}", "service": service, "screening": NO_SYMPTOMS}
        return requests.post(f"{self.server.url}/api/v1/events/demo/tickets", json=body, timeout=5)

    def work(self, number):
        """One table: call the next runner, start, finish; each action retried with its own key until answered."""
        tablet = Tablet(self.staff, number)
        while True:
            called = self._act(tablet, "call-next")
            if called is None:
                return
            ticket = called.json()["ticket"]
            if ticket is None:
                if self.joins_done.is_set():
                    return
                time.sleep(0.02)
                continue
            for action in ("start", "finish"):
                if self._act(tablet, action, ticket=ticket["number"]) is None:
                    return

    def _act(self, tablet, action, **body):
        """One table action until answered; records what the tablet was told, or the error."""
        key = uuid.uuid4().hex
        answer = until_answered(lambda: tablet.act(action, key=key, timeout=5, **body))
        if answer.status_code != 200:
            self.errors.append(f"table {tablet.table} {action}: {answer.status_code} {answer.text}")
            return None
        ticket = answer.json()["ticket"]
        if ticket:
            with self.lock:
                if action == "call-next" and ticket["number"] in self.told:
                    self.errors.append(f"{ticket['number']} called a second time, by table {tablet.table}")
                self.told[ticket["number"]] = (ticket["status"], tablet.table)
        return answer

    def acknowledged(self):
        """Copies of what clients have been told so far."""
        with self.lock:
            return list(self.joined), dict(self.told)


def check_file_after_kill(database, joined, told):
    """Every acknowledged join is in the dead server's file with its number, public order key (the `seq` phones
    were told) and bib; statuses are at least what the tablets were told and at most one unanswered step ahead."""
    rows = {token: (label, seq, bib, status) for token, label, seq, bib, status in query(
        database, "SELECT token, label, pub, bib, status FROM tickets")}
    for ticket in joined:
        assert ticket["token"] in rows, f"acknowledged {ticket['number']} lost in the crash"
        label, seq, _bib, status = rows[ticket["token"]]
        assert (label, seq) == (ticket["number"], ticket["seq"])
    statuses = {label: status for label, _seq, _bib, status in rows.values()}
    for label, (status, _table) in told.items():
        assert RANK[statuses[label]] - RANK[status] in (0, 1), f"{label} is {statuses[label]}, tablet told {status}"
    seqs = [t["seq"] for t in joined]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_killing_the_server_mid_rush_loses_no_acknowledged_ticket_and_doubles_no_runner(server):
    """Proves: across SIGKILLs at random moments, every ticket a phone got a 201 for survives with its number and
    place in the order, tablets' retried actions act once, no runner is called twice or skipped, every runner is
    finally treated exactly once, and phones, the TV and tablets reconnect by themselves to a fresh snapshot."""
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    staff = Staff(server.url)
    first = join(server.url, "W1", "Walk").json()
    listeners = {
        "phone": Listener(server.url, {"ticket": first["token"]}),
        "tv": Listener(server.url, {"event": "demo"}),
        "tablet": staff.listen(),
    }
    for listener in listeners.values():
        listener.next("snapshot")
    day = RaceDay(server, staff)
    workers = [threading.Thread(target=day.replay, args=(rush_hour(),))]
    workers += [threading.Thread(target=day.work, args=(n,)) for n in range(1, 7)]
    for worker in workers:
        worker.start()
    for kill in range(KILLS):
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()
        joined, told = day.acknowledged()
        check_file_after_kill(server.database, joined, told)
        (version_at_kill,) = query(server.database, "SELECT version FROM events WHERE slug = 'demo'")[0]
        server.start()
        for name, listener in listeners.items():
            snap = listener.next("snapshot", timeout=20)
            fresh = (snap.get("staff") or snap.get("board"))["version"]
            assert fresh >= version_at_kill, f"seed {seed}, kill {kill}: {name} got a stale snapshot"
    for worker in workers:
        worker.join(timeout=90)
        assert not worker.is_alive(), f"seed {seed}: a client is stuck"
    assert day.errors == [], f"seed {seed}"

    joined, told = day.acknowledged()
    assert len(joined) >= RUSH - KILLS, f"seed {seed}: too few joins acknowledged to prove anything"
    for ticket in [first] + joined:
        seen = requests.get(f"{server.url}/api/v1/tickets/{ticket['token']}", timeout=10)
        assert seen.status_code == 200 and seen.json()["number"] == ticket["number"]
        assert seen.json()["status"] == "done", f"seed {seed}: {ticket['number']} ended {seen.json()['status']}"
    for label, path in audit_paths(server.database).items():
        assert path == FULL_VISIT, f"seed {seed}: {label} went {path}"
        assert told[label][0] == "done"
    called = query(server.database, "SELECT t.label, t.seq, e.table_number FROM ticket_events e JOIN tickets t "
                                     "ON t.id = e.ticket_id WHERE e.to_status = 'called' ORDER BY e.id")
    assert [seq for _label, seq, _table in called] == sorted(seq for _label, seq, _table in called)
    assert all(told[label][1] == table for label, _seq, table in called), "a tablet was told the wrong table"
    versions = [v for (v,) in query(server.database, "SELECT version FROM ticket_events ORDER BY id")]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    for listener in listeners.values():
        listener.close()
