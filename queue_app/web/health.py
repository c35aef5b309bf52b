"""Health checks and metrics, for nginx, systemd, load balancers and Prometheus.

`/healthz`: the process answers (nothing else is asked). `/readyz`: the database answers, and Redis when a message
queue is configured; 503 naming what failed. `/metrics`: this process's Prometheus metrics, for the signed-in
organiser or an address in METRICS_ALLOW.
"""

import ipaddress

import redis
from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request
from prometheus_client import CONTENT_TYPE_LATEST

from .. import metrics
from ..data.engine import UNAVAILABLE
from ..reads import health
from .auth import is_organiser

bp = Blueprint("health", __name__)
CHECK_SECONDS = 2


@bp.get("/healthz")
def healthz():
    """The process is up and answering; asks nothing of the database."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Ready to serve: the database answers, and Redis does when a message queue is configured."""
    checks = {"database": _database_check()}
    queue_url = current_app.config.get("SOCKETIO_MESSAGE_QUEUE")
    if queue_url:
        checks["redis"] = _redis_check(queue_url)
    ready = all(answer == "ok" for answer in checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503


def _database_check():
    """"ok", or what the database said when it failed."""
    try:
        health.database_answers()
    except UNAVAILABLE as error:
        metrics.database_error("readyz")
        return f"failed: {type(getattr(error, 'orig', None) or error).__name__}"
    return "ok"


def _redis_check(url):
    """"ok", or why the message queue's Redis did not answer a PING."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS).ping()
    except (redis.RedisError, OSError, ValueError) as error:
        return f"failed: {type(error).__name__}"
    return "ok"


@bp.get("/metrics")
def prometheus():
    """This process's metrics in Prometheus' text format, with the runners waiting read now."""
    if not (_allowed_address() or is_organiser()):
        return jsonify(error="Sign in as the organiser, or scrape from an address in METRICS_ALLOW.",
                       code="forbidden"), 403
    try:
        metrics.waiting(health.waiting_per_service())
    except UNAVAILABLE:
        metrics.database_error("metrics")  # the rest still tells what happened
    return Response(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)


def _allowed_address():
    """True if the request comes from a network METRICS_ALLOW names."""
    networks = current_app.config.get("METRICS_ALLOW") or ()
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)
