"""The organiser's team pages: the roster (add, import, edit, remove), each person's hours and massages (printable,
and as CSV), badges, and ending one tablet's sign-in."""

import csv
import io

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for

from ..actions import people
from ..clock import now
from ..reads import snapshots
from ..reads import team
from ..rules import roster
from ..rules.errors import Conflict
from ..rules.errors import NotFound
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import NP_
from ..rules.words import Message
from ..rules.words import Plural
from .auth import organiser_page
from .i18n import translated

bp = Blueprint("team", __name__)
PERSON_FIELDS = ("name", "registration", "role", "group", "language")


def _page(slug, message=None, error=None, status=200):
    """The team page: the roster with who is where, and the day of each person."""
    return render_template("team.html", event=snapshots.event_page(slug), day=team.day(slug, now()),
                           roster=team.roster(slug), roles=roster.ROLES, role_words=roster.ROLE_WORDS,
                           message=message, error=error), status


@bp.get("/e/<slug>/team")
@organiser_page
def page(slug):
    """The roster and everyone's hours today."""
    return _page(slug, message=request.args.get("message"))


@bp.post("/e/<slug>/team/<section>")
@organiser_page
def save(slug, section):
    """Add, import, edit or remove people, or end one tablet's sign-in; back to the page with what happened."""
    form = request.form
    try:
        if section == "add":
            people.add_person(slug, {k: form.get(k) for k in PERSON_FIELDS}, now())
            message = Message(N_("%(name)s added."), name=form.get("name", "").strip())
        elif section == "import":
            message = _import(slug)
        elif section == "edit":
            people.update_person(slug, form.get("id", type=int), {k: form.get(k) for k in PERSON_FIELDS}, now())
            message = N_("Saved.")
        elif section == "remove":
            people.remove_person(slug, form.get("id", type=int), now())
            message = N_("Removed from the roster. Their massages and hours stay in the day's record.")
        elif section == "end-sign-in":
            people.end_sign_in(slug, form.get("sign_in", type=int), now())
            message = N_("That tablet's sign-in has ended; it asks for the PIN again. Other tablets go on.")
        else:
            raise NotFound(N_("Unknown team section."))
    except (ValidationError, Conflict, NotFound) as error:
        return _page(slug, error=error, status=409 if isinstance(error, Conflict) else 422)
    return redirect(url_for(".page", slug=slug, message=translated(message)))


def _import(slug):
    """A roster CSV uploaded from the team page (at most START_LIST_MAX_BYTES, like a start list)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(N_("Choose a CSV file."), field="file")
    upload.stream.seek(0, io.SEEK_END)
    size, most = upload.stream.tell(), current_app.config["START_LIST_MAX_BYTES"]
    upload.stream.seek(0)
    if size > most:
        raise ValidationError(Message(N_("The file is %(size)s MB; a roster may be at most %(most)s MB."),
                                      size=f"{size / 1e6:.1f}", most=f"{most / 1e6:g}"), field="file")
    result = people.import_roster(slug, io.TextIOWrapper(upload.stream, encoding="utf-8-sig", errors="replace",
                                                         newline=""), now())
    return import_message(result)


def import_message(result):
    """What an import did, in words: added, updated, and the lines skipped with their reasons."""
    done = Plural(NP_("Roster imported: %(num)s person added, %(updated)s updated.",
                      "Roster imported: %(num)s people added, %(updated)s updated."), result["added"],
                  updated=result["updated"])
    if not result["skipped"]:
        return done
    return Message(N_("%(done)s Skipped: %(problems)s."), done=done,
                   problems="; ".join(translated(p) for p in result["problems"]))


@bp.get("/e/<slug>/team/<int:person_id>")
@organiser_page
def hours(slug, person_id):
    """One person's day, printable on one A4 page: what a volunteer takes home."""
    day = team.day(slug, now())
    found = next((p for p in day["people"] if p["id"] == person_id), None)
    if found is None:
        raise NotFound(N_("There is no such person at this event."))
    return render_template("team_hours.html", event=snapshots.event_page(slug), day=day, people=[found],
                           role_words=roster.ROLE_WORDS)


@bp.get("/e/<slug>/team/hours")
@organiser_page
def all_hours(slug):
    """Everyone's day, one A4 page per person."""
    day = team.day(slug, now())
    return render_template("team_hours.html", event=snapshots.event_page(slug), day=day, people=day["people"],
                           role_words=roster.ROLE_WORDS)


@bp.get("/e/<slug>/team.csv")
@organiser_page
def hours_csv(slug):
    """Everyone's massages and hours as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    day = team.day(slug, now())
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["name", "registration", "role", "group", "massages", "hours", "break_hours", "first_sign_in",
                     "last_sign_in", "median_minutes", "per_service"])
    for row in day["people"]:
        writer.writerow([row["name"], row["registration"] or "", row["role"], row["group"] or "", row["massages"],
                         row["hours"], row["break_hours"], row["first"] or "", row["last"] or "",
                         row["median_minutes"] if row["median_minutes"] is not None else "",
                         " ".join(f"{code}={count}" for code, count in sorted(row["per_service"].items()))])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{slug}-team-hours.csv"'})


@bp.get("/e/<slug>/team/badges")
@organiser_page
def badges(slug):
    """A printable badge per person: name, role, group, and the tablet's address as text."""
    return render_template("team_badges.html", event=snapshots.event_page(slug), roster=team.roster(slug),
                           role_words=roster.ROLE_WORDS)
