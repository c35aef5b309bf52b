"""The database or Redis restarting under running servers: clear 503s meanwhile, and recovery by itself.

Each test restarts a PostgreSQL cluster or a Redis of its own (tests/support/restarts.py), never the shared ones.
"""

import itertools
import threading

import pytest
import requests
import socketio

from tests.support.clients import Listener
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.restarts import private_cluster
from tests.support.restarts import private_redis
from tests.support.scaled import fresh_postgres_database
from tests.support.scaled import scaled_env
from tests.support.server import ServerProcess

RECOVERY_TRIES = 300  # joins tried one after another until one succeeds (each answers at once: 201 or 503)


@pytest.fixture(scope="module")
def cluster():
    """A PostgreSQL cluster of this module's own, which its tests stop and restart."""
    with private_cluster() as made:
        yield made


@pytest.fixture
def server_on_private_postgres(tmp_path, cluster):
    """One server on a new database of that cluster; its metrics open to this machine."""
    if not cluster.answers():  # a test that failed while it was stopped
        cluster.ctl("start")
    server = ServerProcess(tmp_path, env={"DATABASE_URL": cluster.new_database(), "METRICS_ALLOW": "127.0.0.1/32"})
    server.start()
    try:
        yield server, cluster
    finally:
        server.stop()


def until_joined(url, bibs):
    """Join with fresh bibs until one is taken; every answer before is a 503 that says when to try again."""
    for _ in range(RECOVERY_TRIES):
        answer = join(url, next(bibs))
        if answer.status_code == 201:
            return answer.json()
        assert answer.status_code == 503 and answer.headers["Retry-After"], (answer.status_code, answer.text[:200])
    raise AssertionError("the server did not recover after the database came back")


def test_while_postgres_is_down_requests_get_a_clear_503_and_the_server_recovers_when_it_is_back(
        server_on_private_postgres):
    server, cluster = server_on_private_postgres
    bibs = itertools.count(1)
    first = join(server.url, next(bibs), "Ana").json()
    phone = Listener(server.url, {"ticket": first["token"]})
    phone.next("snapshot")

    cluster.ctl("stop")
    api = requests.get(f"{server.url}/api/v1/events/demo/board", timeout=15)
    assert api.status_code == 503 and api.json()["code"] == "unavailable" and int(api.headers["Retry-After"]) > 0
    page = requests.get(f"{server.url}/e/demo/board", timeout=15)
    assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
    assert "Try again in a few seconds" in page.text and page.headers["Retry-After"]
    assert join(server.url, next(bibs)).status_code == 503
    ready = requests.get(f"{server.url}/readyz", timeout=15)
    assert ready.status_code == 503 and ready.json()["checks"]["database"].startswith("failed: ")
    assert requests.get(f"{server.url}/healthz", timeout=15).status_code == 200
    assert phone.snapshot()["code"] == "unavailable"  # an error acknowledgement, the socket kept
    with pytest.raises(socketio.exceptions.ConnectionError):
        Listener(server.url, {"event": "demo"})

    cluster.ctl("start")
    second = until_joined(server.url, bibs)
    assert phone.snapshot()["board"]["version"] >= second["version"]
    assert phone.next("board", lambda delta: delta["version"] >= second["version"])
    assert requests.get(f"{server.url}/readyz", timeout=15).status_code == 200
    metrics = requests.get(f"{server.url}/metrics", timeout=15).text
    assert 'queue_database_errors_total{where="http"} 0.0' not in metrics
    assert 'queue_database_errors_total{where="socket"} 0.0' not in metrics
    phone.close()


def test_postgres_restarting_under_requests_in_flight_gives_no_500_and_needs_no_restart_of_the_app(
        server_on_private_postgres):
    server, cluster = server_on_private_postgres
    bibs = itertools.count(1)
    tokens = [join(server.url, next(bibs)).json()["token"] for _ in range(3)]
    staff = Staff(server.url)
    answers, stop = [], threading.Event()

    def keep_asking(ask):
        while not stop.is_set():
            answer = ask()
            answers.append((answer.status_code, answer.headers.get("Retry-After"), answer.request.url))

    askers = [lambda: join(server.url, next(bibs)),
              lambda: requests.get(f"{server.url}/api/v1/tickets/{tokens[0]}", timeout=15),
              lambda: requests.get(f"{server.url}/e/demo/board", timeout=15),
              lambda: staff.http.get(f"{server.url}/api/v1/events/demo/staff", timeout=15)]
    threads = [threading.Thread(target=keep_asking, args=(ask,)) for ask in askers]
    for thread in threads:
        thread.start()
    try:
        cluster.ctl("restart")
        until_joined(server.url, bibs)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    statuses = {status for status, _, _ in answers}
    assert statuses <= {200, 201, 503}, sorted(statuses)
    assert all(retry for status, retry, _ in answers if status == 503)
    assert staff.act(1, "call-next").json()["ticket"]["number"] == "P-001"  # the same server, the same queue
    assert requests.get(f"{server.url}/api/v1/tickets/{tokens[1]}", timeout=15).json()["place"] == 1


def test_redis_restarting_under_two_processes_live_updates_resume_by_themselves(tmp_path):
    with private_redis(tmp_path) as broker, fresh_postgres_database() as database:
        env = {**scaled_env(database, "queue-restart", "eventlet"), "SOCKETIO_MESSAGE_QUEUE": broker.url,
               "RATE_LIMITS": "on"}
        a, b = ServerProcess(tmp_path / "a", env=env), ServerProcess(tmp_path / "b", env=env)
        (tmp_path / "a").mkdir()
        (tmp_path / "b").mkdir()
        try:
            for server in (a, b):  # together: migrations and the demo event take an advisory lock
                server.launch()
            for server in (a, b):
                server.wait_until_up()
            tv = Listener(a.url, {"event": "demo"})
            tv.next("snapshot")
            joined = join(b.url, 1).json()
            tv.next("board", lambda delta: delta["version"] >= joined["version"])

            broker.shutdown()
            assert requests.get(f"{a.url}/readyz", timeout=15).json()["checks"]["redis"].startswith("failed")
            during = join(b.url, 2)
            assert during.status_code in (201, 503), during.text[:200]
            # The first sign-in after Redis went: its tries are counted in memory meanwhile, not a 500.
            for server in (a, b):
                Staff(server.url).act(1, "call-next")  # signs in (asserts 200); acting may 200 or 503
            broker.start()

            heard = hears_again(tv, b.url, range(3, 40))
            assert heard, "live updates did not resume after Redis came back"
            assert requests.get(f"{a.url}/readyz", timeout=15).json()["status"] == "ready"
            tv.close()
        finally:
            a.stop()
            b.stop()


def hears_again(tv, url, bibs):
    """Join at `url` with each bib in turn until `tv` (on another process) hears the join; the bib it took."""
    for bib in bibs:
        joined = join(url, bib)
        assert joined.status_code == 201, joined.text[:200]
        version = joined.json()["version"]
        try:
            tv.next("board", lambda delta, version=version: delta["version"] >= version, timeout=2)
        except AssertionError:
            continue  # published while the process's Redis connection was still being made again: try once more
        return bib
    return None
