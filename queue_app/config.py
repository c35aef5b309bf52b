"""Settings from the environment, with safe defaults for a laptop and none for secrets."""

import ipaddress
import os
import secrets
import socket
from datetime import timedelta
from pathlib import Path

from . import clock
from .rules import alarms
from .rules import phone_numbers

PASSWORD_HASH_METHOD = "scrypt"  # also where no app is current: `python wsgi.py` sets the demo PIN before serving


def load(instance_path, environ=os.environ):
    """The app's settings from `environ`; a missing SECRET_KEY is generated once and kept in the instance folder."""
    host = environ.get("HOST", "0.0.0.0")
    port = int(environ.get("PORT", "5000"))
    database_url = environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'queue.db'}"
    start_list_max = int(float(environ.get("START_LIST_MAX_MB", "10")) * 1_000_000)
    public_url = (environ.get("PUBLIC_URL") or f"http://{lan_address()}:{port}").rstrip("/")
    return {
        "SECRET_KEY": environ.get("SECRET_KEY") or _kept_secret(instance_path),
        # How the staff PIN and the organiser password are hashed: Werkzeug's scrypt, deliberately slow. Not read
        # from the environment; only the in-process tests pass a cheaper method to create_app (each hash there
        # would cost a test a quarter of a second).
        "PASSWORD_HASH_METHOD": PASSWORD_HASH_METHOD,
        "DATABASE_URL": database_url,
        "PUBLIC_URL": public_url,
        "HOST": host,
        "PORT": port,
        "ASYNC_MODE": environ.get("ASYNC_MODE", "eventlet"),
        "SOCKETIO_MESSAGE_QUEUE": environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # The Redis channel the processes of one tent share: two tents (or two test runs) on one Redis need two.
        "SOCKETIO_CHANNEL": environ.get("SOCKETIO_CHANNEL") or "flask-socketio",
        "DEMO_PIN": environ.get("DEMO_PIN") or None,
        "ORGANISER_PASSWORD": environ.get("ORGANISER_PASSWORD") or None,
        # The zone a new event gets unless the organiser picks another (checked at start-up by actions.setup).
        "EVENT_TIME_ZONE": clock.default_zone_name(environ),
        # Rate limits ("off" turns them off, e.g. for load tests from one address).
        "RATE_LIMITS": environ.get("RATE_LIMITS", "on") != "off",
        "JOIN_RATE_LIMIT": environ.get("JOIN_RATE_LIMIT", "60/minute"),
        "BIB_RATE_LIMIT": environ.get("BIB_RATE_LIMIT", "6/minute"),
        "SIGN_IN_RATE_LIMIT": environ.get("SIGN_IN_RATE_LIMIT", "10/minute"),
        # Redis restarting under several processes: the limits count in each process's memory meanwhile, so a
        # join is not refused with a 500 (tests/scaled/test_restarts.py).
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # Addresses that may read /metrics without the organiser's sign-in (a Prometheus server): comma-separated
        # CIDRs, e.g. "127.0.0.1/32,10.0.0.0/24"; empty, only the signed-in organiser may.
        "METRICS_ALLOW": metrics_networks(environ.get("METRICS_ALLOW", "")),
        # How many reverse proxies (nginx) stand in front and may be trusted for the client address and scheme.
        "TRUSTED_PROXIES": int(environ.get("TRUSTED_PROXIES", "0")),
        # A request's line and headers must arrive within HEADER_TIMEOUT_SECONDS (slowloris); a kept-alive
        # connection waits IDLE_TIMEOUT_SECONDS at most for its next request: longer than the proxies in front
        # keep idle connections to the app (nginx 60 s, Caddy 2 minutes), so they always close first.
        "HEADER_TIMEOUT_SECONDS": float(environ.get("HEADER_TIMEOUT_SECONDS", "10")),
        "IDLE_TIMEOUT_SECONDS": float(environ.get("IDLE_TIMEOUT_SECONDS", "130")),
        # A request's body must follow its head within BODY_TIMEOUT_SECONDS, plus a second per 50 kB it declares.
        "BODY_TIMEOUT_SECONDS": float(environ.get("BODY_TIMEOUT_SECONDS", "30")),
        # The most connections one client address may hold; 0: half of what the server holds, or no cap behind
        # trusted proxies (queue_app/connection_limits.py).
        "MAX_CONNECTIONS_PER_ADDRESS": int(environ.get("MAX_CONNECTIONS_PER_ADDRESS", "0")),
        # How often a server checks for called runners whose grace time ran out.
        "SWEEP_SECONDS": float(environ.get("SWEEP_SECONDS", "5")),
        # A signed-in table free this long while runners it could serve are waiting is an alarm (rules/alarms.py).
        "IDLE_TABLE_MINUTES": float(environ.get("IDLE_TABLE_MINUTES", str(alarms.IDLE_MINUTES))),
        # Phones and the TV hear board changes at most this often per event, gathered (live/board_outbox.py).
        "BOARD_DELTA_SECONDS": float(environ.get("BOARD_DELTA_SECONDS", "0.25")),
        # Reaching runners away from the page: Web Push (keys made at first start) and, if set, Twilio texts.
        **_push_settings(instance_path, environ, public_url),
        "TWILIO_ACCOUNT_SID": environ.get("TWILIO_ACCOUNT_SID") or None,
        "TWILIO_AUTH_TOKEN": environ.get("TWILIO_AUTH_TOKEN") or None,
        "TWILIO_FROM": environ.get("TWILIO_FROM") or None,
        "TWILIO_API_BASE": environ.get("TWILIO_API_BASE") or None,
        "ALERT_RATE_LIMIT": environ.get("ALERT_RATE_LIMIT", "10/minute"),
        # Texts go to these countries' numbers only (ISO codes); unset, to the event's country (its time zone's).
        "TEXT_COUNTRIES": phone_numbers.countries_setting(environ.get("TEXT_COUNTRIES")),
        # A number gets texts for this many tickets of an event at most (a stranger's number is not a target).
        "TEXT_TICKETS_PER_NUMBER": int(environ.get("TEXT_TICKETS_PER_NUMBER", "2")),
        # The staffing planner replays in a worker process, one at a time, within these bounds (planner/process.py).
        "PLANNER_SECONDS": float(environ.get("PLANNER_SECONDS", "60")),
        "PLANNER_MEMORY_MB": int(environ.get("PLANNER_MEMORY_MB", "512")),
        # The largest start-list file taken (10 MB is ample for 50,000 runners); any request is capped a little above.
        "START_LIST_MAX_BYTES": start_list_max,
        # Static files compressed once per release and machine, shared by its processes (web/assets.py).
        "STATIC_BUILD_DIR": environ.get("STATIC_BUILD_DIR") or str(
            Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "massage-tent-queue"),
        "MAX_CONTENT_LENGTH": start_list_max + 1_000_000,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": public_url.startswith("https://"),
        # A therapist's sign-in lasts a race day (or until the PIN changes); the organiser's ends sooner.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=14),
        "ORGANISER_SESSION_MINUTES": float(environ.get("ORGANISER_SESSION_MINUTES", "480")),
        # Staff API calls send the token in a header; forms carry it as a field.
        "WTF_CSRF_TIME_LIMIT": None,
    }


PUSH_SERVICES = ("fcm.googleapis.com", "push.services.mozilla.com", "notify.windows.com", "push.apple.com")


def _push_settings(instance_path, environ, public_url):
    """The VAPID key pair (made once, kept in the instance folder) and the push services phones may name."""
    from .live import push

    private_key_file, public_key = push.vapid_keys(instance_path)
    services = environ.get("PUSH_SERVICES")
    services = tuple(h.strip().lower() for h in services.split(",") if h.strip()) if services else PUSH_SERVICES
    # Push services want a contact: an https address, or mailto: where the tent runs on plain HTTP.
    subject = public_url if public_url.startswith("https://") else "mailto:massage-tent@example.invalid"
    return {
        "VAPID_PRIVATE_KEY_FILE": private_key_file,
        "VAPID_PUBLIC_KEY": public_key,
        "VAPID_SUBJECT": environ.get("VAPID_SUBJECT") or subject,
        "PUSH_SERVICES": services,
        "PUSH_ALLOW_HTTP": environ.get("PUSH_ALLOW_HTTP", "off") == "on",
    }


def metrics_networks(setting):
    """The networks of a METRICS_ALLOW setting; a wrong one stops the start with its name."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())
    except ValueError as error:
        raise ValueError(f"METRICS_ALLOW: {error}") from error


def lan_address():
    """This machine's address on the local network, which phones can reach (never localhost if avoidable)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # connect() on UDP only picks the outgoing interface; no packet is sent.
        probe.connect(("192.0.2.1", 9))
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def _kept_secret(instance_path):
    """The session-signing key kept in the instance folder, made at first start, so sign-ins survive restarts."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it a moment ago: use theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    return path.read_text().strip()
