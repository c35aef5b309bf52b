"""Checking the ways a runner asks to be reached: a Web Push subscription, how close is close (phone numbers:
phone_numbers.py)."""

import base64
import re

from .errors import ValidationError
from .push_address import push_endpoint
from .words import N_
from .words import Message

CLOSE_AT_MAX = 20


def _b64url_bytes(value, field):
    """Bytes of a base64url text (padding optional)."""
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", value):
        raise ValidationError("This subscription's keys are not valid.", field=field)
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def push_subscription(body, push_services, allow_http=False):
    """(endpoint, p256dh, auth) from a browser's PushSubscription JSON, or ValidationError.

    The endpoint must be on one of `push_services` (host names): the server posts to it, so it may not point
    anywhere else (no requests into the tent's own network on a runner's say-so; rules/push_address.py).
    """
    if not isinstance(body, dict) or not isinstance(body.get("keys"), dict):
        raise ValidationError("Send the browser's push subscription (endpoint and keys).", field="subscription")
    endpoint = push_endpoint(body.get("endpoint"), push_services, allow_http)
    p256dh = _b64url_bytes(body["keys"].get("p256dh"), "keys.p256dh")
    auth = _b64url_bytes(body["keys"].get("auth"), "keys.auth")
    if len(p256dh) != 65 or p256dh[0] != 4:
        raise ValidationError("The subscription's public key is not a P-256 key.", field="keys.p256dh")
    if len(auth) != 16:
        raise ValidationError("The subscription's auth secret must be 16 bytes.", field="keys.auth")
    return endpoint, body["keys"]["p256dh"], body["keys"]["auth"]


def close_at(value, default=3):
    """How many runners ahead make "getting close": 0 (you are next) to CLOSE_AT_MAX."""
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CLOSE_AT_MAX:
        raise ValidationError(f"Say how many runners ahead, 0 to {CLOSE_AT_MAX}.", field="close_at")
    return value


def close_message(ahead):
    """The words of "getting close", for a push or a text."""
    if ahead <= 0:
        return Message(N_("You are next at the massage tent. Head there now."))
    if ahead == 1:
        return Message(N_("Almost your turn at the massage tent: 1 runner ahead of you."))
    return Message(N_("Almost your turn at the massage tent: %(ahead)s runners ahead of you."), ahead=ahead)


def turn_message(number, table):
    """The words of "your turn", for a push or a text."""
    return Message(N_("%(number)s: it is your turn. Go to table %(table)s at the massage tent now."), number=number,
                   table=table)


CLOSE_MINUTES = 5  # "getting close" only while the wait shown is this short: never beside "About 33–57 min"


def close_due(ahead, close_at_places, wait_range):
    """Whether "getting close" is due for a runner with `ahead` runners before them, who asked at
    `close_at_places`, whose wait shown is `wait_range` (rules/estimates.py; None with no table working). The
    ticket page (ticket.js alertIfClose) keeps the same rule, and fires only as the place falls."""
    return ahead <= close_at_places and wait_range is not None and wait_range[1] <= CLOSE_MINUTES
