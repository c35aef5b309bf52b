"""Protections every response and risky route gets: security headers, rate limits, proxy trust."""

import functools
import re

from flask import abort
from flask import current_app
from flask import make_response
from flask import request
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from ..extensions import limiter
from ..rules.errors import DomainError
from ..rules.errors import ValidationError
from ..rules.joining import normalise_bib
from ..rules.words import N_
from . import inputs
from .inputs import json_object

# No inline scripts or styles anywhere; sockets and fetches go back to this origin only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Ticket pages carry the runner's token in the URL: never send it on as a referrer.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app):
    """Add the headers to every response, trust a reverse proxy if told to, and bind the rate limiter."""
    app.after_request(_add_headers)
    inputs.init_app(app)
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.config["RATELIMIT_ENABLED"] = app.config["RATE_LIMITS"]
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["SOCKETIO_MESSAGE_QUEUE"] or "memory://")
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    limiter.init_app(app)


def _add_headers(response):
    """Security headers on every answer; pages with a runner's token are never cached by shared caches."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith(("/t/", "/api/v1/tickets/")):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def same_site_path(target):
    """`target` if it is a path on this site ("/..." but not "//..."), None if it is empty or points elsewhere;
    a ValidationError if it holds a backslash, whitespace or a control character (browsers drop tabs and line
    breaks and read a backslash as a slash, so "/\t/host" would lead to another site)."""
    if not target:
        return None
    if re.search(r"[\\\s\x00-\x1f\x7f]", target):
        # Staff: the organiser's sign-in link (English only for now).
        raise ValidationError(N_("This sign-in link is broken: open the organiser page from its address."),
                              field="next")
    return target if target.startswith("/") and not target.startswith("//") else None


def join_limits():
    """Joins per device address: generous, since a tent's Wi-Fi puts many phones behind one address."""
    return current_app.config["JOIN_RATE_LIMIT"]


def sign_in_limits():
    """PIN and password tries per address."""
    return current_app.config["SIGN_IN_RATE_LIMIT"]


def alert_limits():
    """Push subscriptions and phone numbers per address: a runner adds one or two, a flood is refused."""
    return current_app.config["ALERT_RATE_LIMIT"]


def bib_limits():
    """Joins per bib, from any address."""
    return current_app.config["BIB_RATE_LIMIT"]


def bib_key():
    """The bib a join is for, so one bib cannot be hammered from many addresses."""
    try:
        data = json_object() if request.is_json else request.form
        bib = data.get("bib")
    except (DomainError, RequestEntityTooLarge):
        bib = None  # the view refuses the body with its message; the limit counts it by address
    if not isinstance(bib, str | int) or isinstance(bib, bool):
        bib = None
    return f"bib:{normalise_bib(bib)[:12]}" if bib else f"no-bib:{request.remote_addr}"


def limit_sign_ins(view):
    """Count each PIN or password try against SIGN_IN_RATE_LIMIT per address before it is checked, atomically in
    the limiter's storage, so a burst of parallel tries gets no more checks than the limit; a try that was not a
    wrong PIN or password (401) is given back."""

    @functools.wraps(view)
    def counted(*args, **kwargs):
        if not limiter.enabled:
            return view(*args, **kwargs)
        limits, who = parse_many(sign_in_limits()), ("sign-in", get_remote_address())
        if not all([limiter.limiter.hit(limit, *who) for limit in limits]):
            abort(429)
        response = make_response(view(*args, **kwargs))
        if response.status_code != 401:
            for limit in limits:
                limiter.limiter.hit(limit, *who, cost=-1)
        return response

    return counted


limit_joins = limiter.limit(join_limits)
limit_bibs = limiter.limit(bib_limits, key_func=bib_key)
limit_alerts = limiter.limit(alert_limits)
