"""Who is signed in: staff sessions per event, and the decorators that guard staff routes.

A sign-in lives in the signed session cookie with the generation it was made in: a therapist's, the event's
staff generation (it grows when the PIN changes); the organiser's, the organiser generation (it grows at each
sign-out and password change), and its time, which ends it after ORGANISER_SESSION_MINUTES.
"""

import functools
import secrets
import time

from flask import current_app
from flask import jsonify
from flask import redirect
from flask import request
from flask import session
from flask import url_for

from ..actions import people
from ..clock import now
from ..reads import accounts


def sign_in_staff(slug):
    """Remember in the session cookie that this browser is staff of the event, under the current PIN."""
    _new_sign_in()
    session["staff_event"] = slug
    session["staff_generation"] = accounts.staff_generation(slug)
    people.register_sign_in(slug, sign_in_id(), now())  # a row of its own: the organiser can end it alone


def sign_in_organiser():
    """Remember in the session cookie that this browser is the organiser (all events, all staff rights)."""
    _new_sign_in()
    session["organiser"] = True
    session["organiser_generation"] = accounts.organiser_generation()
    session["signed_in_at"] = time.time()


def _new_sign_in():
    """A fresh session with its own id: what an Idempotency-Key is scoped to."""
    session.clear()
    session.permanent = True
    session["sign_in"] = secrets.token_hex(16)


def sign_in_id():
    """This sign-in's id ("" for a session from before sign-ins had one)."""
    return session.get("sign_in", "")


def is_organiser():
    """True if this browser signed in with the organiser password, since the last sign-out, not too long ago."""
    if session.get("organiser") is not True:
        return False
    age = time.time() - session.get("signed_in_at", 0)
    if age > current_app.config["ORGANISER_SESSION_MINUTES"] * 60:
        return False
    return session.get("organiser_generation") == accounts.organiser_generation()


def is_staff(slug):
    """True if this browser may work the event's tables: its therapists (under the current PIN), the organiser."""
    if is_organiser():
        return True
    if slug is None or session.get("staff_event") != slug:
        return False
    # Under the current PIN, and this tablet's own sign-in not ended by the organiser.
    return accounts.staff_signed_in(slug, session.get("staff_generation"), sign_in_id())


def organiser_page(view):
    """Send a browser that is not the organiser to the organiser sign-in page."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not is_organiser():
            return redirect(url_for("organiser.sign_in", next=request.path))
        return view(*args, **kwargs)

    return guarded


def organiser_api(view):
    """Answer 401 to an API call that is not signed in as the organiser."""

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        if not is_organiser():
            return jsonify(error="Sign in with the organiser password first.", code="unauthorized"), 401
        return view(*args, **kwargs)

    return guarded


def staff_page(view):
    """Send a browser that is not signed in for this event to the PIN page."""

    @functools.wraps(view)
    def guarded(slug, **kwargs):
        if not is_staff(slug):
            return redirect(url_for("staff.sign_in", slug=slug))
        return view(slug, **kwargs)

    return guarded


def staff_api(view):
    """Answer 401 to an API call that is not signed in as staff of the event."""

    @functools.wraps(view)
    def guarded(slug, **kwargs):
        if not is_staff(slug):
            return jsonify(error="Sign in with the event's staff PIN first.", code="unauthorized"), 401
        return view(slug, **kwargs)

    return guarded
