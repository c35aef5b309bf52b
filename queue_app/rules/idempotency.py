"""What makes two staff requests the same request: the client's Idempotency-Key, within one sign-in, one method
and one address, with the same body."""

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestKey:
    """A request's identity for replays: `scoped` names it, `request_hash` tells a retry from a new body."""

    scoped: str
    request_hash: str


def request_key(key, sign_in, method, path, body):
    """The RequestKey of a request with Idempotency-Key `key`, by sign-in `sign_in` (an id per sign-in)."""
    scoped = hashlib.sha256("\n".join((sign_in, method, path, key)).encode()).hexdigest()
    return RequestKey(scoped, hashlib.sha256(body).hexdigest())
