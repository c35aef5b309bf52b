"""Stored answers of staff requests with an Idempotency-Key: a retried request gets the answer the first got."""

from sqlalchemy import select

from .models import IdempotentResult


def idempotent_answer(session, event_id, key):
    """(answer as JSON text, digest of the request's body) already given for this scoped key, or None."""
    query = select(IdempotentResult.body, IdempotentResult.request_hash).where(
        IdempotentResult.event_id == event_id, IdempotentResult.key == key)
    return session.execute(query).one_or_none()


def keep_idempotent_answer(session, event_id, key, request_hash, body, now):
    """Remember the answer (JSON text) given to a request with this scoped key and body digest."""
    session.add(IdempotentResult(event_id=event_id, key=key, request_hash=request_hash, status_code=200, body=body,
                                 created_at=now))
