"""/healthz, /readyz and /metrics: what nginx, systemd, load balancers and Prometheus ask of one process."""

from prometheus_client.parser import text_string_to_metric_families

from queue_app import config
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

NOBODY_LISTENS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there


def samples(text):
    """{(sample name, sorted labels): value} of a Prometheus text exposition."""
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(figures, name, **labels):
    """One sample's value, 0 if it is not there yet."""
    return figures.get((name, tuple(sorted(labels.items()))), 0)


def test_healthz_answers_without_asking_the_database(app, client):
    app.config["DATABASE_URL"] = "postgresql://nobody@127.0.0.1:9/none"  # not read: the process alone answers
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json == {"status": "ok"}


def test_readyz_checks_the_database_and_names_a_redis_nobody_listens_on(app, client):
    assert client.get("/readyz").json == {"status": "ready", "checks": {"database": "ok"}}
    app.config["SOCKETIO_MESSAGE_QUEUE"] = NOBODY_LISTENS
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json["status"] == "unavailable" and answer.json["checks"]["database"] == "ok"
    assert answer.json["checks"]["redis"].startswith("failed: ")


def test_metrics_are_refused_to_a_therapist_and_to_an_address_not_allowed(site, client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 403
    therapist = Staff(site)
    refused = therapist.http.get(f"{site.url}/metrics")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


def test_metrics_are_read_by_an_allowed_address_and_by_the_organiser(app, site, client):
    app.config["METRICS_ALLOW"] = config.metrics_networks("10.0.0.0/8, ::1/128")
    allowed = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert allowed.status_code == 200 and allowed.content_type.startswith("text/plain")
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.1"}).status_code == 403
    organiser = Organiser(site)
    assert organiser.http.get(f"{site.url}/metrics").status_code == 200


def test_metrics_show_phones_actions_waiting_runners_board_deltas_and_database_errors(app, site, client):
    app.config["METRICS_ALLOW"] = config.metrics_networks("127.0.0.1/32")
    before = samples(client.get("/metrics").text)
    tv = site.listen({"event": "demo"})
    tv.next("snapshot")
    first = join(site, 101, "Ana").json()
    join(site, 102, "Bo")
    phone = site.listen({"ticket": first["token"]})
    phone.next("snapshot")
    staff = Staff(site)
    tablet = staff.listen()
    tablet.next("snapshot")
    assert staff.act(3, "call-next").status_code == 200
    tv.next("board", lambda delta: any(change["status"] == "called" for change in delta["changes"]))

    after = samples(client.get("/metrics").text)
    for kind in ("board", "runner", "staff"):
        assert value(after, "queue_connected_clients", kind=kind) == value(before, "queue_connected_clients",
                                                                           kind=kind) + 1, kind
    assert value(after, "queue_connected_clients", kind="organiser") >= 0
    for action in ("join", "call_next"):
        assert value(after, "queue_action_seconds_count", action=action, outcome="ok") >= \
            value(before, "queue_action_seconds_count", action=action, outcome="ok") + 1, action
    assert value(after, "queue_runners_waiting", event="demo", service="pre") == 1  # Bo; Ana was called
    assert value(after, "queue_runners_waiting", event="demo", service="post") == 0
    assert value(after, "queue_board_deltas_total") > value(before, "queue_board_deltas_total")
    assert value(after, "queue_board_steps_total") >= value(before, "queue_board_steps_total") + 3
    assert value(after, "queue_board_delta_lag_seconds_count") > value(before, "queue_board_delta_lag_seconds_count")
    assert ("queue_database_errors_total", (("where", "http"),)) in after

    for listener in (tv, phone, tablet):
        listener.close()
    closed = samples(client.get("/metrics").text)
    assert value(closed, "queue_connected_clients", kind="runner") == value(before, "queue_connected_clients",
                                                                            kind="runner")
