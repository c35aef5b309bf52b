"""Stored answers of staff requests with an Idempotency-Key: a retried request gets the answer the first got."""

from sqlalchemy import bindparam
from sqlalchemy import select

from .models import IdempotentResult

# Built once, with bound parameters: every staff change asks it (queue.py says why).
_ANSWER = select(IdempotentResult.body, IdempotentResult.request_hash).where(
    IdempotentResult.event_id == bindparam("event_id"), IdempotentResult.key == bindparam("key"))


def idempotent_answer(session, event_id, key):
    """(answer as JSON text, digest of the request's body) already given for this scoped key, or None."""
    return session.execute(_ANSWER, {"event_id": event_id, "key": key}).one_or_none()


def keep_idempotent_answer(session, event_id, key, request_hash, body, now):
    """Remember the answer (JSON text) given to a request with this scoped key and body digest."""
    session.add(IdempotentResult(event_id=event_id, key=key, request_hash=request_hash, status_code=200, body=body,
                                 created_at=now))
