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


# What a stored answer may say about a person; purge takes these out and keeps the rest (numbers, statuses).
PERSONAL_FIELDS = frozenset({"bib", "first_name", "last_name", "note", "name_override", "phone", "address", "lane",
                             "reason"})


def without_personal_data(answer):
    """A stored answer (parsed JSON) with every personal field, at any depth, set to None."""
    if isinstance(answer, dict):
        return {key: None if key in PERSONAL_FIELDS else without_personal_data(value) for key, value in answer.items()}
    if isinstance(answer, list):
        return [without_personal_data(item) for item in answer]
    return answer
