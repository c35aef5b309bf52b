"""The day's report for the organiser: a page that prints on A4, its figures as CSV, and as JSON for integrations."""

import csv
import io

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import render_template

from ..clock import now
from ..planner import process
from ..reads import report as day_report
from ..reads import snapshots
from ..rules import report as story_rules
from .auth import organiser_api
from .auth import organiser_page

bp = Blueprint("report", __name__)


@bp.get("/e/<slug>/report")
@organiser_page
def page(slug):
    """The story of the day: live during it, final after it; Print → Save as PDF gives the race director's copy."""
    return render_template("report.html", event=snapshots.event_page(slug), report=_report(slug))


@bp.get("/api/v1/events/<slug>/report")
@organiser_api
def as_json(slug):
    """The report's figures: served, left, no_shows, sent_to_medical, feedback {count, 1, 2, 3, shares} and more."""
    return jsonify(_report(slug))


@bp.get("/e/<slug>/report.csv")
@organiser_page
def as_csv(slug):
    """The report's figures, one per line (section, what, service or hour, value), UTF-8 with a byte-order mark."""
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(story_rules.figures(_report(slug)))
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-report.csv"'})


def _report(slug):
    """The report as of now, next year's replays made in the planner's bounded worker process (as its page does)."""
    return day_report.report(slug, now(), make=process.for_app(current_app))
