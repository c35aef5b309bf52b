"""The therapist's tablet pages: PIN sign-in, choosing a table, the table's live view."""

from flask import Blueprint
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from ..actions import people
from ..actions import tables
from ..clock import now
from ..live.words import translated
from ..reads import accounts
from ..reads import snapshots
from ..reads import team as team_page
from ..rules import roster
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.words import N_
from . import i18n
from .auth import is_organiser
from .auth import is_staff
from .auth import sign_in_id
from .auth import sign_in_staff
from .auth import staff_page
from .security import limit_sign_ins

bp = Blueprint("staff", __name__)


@bp.get("/e/<slug>/staff")
def sign_in(slug):
    """The PIN form, or once signed in: who is working here (if the event has a roster) and which table."""
    event = snapshots.event_page(slug)
    if is_staff(slug):
        return _choose_page(event, session.get("table"))
    return render_template("staff_signin.html", event=event, error=None)


def _choose_page(event, table=None, error=None, status=200):
    """Who works here and at which table: the roster to pick one or two from (with who is at which table now)."""
    return render_template("staff_tables.html", event=event, team=team_page.roster(event["slug"]), table_now=table,
                           error=error, role_word=lambda role: translated(roster.ROLE_WORDS.get(role, role))), status


@bp.post("/e/<slug>/staff")
@limit_sign_ins
def sign_in_submit(slug):
    """Check the PIN; a wrong one shows the form again with a message."""
    event = snapshots.event_page(slug)
    if not accounts.pin_matches(slug, request.form.get("pin", "")):
        return render_template("staff_signin.html", event=event, error=N_("That PIN is not right. Try again.")), 401
    sign_in_staff(slug)
    return redirect(url_for("staff.sign_in", slug=slug))


@bp.post("/e/<slug>/staff/table")
@staff_page
def choose_table(slug):
    """Start working at the chosen table, as the people chosen (when the event has a roster)."""
    number = request.form.get("table", type=int)
    chosen = [int(p) for p in request.form.getlist("people") if p.isdigit()]
    roster_now = team_page.roster(slug)["people"]
    if roster_now and not is_organiser():
        try:
            people.seat_people(slug, sign_in_id(), number, chosen, now())
        except (ValidationError, NotFound) as error:
            return _choose_page(snapshots.event_page(slug), number, error, 422)
    # A therapist who moves frees the table they left, in the same change.
    tables.take_table(slug, number, now(), leaving=session.get("table"))
    session["table"] = number
    response = redirect(url_for("staff.table", slug=slug, number=number))
    # The tablet speaks the language of the first person chosen, if their roster entry names one.
    spoken = next((p["language"] for p in roster_now if chosen and p["id"] == chosen[0] and p["language"]), None)
    return i18n.remember(response, spoken) if spoken else response


@bp.get("/e/<slug>/staff/table/<int:number>")
@staff_page
def table(slug, number):
    """The table's live view: current athlete, next in line, and the actions."""
    event = snapshots.event_page(slug)
    if not any(t["number"] == number for t in event["tables"]):
        return redirect(url_for("staff.sign_in", slug=slug))
    idle_minutes = current_app.config["IDLE_TABLE_MINUTES"]
    return render_template("staff_table.html", event=event, number=number, idle_minutes=idle_minutes,
                           first=snapshots.table_page(slug, number, now(), idle_minutes))
