"""Protections of a real server: headers, rate limits, secrets that are never defaults, and the grace-time timer."""

import re
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.server import ROOT
from tests.support.server import ServerProcess


@pytest.fixture
def limited(tmp_path):
    """A server with rate limits on and small enough to reach in a test."""
    process = ServerProcess(tmp_path, env={"RATE_LIMITS": "on", "JOIN_RATE_LIMIT": "5/minute",
                                           "BIB_RATE_LIMIT": "3/minute", "SIGN_IN_RATE_LIMIT": "3/minute"})
    process.start()
    yield process
    process.stop()


def waiting(server):
    """Runners waiting for the pre-race service, as the public board says."""
    return requests.get(f"{server.url}/api/v1/events/demo/board", timeout=10).json()["services"]["pre"]["waiting"]


def test_every_page_sends_a_strict_content_security_policy_and_no_referrer(server):
    ticket = join(server.url, 1).json()
    for path in ("/", "/e/demo/join", f"/t/{ticket['token']}", "/e/demo/staff", "/e/demo/board"):
        headers = requests.get(server.url + path, timeout=10).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Content-Type-Options"] == "nosniff"
    ticket_headers = requests.get(f"{server.url}/t/{ticket['token']}", timeout=10).headers
    assert "no-store" in ticket_headers["Cache-Control"]


def test_joins_from_one_address_are_limited_with_a_clear_answer_and_nothing_stored(limited):
    for bib in range(1, 6):
        assert join(limited.url, bib).status_code == 201
    refused = join(limited.url, 6)
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited" and "Wait" in refused.json()["error"]
    assert waiting(limited) == 5


def test_one_bib_cannot_be_hammered(limited):
    answers = [join(limited.url, 77).status_code for _ in range(4)]
    assert answers == [201, 409, 409, 429]


def test_wrong_pins_use_up_sign_in_tries_but_right_ones_do_not(limited):
    for _ in range(4):
        Staff(limited.url)  # right PIN: never limited
    url = f"{limited.url}/api/v1/events/demo/login"
    assert [requests.post(url, json={"pin": "999999"}, timeout=10).status_code for _ in range(3)] == [401] * 3
    assert requests.post(url, json={"pin": "246810"}, timeout=10).status_code == 429


def test_without_configured_secrets_they_are_generated_kept_and_a_sign_in_survives_a_restart(tmp_path):
    process = ServerProcess(tmp_path, env={"SECRET_KEY": "", "DEMO_PIN": ""})
    process.start()
    try:
        pin = re.search(r"Staff PIN:\s+(\d{6})", process.log()).group(1)
        key_file = tmp_path / "instance" / "secret_key"
        assert len(key_file.read_text().strip()) == 64
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        staff = Staff(process.url, pin=pin)
        join(process.url, 1)
        process.stop()
        process.start()
        assert "246810" not in process.log() and process.log().count(pin) == 1  # printed once, at first start
        assert staff.act(1, "call-next").json()["ticket"]["number"] == "P-001"
    finally:
        process.stop()


@pytest.mark.parametrize("env, message", [
    ({"DEMO_PIN": "1234"}, "6 to 12 digits"),
    ({"ORGANISER_PASSWORD": "short"}, "at least 10 characters"),
])
def test_a_weak_configured_secret_stops_the_server_with_a_clear_message(tmp_path, env, message):
    process = ServerProcess(tmp_path, env=env)
    result = subprocess.run([sys.executable, "wsgi.py"], cwd=ROOT, env=process.env(), capture_output=True,
                            text=True, timeout=30)
    assert result.returncode != 0 and message in result.stderr and "Traceback" not in result.stderr


def _shorten_grace(database, seconds):
    """Make called runners time out quickly (the organiser's setting, written straight to the test's database)."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE services SET grace_seconds = ?", (seconds,))


def test_a_called_runner_who_does_not_come_becomes_a_no_show_and_the_table_is_told(tmp_path):
    process = ServerProcess(tmp_path, env={"SWEEP_SECONDS": "0.3"})
    process.start()
    try:
        ticket = join(process.url, 1).json()
        _shorten_grace(process.database, 1)
        phone = Listener(process.url, {"ticket": ticket["token"]})
        staff = Staff(process.url)
        tablet = staff.listen()
        tablet.next("snapshot")
        staff.act(1, "call-next")
        assert phone.next("ticket", lambda t: t["status"] == "no_show", timeout=15)["number"] == "P-001"
        tablet.next("staff", lambda d: any(t["status"] == "no_show" for t in d["tickets"]), timeout=15)
        assert staff.act(1, "call-next").json()["ticket"] is None  # the table is free again
    finally:
        process.stop()


def test_the_grace_timer_survives_a_server_killed_while_a_runner_was_called(tmp_path):
    process = ServerProcess(tmp_path, env={"SWEEP_SECONDS": "0.3"})
    process.start()
    ticket = join(process.url, 1).json()
    _shorten_grace(process.database, 2)
    Staff(process.url).act(1, "call-next")
    process.kill()
    time.sleep(2.5)
    process.start()
    try:
        deadline = time.monotonic() + 15
        while requests.get(f"{process.url}/api/v1/tickets/{ticket['token']}", timeout=10).json()["status"] != "no_show":
            assert time.monotonic() < deadline, "the restarted server never expired the call"
            time.sleep(0.2)
    finally:
        process.stop()


def test_a_burst_of_wrong_pins_gets_no_more_checks_than_the_limit(tmp_path):
    """200 wrong PINs at once from one address: each is counted before its check, so at most the limit are
    checked (401) and the rest refused (429) (issue 12, break 4)."""
    server = ServerProcess(tmp_path, env={"RATE_LIMITS": "on", "SIGN_IN_RATE_LIMIT": "10/minute"})
    server.start()
    try:
        url = f"{server.url}/api/v1/events/demo/login"
        with ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(pool.map(lambda _: requests.post(url, json={"pin": "999999"}, timeout=60).status_code,
                                    range(200)))
        assert answers.count(401) == 10 and answers.count(429) == 190, Counter(answers)
        assert requests.post(url, json={"pin": "246810"}, timeout=10).status_code == 429
    finally:
        server.stop()


def test_pin_checks_run_off_the_event_loop_so_a_burst_does_not_stall_others(tmp_path):
    """Each PIN check costs ~0.1 s of CPU; 40 at once must not hold up a board request behind 4 s of hashing."""
    server = ServerProcess(tmp_path)  # limits off: every try is checked
    server.start()
    try:
        url = f"{server.url}/api/v1/events/demo/login"
        latencies, done = [], threading.Event()

        def watch_the_board():
            while not done.is_set():
                begun = time.monotonic()
                requests.get(f"{server.url}/api/v1/events/demo/board", timeout=30)
                latencies.append(time.monotonic() - begun)
                time.sleep(0.02)

        watcher = threading.Thread(target=watch_the_board)
        watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=40) as pool:
                answers = list(pool.map(lambda _: requests.post(url, json={"pin": "999999"}, timeout=60).status_code,
                                        range(40)))
        finally:
            done.set()
            watcher.join()
        assert answers == [401] * 40
        assert max(latencies) < 1.0, f"the board waited {max(latencies):.2f} s behind PIN checks"
    finally:
        server.stop()
