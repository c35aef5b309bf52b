"""How refusals reach people: JSON for the API, a readable page for browsers."""

from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from flask_socketio import ConnectionRefusedError
from flask_wtf.csrf import CSRFError

from .. import metrics
from ..data.engine import UNAVAILABLE
from ..rules.errors import Conflict
from ..rules.errors import DomainError
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import Message
from .auth import is_staff
from .i18n import translated

STATUS = {ValidationError: 422, NotFound: 404, Conflict: 409}
# How long a client is told to wait before trying again while the database restarts or fails over.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_MESSAGE = N_("The queue is not answering for a moment. Try again in a few seconds.")


def register(app):
    """Install the error handlers on the app."""
    app.register_error_handler(DomainError, domain_error)
    app.register_error_handler(CSRFError, csrf_error)
    app.register_error_handler(404, not_found)
    app.register_error_handler(413, too_big)
    app.register_error_handler(429, too_many)
    app.register_error_handler(500, server_error)
    for kind in UNAVAILABLE:
        app.register_error_handler(kind, database_unavailable)


def _wants_json():
    """True for API calls."""
    return request.path.startswith("/api/")


def domain_error(error):
    """A refused request: its message, its stable code and the field it concerns."""
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 409)
    if _wants_json():
        errors = {field: translated(message) for field, message in error.errors.items()}
        return jsonify(error=translated(error.message), code=error.code, field=error.field, errors=errors), status
    return render_template("error.html", message=error.message), status


def csrf_error(error):
    """A form or staff call without a valid CSRF token, usually a page left open past a sign-out."""
    message = N_("This page was out of date. Reload it and try again.")
    if _wants_json():
        # The CSRF check runs before the view's sign-in check; someone not signed in learns that first.
        if not is_staff((request.view_args or {}).get("slug")):
            return jsonify(error="Sign in with the event's staff PIN first.", code="unauthorized"), 401
        return jsonify(error=translated(message), code="csrf"), 400
    return render_template("error.html", message=message), 400


def not_found(_error):
    """An unknown address."""
    if _wants_json():
        return jsonify(error="Not found.", code="not_found"), 404
    return render_template("error.html", message=N_("There is nothing at this address.")), 404


def too_big(_error):
    """A body over the size limits (rules/inputs.py for JSON, MAX_CONTENT_LENGTH for uploads)."""
    message = N_("That was too big to accept. Send less at a time.")
    if request.path.endswith("/settings/start-list"):
        # Staff: the settings page's refusal (English only for now; tests/unit/test_catalogs.py).
        message = Message(N_("A start list may be at most %(most)s MB."),
                          most=f"{current_app.config['START_LIST_MAX_BYTES'] / 1e6:g}")
    if _wants_json():
        return jsonify(error=translated(message), code="too_large"), 413
    return render_template("error.html", message=message), 413


def too_many(_error):
    """A rate limit was reached."""
    message = N_("Too many tries in a short time. Wait a minute and try again.")
    if _wants_json():
        return jsonify(error=translated(message), code="rate_limited"), 429
    return render_template("error.html", message=message), 429


def database_unavailable(error):
    """The database dropped or refused the connection (a restart, a failover): 503 and when to try again."""
    metrics.database_error("http")
    current_app.logger.warning("Database unavailable for %s %s: %s", request.method, request.path,
                               str(error).splitlines()[0] if str(error) else type(error).__name__)
    if _wants_json():
        answer = jsonify(error=translated(UNAVAILABLE_MESSAGE), code="unavailable")
    else:
        answer = render_template("error.html", message=UNAVAILABLE_MESSAGE)
    return answer, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def socket_error(error):
    """A socket event's handler hit an unavailable database: a refused connect, or an error acknowledgement."""
    connecting = request.event["message"] == "connect"
    if connecting:
        metrics.disconnected(request.sid)  # a refused connect never hears "disconnect"
    if not isinstance(error, UNAVAILABLE):
        raise error
    metrics.database_error("socket")
    message = translated(UNAVAILABLE_MESSAGE)
    if connecting:
        raise ConnectionRefusedError(message)  # the client tries again by itself
    return {"error": message, "code": "unavailable", "retry_after": RETRY_AFTER_SECONDS}


def server_error(_error):
    """Something broke: a plain apology, never a traceback."""
    message = N_("Something went wrong on our side. Please try again; your place in the queue is kept.")
    if _wants_json():
        return jsonify(error=translated(message), code="server_error"), 500
    return render_template("error.html", message=message), 500
