"""The organiser's staffing planner page: replay an arrivals file (or the app's export, or this event's day so far)
with a few numbers of tables, and see per hour the waits and the fewest tables that keep them within a target."""

import io

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request

from ..planner import day
from ..planner import output
from ..planner import process
from ..reads import planning
from ..reads import snapshots
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.words import N_
from .auth import organiser_page

bp = Blueprint("planner", __name__)

OPTIONS = ("tables", "walk_seconds", "clean_seconds", "no_show_rate", "seed", "target_p90")


@bp.get("/e/<slug>/plan")
@organiser_page
def form(slug):
    """The planner's form, filled in with the event's minutes and the usual assumptions."""
    return _page(slug, form={}, answer=None, error=None)


@bp.post("/e/<slug>/plan")
@organiser_page
def run(slug):
    """Replay the chosen day and show the answer; a refused file or option shows the form again with its message,
    and no answer."""
    form = request.form.to_dict()
    try:
        # The replay is pure CPU: it runs in a bounded worker process, one at a time, so the tent's calls go on.
        answer = planning.plan(slug, _arrivals(form), _options(form), make=process.for_app(current_app))
    except (ValidationError, Conflict) as error:
        return _page(slug, form, None, error), 409 if isinstance(error, Conflict) else 422
    return _page(slug, form, output.as_values(answer), None)


def _arrivals(form):
    """The uploaded file as text lines, or None to plan the event's own day so far."""
    if form.get("source") == "day":
        return None
    upload = request.files.get("arrivals")
    if upload is None or not upload.filename:
        raise ValidationError(N_("Choose an arrivals file, or plan this event's day so far."), field="arrivals")
    return io.TextIOWrapper(upload.stream, encoding="utf-8-sig", errors="replace", newline="")


def _options(form):
    """The form's options as the planner takes them; minutes come as one field per service, minutes-<code>."""
    options = {name: form.get(name) for name in OPTIONS}
    options["minutes"] = {key.removeprefix("minutes-"): value for key, value in form.items()
                          if key.startswith("minutes-")}
    return options


def _page(slug, form, answer, error):
    """The planner page: the form (as sent, or the defaults), and the answer or the refusal."""
    return render_template("planner.html", event=snapshots.event_page(slug), form=form, answer=answer, error=error,
                           defaults=day.DEFAULTS)
