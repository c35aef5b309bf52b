"""The day's report for the organiser: a page that prints on A4, its figures as CSV, and as JSON for integrations."""

import csv
import io

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import render_template

from ..clock import now
from ..reads import report as day_report
from ..reads import snapshots
from .auth import organiser_api
from .auth import organiser_page

bp = Blueprint("report", __name__)


@bp.get("/e/<slug>/report")
@organiser_page
def page(slug):
    """The story of the day: live during it, final after it; Print → Save as PDF gives the race director's copy."""
    return render_template("report.html", event=snapshots.event_page(slug), report=day_report.report(slug, now()))


@bp.get("/api/v1/events/<slug>/report")
@organiser_api
def as_json(slug):
    """The report's figures: served, left, no_shows, sent_to_medical, feedback {count, 1, 2, 3, shares} and more."""
    return jsonify(day_report.report(slug, now()))


@bp.get("/e/<slug>/report.csv")
@organiser_page
def as_csv(slug):
    """The report's figures, one per line (section, what, service or hour, value), UTF-8 with a byte-order mark."""
    story = day_report.report(slug, now())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["section", "figure", "of", "value"])
    for code, row in story["per_service"].items():
        for key, value in row.items():
            writer.writerow(["outcomes", key, code, value])
    for key in ("joined", "served", "left", "removed", "no_shows", "sent_to_medical", "referred"):
        writer.writerow(["outcomes", key, "all", story[key]])
    for hour in story["per_hour"]:
        for key in ("joined", "served", "left"):
            writer.writerow(["per_hour", key, hour["hour"], hour[key]])
    for key, value in story["waits"].items():
        if key != "spread":
            writer.writerow(["waits", key, "", "" if value is None else value])
    for bucket in story["waits"]["spread"]:
        writer.writerow(["waits", "real_wait_minutes", f"{bucket['from']}-{bucket['to'] or ''}", bucket["count"]])
    writer.writerow(["walk_aways", "count", "", story["walk_aways"]["count"]])
    writer.writerow(["walk_aways", "median_waited", "", story["walk_aways"]["median_waited"] or ""])
    for slot in story["peaks"]["joins"]:
        writer.writerow(["peaks", "joins_per_15_min", slot["at"], slot["joins"]])
    peaks = story["peaks"]
    writer.writerow(["peaks", "longest_queue", peaks["longest_queue_at"] or "", peaks["longest_queue"]])
    for person in story["team"]["people"]:
        writer.writerow(["team", "massages", person["name"], person["massages"]])
        writer.writerow(["team", "hours", person["name"], person["hours"]])
    for rating in ("1", "2", "3"):
        writer.writerow(["feedback", f"face_{rating}", "", story["feedback"][rating]])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-report.csv"'})
