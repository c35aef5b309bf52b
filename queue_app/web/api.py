"""The JSON API: the same actions as the pages, for integrations and load tests."""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import request
from flask import url_for
from flask_wtf.csrf import generate_csrf

from ..actions import feedback
from ..actions import runner
from ..actions import tables
from ..clock import now
from ..extensions import csrf
from ..live import broadcast as live
from ..reads import accounts
from ..reads import snapshots
from ..rules import joining
from ..rules.errors import ValidationError
from ..rules.idempotency import request_key
from ..rules.words import N_
from ..rules.words import Message
from . import i18n
from .auth import is_organiser
from .auth import sign_in_id
from .auth import sign_in_staff
from .auth import staff_api
from .inputs import json_object
from .security import limit_alerts
from .security import limit_bibs
from .security import limit_joins
from .security import limit_sign_ins
from .security import same_site_json

bp = Blueprint("api", __name__, url_prefix="/api/v1")

TABLE_ACTIONS = {
    "start": tables.start,
    "no-show": tables.no_show,
    "requeue": tables.requeue,
    "call-again": tables.call_again,
    "call-runner": tables.call_runner,
}
KEY_MAX = 80
NOTE_MAX = 500


def _body():
    """The request's JSON object, checked at the door (web/inputs.py)."""
    return json_object()


def _idempotency_key():
    """The request's identity for replays, if it sent an Idempotency-Key: the key within this sign-in, method
    and address, and a digest of its body (rules/idempotency.py)."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not 0 < len(key) <= KEY_MAX:
        raise ValidationError(Message(N_("Idempotency-Key must be 1 to %(most)s characters."), most=KEY_MAX),
                              field="Idempotency-Key")
    return request_key(key, sign_in_id(), request.method, request.path, request.get_data())


def _expected():
    """The ticket number the tablet believes is at its table, if it says."""
    expected = _body().get("ticket")
    if expected is not None and not isinstance(expected, str):
        raise ValidationError(N_("ticket must be a ticket number such as P-001."), field="ticket")
    return expected


def _staff_answer(result):
    """A staff action's result with the ticket in its staff view, and its message (if any) translated."""
    ticket = result.get("ticket")
    return jsonify(ticket=live.staff_ticket(ticket) if ticket else None, message=i18n.translated(result.get("message")))


@bp.post("/events/<slug>/tickets")
@csrf.exempt
@limit_joins
@limit_bibs
def join(slug):
    """A runner joins: 201 with the ticket and its token, or 200 with a medical referral and no ticket."""
    result = runner.join(slug, _body(), now(), language=i18n.wished())
    if result.get("referred"):
        return jsonify(referred=True, message=i18n.translated(result["message"])), 200
    ticket = result["ticket"]
    thin = result.get("last_call", {}).get("thin")
    # A thin margin before closing is told at once (rules/last_call.py); the ticket page keeps telling it.
    warning = i18n.translated(joining.THIN_WARNING) if thin else None
    return jsonify(token=ticket["token"], warning=warning, **live.own_ticket(ticket)), 201


@bp.get("/tickets/<token>")
def ticket(token):
    """A runner's ticket as they see it."""
    _, ticket_facts = snapshots.ticket(token)
    return jsonify(live.own_ticket(ticket_facts))


@bp.delete("/tickets/<token>")
@csrf.exempt
def leave(token):
    """The runner leaves the queue."""
    result = runner.leave(token, now())
    return jsonify(live.own_ticket(result["ticket"]))


@bp.post("/tickets/<token>/on-my-way")
@csrf.exempt
def on_my_way(token):
    """The called runner is coming: the tablet shows it and the phone stops ringing."""
    return jsonify(live.own_ticket(runner.on_the_way(token, now())["ticket"]))


@bp.post("/tickets/<token>/step-back")
@csrf.exempt
def step_back(token):
    """`{"places": 2}`: not ready yet, let the next runners go first (once, within the service's limit)."""
    return jsonify(live.own_ticket(runner.step_back(token, _body().get("places"), now())["ticket"]))


@bp.post("/tickets/<token>/feedback")
@csrf.exempt
@limit_alerts
def give_feedback(token):
    """`{"rating": 1|2|3, "comment": "…"}` once the massage is done: 201; a second answer is refused (409)."""
    return jsonify(feedback.give(token, _body(), now())), 201


@bp.post("/tickets/<token>/push")
@csrf.exempt
@limit_alerts
def push(token):
    """`{"subscription": <the browser's PushSubscription JSON>, "close_at": 3}`: reach this phone with the page
    closed, for "getting close" and "your turn"."""
    body = _body()
    answer = runner.reach_by_push(token, body.get("subscription"), body.get("close_at"), now(), current_app.config)
    return jsonify(answer), 201


@bp.post("/tickets/<token>/text")
@csrf.exempt
@limit_alerts
def text(token):
    """`{"phone": "+49 151 2345678", "close_at": 3}`: texts for "getting close" and "your turn", if the tent set
    texts up (409 if not)."""
    body = _body()
    return jsonify(runner.reach_by_text(token, body.get("phone"), body.get("close_at"), now(), current_app.config)), 201


@bp.post("/events/<slug>/tables/<int:number>/undo-no-show")
@staff_api
def undo_no_show(slug, number):
    """`{"ticket": "P-004", "to": "table"}`, marked a no-show at this table a moment ago, turned up: onto the table
    with the massage started (`"to": "table"`, the default), or back where they stood (`"to": "queue"`)."""
    ticket = _expected()
    if not ticket:
        raise ValidationError(N_("Say which ticket to take back, e.g. {\"ticket\": \"P-004\"}."), field="ticket")
    to = _body().get("to", "table")
    if to not in ("table", "queue"):
        # Staff:
        raise ValidationError(N_("Say \"to\": \"table\" or \"to\": \"queue\"."), field="to")
    return _staff_answer(tables.undo_no_show(slug, number, now(), ticket, to_table=to == "table",
                                             idempotency_key=_idempotency_key()))


@bp.get("/events/<slug>/board")
def board(slug):
    """The public board: counts, wait per place and who is called where."""
    return jsonify(snapshots.board(slug))


@bp.post("/events/<slug>/login")
@csrf.exempt
@same_site_json
@limit_sign_ins
def login(slug):
    """Staff sign in with the event PIN; the answer carries the CSRF token for later calls."""
    pin = _body().get("pin")
    if not accounts.pin_matches(slug, pin):
        return jsonify(error="That PIN is not right.", code="unauthorized"), 401
    sign_in_staff(slug)
    return jsonify(event=slug, csrf_token=generate_csrf())


@bp.get("/events/<slug>/staff")
@staff_api
def staff_snapshot(slug):
    """Everything a tablet shows: services, tables and active tickets with detail."""
    return jsonify(snapshots.staff(slug))


@bp.post("/events/<slug>/tickets/<number>/reissue")
@staff_api
def reissue(slug, number):
    """A runner's phone died: their ticket gets a new link (shown as a QR code with their name, for staff to
    check who they hand it to), and the old link stops working."""
    ticket = runner.reissue(slug, number, now(), actor="organiser" if is_organiser() else "staff")["ticket"]
    url = current_app.config["PUBLIC_URL"] + url_for("runner.ticket", token=ticket["token"])
    return jsonify(number=ticket["number"], first_name=ticket["first_name"], bib=ticket["bib"], url=url,
                   qr=url_for("board.ticket_qr", token=ticket["token"]), token=ticket["token"])


@bp.post("/events/<slug>/tables/<int:number>/call-next")
@staff_api
def call_next(slug, number):
    """Call the next waiting runner to this table; `{"ticket": "P-004"}` names the one the tablet showed."""
    return _staff_answer(tables.call_next(slug, number, now(), _idempotency_key(), expected=_expected()))


@bp.post("/events/<slug>/tables/<int:number>/finish")
@staff_api
def finish(slug, number):
    """Finish the massage at this table, with an optional note."""
    note = _body().get("note")
    if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX):
        raise ValidationError(Message(N_("A note is text of at most %(most)s characters."), most=NOTE_MAX),
                              field="note")
    result = tables.finish(slug, number, now(), note=note or None, expected=_expected(),
                             idempotency_key=_idempotency_key())
    return _staff_answer(result)


@bp.post("/events/<slug>/tables/<int:number>/send-to-medical")
@staff_api
def send_to_medical(slug, number):
    """`{"ticket": "P-003", "reason": "dizzy"}`: the runner at this table goes to the medical tent instead; the
    reason is kept in the audit log."""
    result = tables.send_to_medical(slug, number, now(), reason=_body().get("reason"), expected=_expected(),
                                    idempotency_key=_idempotency_key())
    return _staff_answer(result)


@bp.post("/events/<slug>/tables/<int:number>/break")
@staff_api
def take_break(slug, number):
    """The therapist steps away: the table stops counting toward wait estimates."""
    return jsonify(tables.set_table_working(slug, number, False, now()))


@bp.post("/events/<slug>/tables/<int:number>/resume")
@staff_api
def resume(slug, number):
    """The therapist is back at the table."""
    return jsonify(tables.set_table_working(slug, number, True, now()))


@bp.post("/events/<slug>/tables/<int:number>/<action>")
@staff_api
def table_action(slug, number, action):
    """Start, no-show, requeue or call again the runner at this table, or call a particular waiting runner to it
    (`{"ticket": "P-007"}`, out of turn)."""
    if action not in TABLE_ACTIONS:
        return jsonify(error=f"Unknown action {action!r}.", code="not_found"), 404
    result = TABLE_ACTIONS[action](slug, number, now(), expected=_expected(), idempotency_key=_idempotency_key())
    return _staff_answer(result)
