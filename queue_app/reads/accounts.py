"""Who may sign in: checking a staff PIN or the organiser password, and the list of events."""

from werkzeug.security import check_password_hash

from ..data import queue
from ..data import setup
from ..data import team
from ..extensions import db
from ..extensions import off_loop


def _checkable(secret):
    """True for text a hash can be checked against (a lone surrogate cannot be encoded: it matches nothing)."""
    if not isinstance(secret, str) or len(secret) > 200:
        return False
    try:
        secret.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def pin_matches(slug, pin):
    """True if `pin` is the event's staff PIN."""
    with db.read() as session:
        event = queue.event_by_slug(session, slug)
        pin_hash = event.pin_hash if event is not None else None
    return pin_hash is not None and _checkable(pin) and off_loop(check_password_hash, pin_hash, pin)


def organiser_password_is_set():
    """True once an organiser password was stored."""
    with db.read() as session:
        return setup.organiser_password_hash(session) is not None


def organiser_password_matches(password):
    """True if `password` is the organiser password."""
    with db.read() as session:
        password_hash = setup.organiser_password_hash(session)
    return password_hash is not None and _checkable(password) and off_loop(check_password_hash, password_hash, password)


def events():
    """(slug, name) of every event, newest first."""
    with db.read() as session:
        return [(e.slug, e.name) for e in setup.all_events(session)]


def staff_generation(slug):
    """The event's current staff sign-in generation, or None for an unknown event."""
    with db.read() as session:
        return queue.staff_generation(session, slug)


def organiser_generation():
    """The current organiser sign-in generation."""
    with db.read() as session:
        return setup.organiser_generation(session)


def staff_signed_in(slug, generation, key):
    """True if a tablet signed in under staff `generation` may still work the event: the PIN has not changed since,
    and the organiser has not ended its sign-in `key` (a sign-in with no row, made before sign-ins were recorded,
    stays open until the PIN changes). One read: every staff request asks it."""
    with db.read() as session:
        if generation is None or queue.staff_generation(session, slug) != generation:
            return False
        return not team.sign_in_ended(session, key) if key else True
