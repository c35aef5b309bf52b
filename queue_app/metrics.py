"""Prometheus metrics of this process: the metric objects and the small functions the app records them with.

Each server process keeps its own figures (they are counts of what it served); with several processes, each one is
scraped at its own address (docs/scaling.md). Nothing here imports the app, so every layer may record.
"""

import threading
import time

from prometheus_client import CollectorRegistry
from prometheus_client import Counter
from prometheus_client import Gauge
from prometheus_client import Histogram
from prometheus_client import disable_created_metrics
from prometheus_client import generate_latest

from .rules.errors import DomainError

disable_created_metrics()  # the *_created samples only say when this process started counting
REGISTRY = CollectorRegistry()

PHONES = Gauge("queue_connected_clients", "Socket.IO clients connected to this process, by the room kind they follow",
               ["kind"], registry=REGISTRY)
ACTIONS = Histogram("queue_action_seconds",
                    "Changes through apply_change, by action and outcome (ok, refused, failed), and how long each took",
                    ["action", "outcome"], registry=REGISTRY,
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
WAITING = Gauge("queue_runners_waiting", "Runners waiting, per event and service (read at scrape time)",
                ["event", "service"], registry=REGISTRY)
BOARD_DELTAS = Counter("queue_board_deltas", "Board deltas sent to an event's phones", registry=REGISTRY)
BOARD_STEPS = Counter("queue_board_steps", "Committed versions gathered into board deltas", registry=REGISTRY)
BOARD_LAG = Histogram("queue_board_delta_lag_seconds", "From a delta's first gathered change to its send",
                      registry=REGISTRY, buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
DATABASE_ERRORS = Counter("queue_database_errors", "Requests and socket events answered 'unavailable' because "
                          "the database failed", ["where"], registry=REGISTRY)

KINDS = {"ticket": "runner", "board": "board", "staff": "staff", "organiser": "organiser"}
for _kind in KINDS.values():
    PHONES.labels(_kind)
for _where in ("http", "socket"):
    DATABASE_ERRORS.labels(_where)

_kind_of_sid = {}
_lock = threading.Lock()


def connected(sid, rooms):
    """A client joined `rooms`: count it once, under the kind of its first room (a runner's phone also watches the
    board)."""
    kind = KINDS.get(rooms[0].split(":", 1)[0]) if rooms else None
    if kind is None:
        return
    with _lock:
        if sid in _kind_of_sid:
            return
        _kind_of_sid[sid] = kind
    PHONES.labels(kind).inc()


def disconnected(sid):
    """A client left (or was refused after it was counted)."""
    with _lock:
        kind = _kind_of_sid.pop(sid, None)
    if kind is not None:
        PHONES.labels(kind).dec()


def action_name(action):
    """The name of the action function a change runs: `call_next` for the `act` closure inside `call_next`."""
    return getattr(action, "__qualname__", "other").split(".", 1)[0].strip("<>")


class timed_action:  # noqa: N801 - used as `with metrics.timed_action(action):`
    """Count one change and observe its duration, labelled with its action and whether it was refused."""

    def __init__(self, action):
        self.name = action_name(action)

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, kind, _error, _traceback):
        outcome = "ok" if kind is None else "refused" if issubclass(kind, DomainError) else "failed"
        ACTIONS.labels(self.name, outcome).observe(time.perf_counter() - self.started)


def board_delta(steps, lag_seconds):
    """One board delta went out, carrying `steps` versions, `lag_seconds` after the first of them was gathered."""
    BOARD_DELTAS.inc()
    BOARD_STEPS.inc(steps)
    BOARD_LAG.observe(max(lag_seconds, 0.0))


def database_error(where):
    """A request ("http") or socket event ("socket") was answered 'unavailable' because the database failed."""
    DATABASE_ERRORS.labels(where).inc()


def waiting(counts):
    """Set the runners waiting per (event, service) to `counts`, forgetting services that are gone."""
    WAITING.clear()
    for (event, service), count in counts.items():
        WAITING.labels(event, service).set(count)


def exposition():
    """The metrics in Prometheus' text format."""
    return generate_latest(REGISTRY)
