"""Protections every response and risky route gets: security headers, rate limits, proxy trust."""

import functools
import logging
import re
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from flask import abort
from flask import current_app
from flask import jsonify
from flask import make_response
from flask import request
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage
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

log = logging.getLogger(__name__)


def init_app(app):
    """Mark the app's own answers for caches, trust a reverse proxy if told to, and bind the rate limiter."""
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
    """Pages with a runner's token are never cached by shared caches; the app's answers depend on the language
    asked for and the cookies sent (sign-in, ticket, language)."""
    if request.path.startswith(("/t/", "/api/v1/tickets/")):
        response.headers["Cache-Control"] = "private, no-store"
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def wrap_every_response(app):
    """Wrap the whole WSGI app, static files and Socket.IO's own HTTP answers included (they never reach Flask's
    after_request): every answer gets the security headers, and a redirect never names a host other than
    PUBLIC_URL's (Werkzeug builds its slash redirects from the request's Host header)."""
    inner = app.wsgi_app
    public_host = urlsplit(app.config["PUBLIC_URL"]).netloc.lower()

    def guarded(environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = [(name, _same_host(value, public_host) if name.lower() == "location" else value)
                       for name, value in headers]
            headers += [(name, value) for name, value in HEADERS.items() if name.lower() not in present]
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    app.wsgi_app = guarded


def _same_host(location, public_host):
    """A redirect's address, made relative (one leading slash) if it names a host other than `public_host`."""
    parts = urlsplit(location)
    if not parts.netloc or parts.netloc.lower() == public_host:
        return location
    return urlunsplit(("", "", "/" + parts.path.lstrip("/"), parts.query, parts.fragment))


def same_site_json(view):
    """Refuse a body another site's page could send without asking (a form posting text/plain, for a sign-in
    into the attacker's account): JSON only, and from this site's origin if the browser names one."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        origin = request.headers.get("Origin")
        if origin is not None and origin.rstrip("/") not in _own_origins():
            return jsonify(error="Sign in from this site's own pages.", code="cross_site"), 403
        if not request.is_json:
            return jsonify(error="Send JSON (Content-Type: application/json).", code="not_json"), 415
        return view(*args, **kwargs)

    return checked


def _own_origins():
    """The origins this site's pages are served from: PUBLIC_URL's and the one this request came to."""
    return {current_app.config["PUBLIC_URL"].rstrip("/"), request.host_url.rstrip("/")}


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
        if not _count(limits, who, 1):
            abort(429)
        response = make_response(view(*args, **kwargs))
        if response.status_code != 401:
            _count(limits, who, -1)
        return response

    return counted


_sign_ins_in_memory = {}  # the limiter's kind -> one over this process's memory, while the shared storage is away


def _count(limits, who, cost):
    """Hit every limit with `cost` in the limiter's storage; True if all allow it. With the storage unreachable
    (Redis restarting), this process counts in its own memory meanwhile, as Flask-Limiter's fallback does for the
    decorated limits, instead of answering 500."""
    try:
        return all([limiter.limiter.hit(limit, *who, cost=cost) for limit in limits])
    except Exception as error:  # what the storage's client raises: redis, a socket, a timeout
        log.warning("sign-in limits counted in memory: the limiter's storage failed (%s)", error)
        kind = type(limiter.limiter)
        fallback = _sign_ins_in_memory.setdefault(kind, kind(MemoryStorage()))
        return all([fallback.hit(limit, *who, cost=cost) for limit in limits])


limit_joins = limiter.limit(join_limits)
limit_bibs = limiter.limit(bib_limits, key_func=bib_key)
limit_alerts = limiter.limit(alert_limits)
