"""The organiser's JSON API, used by the dashboard: numbers, history and actions on the queue."""

from flask import Blueprint
from flask import current_app
from flask import jsonify

from ..actions import organiser
from ..actions import runner
from ..actions import setup
from ..clock import now
from ..live import broadcast as live
from ..reads import dashboard
from ..rules.errors import ValidationError
from ..rules.joining import NameMismatch
from ..rules.words import N_
from ..rules.words import Message
from .auth import organiser_api
from .i18n import translated
from .inputs import json_object

bp = Blueprint("organiser_api", __name__, url_prefix="/api/v1/events/<slug>")


def _body():
    """The request's JSON object, checked at the door (web/inputs.py); an empty body is refused."""
    return json_object(empty_allowed=False)


@bp.get("/dashboard")
@organiser_api
def numbers(slug):
    """Waiting, tables, warnings and statistics right now."""
    return jsonify(dashboard.now_numbers(slug, now(), current_app.config["IDLE_TABLE_MINUTES"]))


@bp.get("/history")
@organiser_api
def history(slug):
    """The day so far in 15-minute steps, for the charts."""
    return jsonify(dashboard.day_history(slug, now()))


@bp.post("/walk-ins")
@organiser_api
def walk_in(slug):
    """Queue a runner without a phone; the answer carries the token for printing their slip.

    `name_override` (the organiser's reason) lets a first name that differs from the start list's through."""
    body = _body()
    override = body.get("name_override")
    if override is not None and (not isinstance(override, str) or not 0 < len(override.strip()) <= 80):
        raise ValidationError(N_("Say in a few words why the name differs (up to 80 characters)."),
                              field="name_override")
    try:
        result = runner.join(slug, body, now(), walk_in=True, name_override=override and override.strip())
    except NameMismatch as error:
        raise _staff_mismatch(error) from error
    if result.get("referred"):
        return jsonify(referred=True, message=translated(result["message"])), 200
    ticket = result["ticket"]
    return jsonify(token=ticket["token"], **live.staff_ticket(ticket)), 201


def _staff_mismatch(error):
    """The name-mismatch refusal in the staff's words: the runner's own text sends them to the tent they stand in."""
    bib = getattr(error.message, "params", {}).get("bib", "")
    return NameMismatch(Message(N_("Bib %(bib)s is registered under another first name. Check who this is: type the "
                                   "registered first name, or give the reason below and add them."), bib=bib),
                        field="first_name")


@bp.post("/tickets/<number>/remove")
@organiser_api
def remove(slug, number):
    """Take a waiting ticket out of the queue."""
    return jsonify(ticket=live.staff_ticket(organiser.remove(slug, number, now())["ticket"]))


@bp.post("/tickets/<number>/move")
@organiser_api
def move(slug, number):
    """Move a waiting ticket to another service's queue (`service`) and/or to the front (`front`: true)."""
    body = _body()
    service = body.get("service")
    if service is not None and not isinstance(service, str):
        raise ValidationError(N_("service is a service code such as post."), field="service")
    result = organiser.move(slug, number, now(), service_code=service, to_front=body.get("front") is True)
    return jsonify(ticket=live.staff_ticket(result["ticket"]))


@bp.patch("")
@organiser_api
def update_event(slug):
    """`{"time_zone": "Europe/Berlin"}`: the event's clock for opening hours, charts and the export."""
    return jsonify(setup.set_time_zone(slug, _body().get("time_zone"), now()))


@bp.patch("/services/<code>")
@organiser_api
def update_service(slug, code):
    """Open, pause or close a service, or change its settings."""
    return jsonify(organiser.update_service(slug, code, _body(), now()))


@bp.put("/announcement")
@organiser_api
def announcement(slug):
    """Show a message on every phone and the board; empty text clears it."""
    return jsonify(organiser.set_announcement(slug, _body().get("text"), now()))
