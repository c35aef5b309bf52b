"""Reads for the health checks and the metrics: one short transaction each."""

from ..data import health
from ..extensions import db


def database_answers():
    """True if the database answers; raises its error if it cannot be reached."""
    with db.read() as session:
        return health.answers(session)


def waiting_per_service():
    """Runners waiting per (event, service), for the metrics."""
    with db.read() as session:
        return health.waiting_per_service(session)
