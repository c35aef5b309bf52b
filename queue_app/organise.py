"""Setting events up: creating them with their services and tables, and the staff PIN."""

import re
import secrets
from dataclasses import dataclass
from datetime import date

from werkzeug.security import check_password_hash
from werkzeug.security import generate_password_hash

from . import store
from .domain import ValidationError
from .extensions import db
from .models import Event
from .models import Service
from .models import Setting
from .models import Station

PIN_PATTERN = re.compile(r"^\d{6,12}$")
PASSWORD_MIN = 10
PASSWORD_KEY = "organiser_password_hash"
DEMO_SERVICES = (("pre", "Pre-race massage", "P", 10), ("post", "Post-race massage", "R", 15))


@dataclass(frozen=True)
class ServiceSpec:
    """A service to create: code, name, ticket prefix and expected minutes per massage."""

    code: str
    name: str
    prefix: str
    minutes: int


def check_pin_format(pin):
    """Refuse a PIN that is not 6 to 12 digits, with a message that says so."""
    if not PIN_PATTERN.match(pin or ""):
        raise ValidationError("A staff PIN must be 6 to 12 digits.", field="pin")
    return pin


def generate_pin():
    """A random 6-digit PIN."""
    return f"{secrets.randbelow(10**6):06d}"


def create_event(slug, name, pin, services, tables, now, day=None):
    """Create an event with its services and `tables` tables that serve every service."""
    check_pin_format(pin)
    with db.transaction() as session:
        event = Event(slug=slug, name=name, pin_hash=generate_password_hash(pin), version=0, next_seq=1,
                      created_at=now, day=day)
        session.add(event)
        session.flush()
        for position, spec in enumerate(services):
            session.add(Service(event_id=event.id, code=spec.code, name=spec.name, prefix=spec.prefix,
                                minutes=spec.minutes, status="open", next_number=1, position=position))
        codes = ",".join(spec.code for spec in services)
        for number in range(1, tables + 1):
            session.add(Station(event_id=event.id, number=number, service_codes=codes, staffed=False))


def set_pin(slug, pin):
    """Replace an event's staff PIN."""
    check_pin_format(pin)
    with db.transaction() as session:
        event = store.event_by_slug(session, slug, lock=True)
        event.pin_hash = generate_password_hash(pin)


def pin_matches(slug, pin):
    """True if `pin` is the event's staff PIN."""
    with db.transaction() as session:
        event = store.event_by_slug(session, slug)
        return event is not None and isinstance(pin, str) and check_password_hash(event.pin_hash, pin)


def ensure_demo(pin, now):
    """Make sure the demo event exists; return the PIN if it was just set (configured or generated), else None."""
    with db.transaction() as session:
        exists = store.event_by_slug(session, "demo") is not None
    if not exists:
        pin = pin or generate_pin()
        services = [ServiceSpec(*spec) for spec in DEMO_SERVICES]
        create_event("demo", "Demo City Marathon", pin, services, tables=6, now=now)
        return pin
    if pin:
        set_pin("demo", pin)
        return pin
    return None


def events():
    """(slug, name) of every event, newest first."""
    with db.transaction() as session:
        return [(e.slug, e.name) for e in store.all_events(session)]


def check_password_format(password):
    """Refuse an organiser password shorter than PASSWORD_MIN characters."""
    if not isinstance(password, str) or len(password) < PASSWORD_MIN:
        raise ValidationError(f"The organiser password must be at least {PASSWORD_MIN} characters.", field="password")
    return password


def set_organiser_password(password):
    """Store the organiser password's hash, replacing any earlier one."""
    check_password_format(password)
    with db.transaction() as session:
        setting = session.get(Setting, PASSWORD_KEY) or Setting(key=PASSWORD_KEY)
        setting.value = generate_password_hash(password)
        session.add(setting)


def ensure_organiser_password(configured):
    """Set the organiser password at first start (configured or generated); return it if it was just set."""
    with db.transaction() as session:
        exists = session.get(Setting, PASSWORD_KEY) is not None
    if configured and not (exists and organiser_password_matches(configured)):
        set_organiser_password(configured)
        return configured
    if not exists:
        password = secrets.token_urlsafe(12)
        set_organiser_password(password)
        return password
    return None


def organiser_password_matches(password):
    """True if `password` is the organiser password."""
    with db.transaction() as session:
        setting = session.get(Setting, PASSWORD_KEY)
        return setting is not None and isinstance(password, str) and check_password_hash(setting.value, password)


SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def create_event_from_form(form, now):
    """Create an event from the organiser's form: name, slug, date, PIN, number of tables."""
    name = " ".join((form.get("name") or "").split())
    slug = (form.get("slug") or "").strip()
    if not name or len(name) > 120:
        raise ValidationError("Give the event a name (up to 120 characters).", field="name")
    if not SLUG_PATTERN.match(slug):
        raise ValidationError("The short name is 2 to 40 lower-case letters, digits and dashes.", field="slug")
    try:
        tables = int(form.get("tables") or 0)
    except ValueError:
        tables = 0
    if not 1 <= tables <= 200:
        raise ValidationError("Tables must be 1 to 200.", field="tables")
    with db.transaction() as session:
        if store.event_by_slug(session, slug) is not None:
            raise ValidationError("An event with this short name exists already.", field="slug")
    day = _date(form.get("day"))
    create_event(slug, name, form.get("pin") or "", [ServiceSpec(*spec) for spec in DEMO_SERVICES], tables, now,
                 day=day)
    return slug


def _date(value):
    """A YYYY-MM-DD date, or None when empty."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("Write the date as YYYY-MM-DD.", field="day") from None
