"""The organiser's pages: sign-in, events, an event's settings and its live dashboard."""

from datetime import date

from flask import Blueprint
from flask import Response
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for

from .. import facts
from .. import organise
from .. import queue_admin
from .. import records
from ..auth import organiser_page
from ..auth import sign_in_organiser
from ..clock import now
from ..domain import Conflict
from ..domain import ValidationError
from ..security import limit_sign_ins

bp = Blueprint("organiser", __name__)

@bp.get("/admin/sign-in")
def sign_in():
    """The organiser password form."""
    return render_template("organiser_signin.html", error=None, next=request.args.get("next", ""))


@bp.post("/admin/sign-in")
@limit_sign_ins
def sign_in_submit():
    """Check the organiser password; go where the organiser was heading."""
    if not organise.organiser_password_matches(request.form.get("password", "")):
        return render_template("organiser_signin.html", error="That password is not right.",
                               next=request.form.get("next", "")), 401
    sign_in_organiser()
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for(".events"))


@bp.get("/admin")
@organiser_page
def events():
    """Every event, and a form to create one."""
    return render_template("organiser_events.html", events=organise.events(), error=None, form={})


@bp.post("/admin/events")
@organiser_page
def create_event():
    """Create an event with the usual pre- and post-race services."""
    form = request.form.to_dict()
    try:
        organise.create_event_from_form(form, now())
    except (ValidationError, Conflict) as error:
        return render_template("organiser_events.html", events=organise.events(), error=error, form=form), 422
    return redirect(url_for(".settings", slug=form["slug"].strip()))


@bp.get("/e/<slug>/dashboard")
@organiser_page
def dashboard(slug):
    """The live dashboard."""
    return render_template("dashboard.html", event=facts.event_page(slug))


@bp.get("/e/<slug>/settings")
@organiser_page
def settings(slug):
    """Services, tables, PIN, start list, export and purge."""
    return render_template("settings.html", event=facts.event_page(slug), message=request.args.get("message"),
                           error=None, today=date.today())


@bp.post("/e/<slug>/settings/<section>")
@organiser_page
def save_settings(slug, section):
    """Save one section of the settings page and come back to it with a message."""
    form = request.form.to_dict()
    try:
        message = _save(slug, section, form)
    except (ValidationError, Conflict) as error:
        return render_template("settings.html", event=facts.event_page(slug), message=None, error=error,
                               today=date.today()), 422
    return redirect(url_for(".settings", slug=slug, message=message, _anchor=section))


def _save(slug, section, form):
    """Apply one settings form; returns the message to show."""
    if section == "service":
        changes = {k: form.get(k) for k in ("name", "status", "minutes", "capacity", "opens_at", "closes_at",
                                              "grace_seconds") if k in form}
        queue_admin.update_service(slug, form.get("code"), changes, now())
        return "Service saved."
    if section == "table-add":
        queue_admin.add_table(slug, form.get("number"), request.form.getlist("services"), now())
        return f"Table {form.get('number')} added."
    if section == "table":
        number = int(form.get("number", 0))
        if form.get("remove"):
            queue_admin.remove_table(slug, number, now())
            return f"Table {number} removed."
        queue_admin.update_table(slug, number, request.form.getlist("services"), now())
        return f"Table {number} saved."
    if section == "pin":
        organise.set_pin(slug, form.get("pin", ""))
        return "Staff PIN changed."
    if section == "start-list":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationError("Choose a CSV file.", field="file")
        result = records.import_start_list(slug, upload.read().decode("utf-8-sig", errors="replace"), now())
        skipped = f", {len(result['skipped'])} lines skipped" if result["skipped"] else ""
        return f"Start list imported: {result['imported']} runners{skipped}."
    if section == "purge":
        if form.get("confirm", "").strip() != slug:
            raise ValidationError(f"Type {slug} to confirm.", field="confirm")
        records.purge(slug, now())
        return "Personal data erased. Anonymous counts are kept."
    raise ValidationError("Unknown settings section.")


@bp.get("/e/<slug>/export.csv")
@organiser_page
def export(slug):
    """The day's tickets and audit log as CSV."""
    return Response(records.export_csv(slug), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-tickets.csv"'})


@bp.post("/admin/sign-out")
def sign_out():
    """Forget the organiser sign-in."""
    session.clear()
    return redirect(url_for(".sign_in"))
