"""The organiser's pages: sign-in, events, an event's settings and its live dashboard."""

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from ..actions import setup
from ..clock import now
from ..clock import zone_names
from ..reads import accounts
from ..reads import dashboard as dashboard_reads
from ..reads import export as day_export
from ..reads import snapshots
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.words import N_
from . import settings_forms
from .auth import is_organiser
from .auth import organiser_page
from .auth import sign_in_organiser
from .security import limit_sign_ins
from .security import same_site_path

bp = Blueprint("organiser", __name__)

@bp.get("/admin/sign-in")
def sign_in():
    """The organiser password form."""
    return render_template("organiser_signin.html", error=None, next=request.args.get("next", ""))


@bp.post("/admin/sign-in")
@limit_sign_ins
def sign_in_submit():
    """Check the organiser password; go where the organiser was heading (a path on this site)."""
    target = same_site_path(request.form.get("next", ""))
    if not accounts.organiser_password_matches(request.form.get("password", "")):
        return render_template("organiser_signin.html", error=N_("That password is not right."),
                               next=request.form.get("next", "")), 401
    sign_in_organiser()
    return redirect(target or url_for(".events"))


@bp.get("/admin")
@organiser_page
def events():
    """Every event, and a form to create one."""
    return _events_page(error=None, form={})


def _events_page(**values):
    """The events page, its new-event form offering the configured zone (EVENT_TIME_ZONE or the server's)."""
    return render_template("organiser_events.html", events=accounts.events(), zones=zone_names(),
                           default_zone=current_app.config["EVENT_TIME_ZONE"], **values)


@bp.post("/admin/events")
@organiser_page
def create_event():
    """Create an event with the usual pre- and post-race services, in the time zone the form names."""
    form = request.form.to_dict()
    try:
        setup.create_event_from_form(form, now())
    except (ValidationError, Conflict) as error:
        return _events_page(error=error, form=form), 422
    return redirect(url_for(".settings", slug=form["slug"].strip()))


@bp.get("/e/<slug>/dashboard")
@organiser_page
def dashboard(slug):
    """The live dashboard."""
    return render_template("dashboard.html", event=snapshots.event_page(slug),
                           replication_stopped=dashboard_reads.replication_stopped(current_app.instance_path))


@bp.get("/e/<slug>/settings")
@organiser_page
def settings(slug):
    """Time zone, services, tables, PIN, start list, export and purge."""
    return _settings_page(slug, message=request.args.get("message"), error=None)


def _settings_page(slug, **values):
    """The settings page of an event as it stands, with a message or a refused form's error."""
    return render_template("settings.html", event=snapshots.settings_page(slug, now()), zones=zone_names(), **values)


@bp.post("/e/<slug>/settings/<section>")
@organiser_page
def save_settings(slug, section):
    """Save one section of the settings page and come back to it with a message."""
    form = request.form.to_dict()
    try:
        message = settings_forms.save(slug, section, form, request.form, request.files)
    except (ValidationError, Conflict) as error:
        return _settings_page(slug, message=None, error=error), 409 if isinstance(error, Conflict) else 422
    return redirect(url_for(".settings", slug=slug, message=message, _anchor=section))


@bp.get("/e/<slug>/export.csv")
@organiser_page
def export(slug):
    """The day's tickets and audit log as CSV."""
    return Response(day_export.export_for_spreadsheets(slug), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-tickets.csv"'})


@bp.post("/admin/sign-out")
def sign_out():
    """End the organiser's sign-in, here and in any copy of this cookie (every organiser sign-in so far ends)."""
    if is_organiser():
        setup.end_organiser_sign_ins(now())
    session.clear()
    return redirect(url_for(".sign_in"))
