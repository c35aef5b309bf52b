"""Who is signed in: staff sessions per event, and the decorators that guard staff routes."""

import functools
import secrets

from flask import jsonify
from flask import redirect
from flask import request
from flask import session
from flask import url_for


def sign_in_staff(slug):
    """Remember in the session cookie that this browser is staff of the event."""
    _new_sign_in()
    session["staff_event"] = slug


def sign_in_organiser():
    """Remember in the session cookie that this browser is the organiser (all events, all staff rights)."""
    _new_sign_in()
    session["organiser"] = True


def _new_sign_in():
    """A fresh session with its own id: what an Idempotency-Key is scoped to."""
    session.clear()
    session.permanent = True
    session["sign_in"] = secrets.token_hex(16)


def sign_in_id():
    """This sign-in's id ("" for a session from before sign-ins had one)."""
    return session.get("sign_in", "")


def is_organiser():
    """True if this browser signed in with the organiser password."""
    return session.get("organiser") is True


def is_staff(slug):
    """True if this browser may work the event's tables: its therapists, and the organiser."""
    return is_organiser() or (slug is not None and session.get("staff_event") == slug)


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
