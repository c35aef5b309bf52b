"""Helpers for fault tests: more events in a server's database, clicks at the same instant, a cuttable network."""

import json
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid

import requests
import socketio

from tests.support.clients import Listener
from tests.support.server import ROOT

# Run in a separate process so the test process never binds the app's global engine to the server's file.
ADD_EVENT = """
import sys
from datetime import datetime
from queue_app import create_app
from queue_app.actions import setup
from queue_app.rules.setup import EventSpec, demo_services
slug, pin, tables = sys.argv[1], sys.argv[2], int(sys.argv[3])
with create_app({"ASYNC_MODE": "threading"}).app_context():
    spec = EventSpec(slug, slug.title() + " Trail Race", pin, demo_services(), tables)
    setup.create_event(spec, now=datetime(2026, 5, 3, 7))
"""


SEED_WAITING = """
import json
import sys
from queue_app import create_app
from queue_app.actions import runner
from queue_app.actions import setup
from queue_app.clock import now
count, pin = int(sys.argv[1]), sys.argv[2]
screening = {"unwell": False, "injury": False, "medical_condition": False}
with create_app({"ASYNC_MODE": "threading"}).app_context():
    setup.ensure_demo(pin, now())
    tokens = [runner.join("demo", {"bib": str(bib), "first_name": "Runner", "service": "pre",
                                   "screening": screening}, now())["ticket"]["token"] for bib in range(1, count + 1)]
json.dump(tokens, sys.stdout)
"""


def seed_waiting(server, count):
    """Queue `count` runners for the demo event's pre-race service before the server starts; their tokens."""
    env = dict(server.env(), ASYNC_MODE="threading")
    done = subprocess.run([sys.executable, "-c", SEED_WAITING, str(count), env["DEMO_PIN"]], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def add_event(server, slug, pin, tables):
    """Create another event (both demo services, `tables` tables) in the server's SQLite file, as an organiser would."""
    env = dict(server.env(), ASYNC_MODE="threading")
    done = subprocess.run([sys.executable, "-c", ADD_EVENT, slug, pin, str(tables)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def together(count, action):
    """Run action(i) for i in range(count) in threads released by one barrier; results (or exceptions) by i."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        try:
            results[index] = action(index)
        except Exception as error:  # the caller asserts on what each click got, errors included
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class Tablet:
    """One table's tablet: its own HTTP session carrying a signed-in staff cookie and CSRF token."""

    def __init__(self, staff, table):
        self.base_url, self.event, self.table = staff.base_url, staff.event, table
        self.http = requests.Session()
        self.http.cookies.update(staff.http.cookies)
        self.csrf = staff.csrf

    def act(self, action, key=None, timeout=10, base_url=None, **body):
        """POST an action for this table; a fresh Idempotency-Key unless one is given."""
        headers = {"X-CSRFToken": self.csrf, "Idempotency-Key": key or uuid.uuid4().hex}
        url = f"{base_url or self.base_url}/api/v1/events/{self.event}/tables/{self.table}/{action}"
        return self.http.post(url, json=body, headers=headers, timeout=timeout)


def query(database, sql, params=()):
    """Rows of a read-only query on the server's SQLite file."""
    # Read-write so a file left by a killed server gets its WAL recovered, as the next server start would.
    connection = sqlite3.connect(database, timeout=10)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def version(base_url, event="demo"):
    """The event's version as the public board reports it."""
    return requests.get(f"{base_url}/api/v1/events/{event}/board", timeout=10).json()["version"]


def audit_paths(database):
    """{ticket label: [(from, to), ...]} from the audit table, oldest move first."""
    paths = {}
    for label, before, after in query(database, "SELECT t.label, e.from_status, e.to_status FROM ticket_events e "
                                                "JOIN tickets t ON t.id = e.ticket_id ORDER BY e.id"):
        paths.setdefault(label, []).append((before, after))
    return paths


class ProxiedListener(Listener):
    """A Listener reaching the server through a proxy: it sends the server's own address as its Origin."""

    def __init__(self, proxy_url, auth, origin, cookies=None):
        self.events = queue.Queue()
        self.seen = []
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.2, reconnection_delay_max=1,
                                      websocket_extra_options={"origin": origin})
        self.client.on("*", self._record)
        self.headers = {}
        if cookies:
            self.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        self.base_url, self.auth = proxy_url, auth
        self.client.connect(proxy_url, auth=auth, headers=self.headers, transports=["websocket"], wait_timeout=10)


class FlakyNetwork:
    """A TCP proxy in front of the server whose links can be cut, refused or made to lose answers, like tent Wi-Fi."""

    def __init__(self, target_port):
        self.target_port = target_port
        self.mode = "pass"  # "pass", "refuse" (no new links) or "swallow" (requests arrive, answers are lost)
        self.links = set()
        self.lock = threading.Lock()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        """Take each new client link and pair it with one to the server, unless links are refused."""
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.mode == "refuse":
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.links.add((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, source, target, answers):
        """Copy bytes one way until either side closes; in "swallow" mode answers are dropped and the link cut."""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if answers and self.mode == "swallow":
                    break
                target.sendall(data)
        except OSError:
            pass
        self._close(source, target)

    def _close(self, *ends):
        """Reset both ends of a link, as a dropped radio link looks to each side."""
        for end in ends:
            _reset(end)
        with self.lock:
            self.links = {link for link in self.links if link[0] not in ends and link[1] not in ends}

    def cut(self, mode="refuse"):
        """Drop every open link at once and set how new ones are treated."""
        self.mode = mode
        with self.lock:
            links = list(self.links)
        for client, upstream in links:
            self._close(client, upstream)

    def heal(self):
        """Let links through again."""
        self.mode = "pass"

    def close(self):
        """Stop listening and drop every link."""
        self.cut()
        self.listener.close()


def _reset(end):
    """Cut a socket now: shutdown wakes the thread blocked reading it, then close with an RST, not a polite FIN."""
    try:
        end.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        end.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        end.close()
    except OSError:
        pass
