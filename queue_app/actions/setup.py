"""Setting up: creating events, the staff PIN, the organiser password, and the demo event at first start."""

import secrets
from dataclasses import replace

from flask import current_app
from flask import has_app_context
from werkzeug.security import generate_password_hash

from .. import config
from ..clock import zone_names
from ..data import queue
from ..data import setup as stored_setup
from ..extensions import db
from ..live import broadcast as live
from ..reads import accounts
from ..rules import languages
from ..rules import runner_texts
from ..rules import setup
from ..rules.errors import ValidationError
from ..rules.setup import EventSpec
from ..rules.words import N_
from ..rules.words import Message
from .change import apply_change

DEMO_SLUG = "demo"


def _hashed(secret):
    """The stored hash of a PIN or password, by the app's PASSWORD_HASH_METHOD (config.py)."""
    method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else config.PASSWORD_HASH_METHOD
    return generate_password_hash(secret, method=method)


def create_event(spec, now):
    """Create an event with its services and tables, all serving every service, in its time zone."""
    setup.check_pin_format(spec.pin)
    spec = replace(spec, time_zone=setup.time_zone(spec.time_zone, zone_names()))

    def act(work):
        if queue.event_by_slug(work.session, spec.slug) is not None:
            raise ValidationError(N_("An event with this short name exists already."), field="slug")
        stored_setup.insert_event(work.session, spec, _hashed(spec.pin), now)
        return {"event": spec.slug}

    return apply_change(None, now, act)


def create_event_from_form(form, now):
    """Create an event from the organiser's form (name, slug, date, PIN, number of tables, time zone); returns its
    slug."""
    spec = setup.parse_event_form(form, zone_names())
    create_event(spec, now)
    return spec.slug


def set_time_zone(slug, name, now):
    """Move an event to another time zone: its opening hours, charts and export read that zone's clock from now on.
    An unknown name is refused and changes nothing."""
    zone = setup.time_zone(name, zone_names())

    def act(work):
        work.event.time_zone = zone
        work.bump()
        return {"event": slug, "time_zone": zone}

    return apply_change(slug, now, act)


def set_language(slug, code, now):
    """Set the event's default language: its pages' for phones that ask for none of ours, and the TV board's."""
    language = languages.supported(code)
    if language is None or language != str(code).strip().lower():
        raise ValidationError(Message(N_("Choose one of: %(languages)s."), languages=", ".join(languages.LANGUAGES)),
                              field="language")

    def act(work):
        work.event.language = language
        work.bump()
        return {"event": slug, "language": language}

    return apply_change(slug, now, act)


def set_runner_texts(slug, form, now):
    """Service names, the announcement and where the medical tent is, in each of the runners' languages (a form of
    `<kind>.<language>` and `name.<service>.<language>` fields: rules/runner_texts.py); phones and the TV show them
    at once."""
    texts, names = runner_texts.checked(form)

    def act(work):
        work.event.texts = texts or None
        for service in work.view.services:
            service.names = names.get(service.code) or None
        work.bump()
        return {"event": slug, "texts": texts, "names": names}

    return apply_change(slug, now, act)


def set_pin(slug, pin, now):
    """Replace an event's staff PIN; every tablet signed in with the old one is signed out, its live view closed."""
    setup.check_pin_format(pin)

    def act(work):
        work.event.pin_hash = _hashed(pin)
        work.event.staff_generation += 1
        work.end_staff_sign_ins()
        return {"event": slug}

    return apply_change(slug, now, act)


def set_organiser_password(password, now):
    """Store the organiser password's hash, replacing any earlier one."""
    setup.check_password_format(password)

    def act(work):
        stored_setup.store_organiser_password_hash(work.session, _hashed(password))
        return _sign_organisers_out(work)

    live.organisers_signed_out(apply_change(None, now, act))
    return {}


def end_organiser_sign_ins(now):
    """The organiser signed out: every organiser sign-in so far (this cookie, copies of it) is over."""
    live.organisers_signed_out(apply_change(None, now, _sign_organisers_out))
    return {}


def _sign_organisers_out(work):
    """End every organiser sign-in in this change; the events whose dashboards must then be told."""
    stored_setup.end_organiser_sign_ins(work.session)
    return [event.slug for event in stored_setup.all_events(work.session)]


def generate_pin():
    """A random 6-digit PIN."""
    return f"{secrets.randbelow(10**6):06d}"


def ensure_demo(pin, now, time_zone="UTC"):
    """Make sure the demo event exists; return the PIN if it was just set (configured or generated), else None.

    `time_zone` (the EVENT_TIME_ZONE setting) is the demo's zone if it is made now; an unknown one is refused here,
    at start-up, rather than at the first event an organiser creates."""
    try:
        time_zone = setup.time_zone(time_zone, zone_names())
    except ValidationError as error:
        raise ValidationError(f"EVENT_TIME_ZONE: {error.message}", field="EVENT_TIME_ZONE") from None
    with db.read() as session:
        exists = queue.event_by_slug(session, DEMO_SLUG) is not None
    if not exists:
        pin = pin or generate_pin()
        create_event(EventSpec(DEMO_SLUG, "Demo City Marathon", pin, setup.demo_services(), tables=6,
                               time_zone=time_zone), now)
        return pin
    if pin and not accounts.pin_matches(DEMO_SLUG, pin):
        set_pin(DEMO_SLUG, pin, now)  # a new PIN signs tablets out; the same one at each restart does not
        return pin
    return pin or None


def ensure_organiser_password(configured, now):
    """Set the organiser password at first start (configured or generated); return it if it was just set."""
    exists = accounts.organiser_password_is_set()
    if configured and not (exists and accounts.organiser_password_matches(configured)):
        set_organiser_password(configured, now)
        return configured
    if not exists:
        password = secrets.token_urlsafe(12)
        set_organiser_password(password, now)
        return password
    return None
