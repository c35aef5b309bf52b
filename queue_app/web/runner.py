"""The runner's pages: join form, medical referral and the live ticket."""

from pathlib import Path

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for

from ..actions import runner
from ..clock import now
from ..live import broadcast as live
from ..live import sms
from ..reads import snapshots
from ..rules import joining
from ..rules.errors import Conflict
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.tickets import ACTIVE
from ..rules.words import N_
from . import i18n
from .security import limit_bibs
from .security import limit_joins

bp = Blueprint("runner", __name__)

SCREENING_QUESTIONS = (
    ("unwell", N_("Are you feeling unwell, dizzy or faint?")),
    ("injury", N_("Do you have a new or suspected injury (sharp pain, swelling, a fall)?")),
    ("medical_condition", N_("Do you have a medical condition the therapist must know about?")),
)
DEVICE_COOKIE_DAYS = 2


def device_cookie(slug):
    """Name of the cookie that brings this phone back to its ticket for the event."""
    return f"ticket_{slug}"


@bp.get("/e/<slug>/join")
def join(slug):
    """The join form; a phone that already holds an active ticket goes straight back to it."""
    event = snapshots.join_page(slug, now())
    i18n.settle(event_language=event["language"])
    token = request.cookies.get(device_cookie(slug))
    if token:
        try:
            _, ticket = snapshots.ticket(token)
            if ticket["status"] in ACTIVE:
                return redirect(url_for("runner.ticket", token=token))
        except NotFound:
            pass
    # A service's own poster opens the form with that service chosen (`?service=post`).
    form = {"service": request.args.get("service")}
    return render_template("join.html", event=event, questions=SCREENING_QUESTIONS, form=form, error=None)


@bp.post("/e/<slug>/join")
@limit_joins
@limit_bibs
def join_submit(slug):
    """Screen and queue the runner; show errors next to their field, keeping what was typed."""
    form = request.form.to_dict()
    i18n.settle(form.get("lang"))
    data = {
        "bib": form.get("bib"), "first_name": form.get("first_name"), "service": form.get("service"),
        "screening": {key: form.get(f"screening_{key}") for key, _ in SCREENING_QUESTIONS},
    }
    try:
        result = runner.join(slug, data, now(), language=i18n.language())
    except (ValidationError, Conflict) as error:
        return render_template("join.html", event=snapshots.join_page(slug, now()), form=form, error=error,
                               questions=SCREENING_QUESTIONS), 409 if isinstance(error, Conflict) else 422
    if result.get("referred"):
        # A page of its own (post, redirect, get): the browser's Back then returns to the join form.
        return redirect(url_for("runner.medical", slug=slug, lang=i18n.language()), code=303)
    token = result["ticket"]["token"]
    response = redirect(url_for("runner.ticket", token=token))
    response.set_cookie(device_cookie(slug), token, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True,
                        samesite="Lax", secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/e/<slug>/medical")
def medical(slug):
    """The screening's referral: go to the medical tent (where it is), not into the massage queue."""
    event = snapshots.event_page(slug)
    i18n.settle(event_language=event["language"])
    return render_template("medical.html", event=event, message=joining.MEDICAL_MESSAGE)


@bp.get("/sw.js")
def service_worker():
    """The service worker that shows pushed calls; served from the root so it may act for every page."""
    response = send_from_directory(Path(current_app.static_folder) / "js", "sw.js", mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/t/<token>")
def ticket(token):
    """The runner's live ticket page; the token in the URL is the only key to it."""
    slug, ticket_facts = snapshots.ticket(token)
    event = snapshots.event_page(slug)
    chosen = i18n.asked()
    if chosen:
        runner.choose_language(token, chosen)
    i18n.settle(chosen or snapshots.ticket_language(token), event["language"])
    reach = {"push_key": current_app.config["VAPID_PUBLIC_KEY"], "texts": sms.configured(current_app.config)}
    return render_template("ticket.html", event=event, ticket=live.own_ticket(ticket_facts),
                           board=snapshots.board(slug), token=token, reach=reach,
                           thin=snapshots.thin_margin(event, ticket_facts, now()),
                           feedback_given=ticket_facts["status"] == "done" and snapshots.feedback_given(token))


@bp.post("/t/<token>/leave")
def leave(token):
    """Leave the queue from the ticket page."""
    try:
        runner.leave(token, now())
    except Conflict:
        pass  # Already at a table: the ticket page shows where.
    return redirect(url_for("runner.ticket", token=token))
