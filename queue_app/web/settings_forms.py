"""The sections of the organiser's settings page: each form, checked and saved through one action."""

import io

from flask import current_app

from ..actions import organiser
from ..actions import records
from ..actions import setup
from ..clock import now
from ..extensions import socketio
from ..rules.errors import ValidationError

SERVICE_FIELDS = ("name", "status", "minutes", "capacity", "opens_at", "closes_at", "grace_seconds", "step_back_places",
                  "lanes")


def save(slug, section, form, multi, files):
    """Apply one section's form (`form` flat, `multi` with repeated fields, `files` uploads); returns the message."""
    handler = SECTIONS.get(section)
    if handler is None:
        raise ValidationError("Unknown settings section.")
    return handler(slug, form, multi, files)


def _service(slug, form, _multi, _files):
    """Status, minutes, capacity, hours, grace time, name or priority lanes of one service."""
    organiser.update_service(slug, form.get("code"), {k: form.get(k) for k in SERVICE_FIELDS if k in form}, now())
    return "Service saved."


def _table_add(slug, form, multi, _files):
    """A new table and the services it serves."""
    organiser.add_table(slug, form.get("number"), multi.getlist("services"), now())
    return f"Table {form.get('number')} added."


def _table(slug, form, multi, _files):
    """Change the services of a table, or remove it."""
    try:
        number = int(form.get("number", 0))
    except ValueError:
        raise ValidationError("Choose a table.", field="number") from None
    if form.get("remove"):
        organiser.remove_table(slug, number, now())
        return f"Table {number} removed."
    organiser.update_table(slug, number, multi.getlist("services"), now())
    return f"Table {number} saved."


def _time_zone(slug, form, _multi, _files):
    """The event's time zone, an IANA name such as Europe/Berlin."""
    return f"Time zone saved: {setup.set_time_zone(slug, form.get('time_zone'), now())['time_zone']}."


def _language(slug, form, _multi, _files):
    """The event's default language (runners' phones that ask for none of ours, and the TV board)."""
    setup.set_language(slug, form.get("language"), now())
    return "Language saved."


def _pin(slug, form, _multi, _files):
    """A new staff PIN."""
    setup.set_pin(slug, form.get("pin", ""), now())
    return "Staff PIN changed."


def _start_list(slug, _form, _multi, files):
    """Replace the start list from an uploaded CSV file."""
    upload = files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError("Choose a CSV file.", field="file")
    upload.stream.seek(0, io.SEEK_END)
    size, most = upload.stream.tell(), current_app.config["START_LIST_MAX_BYTES"]
    if size > most:
        raise ValidationError(f"The file is {size / 1e6:.1f} MB; a start list may be at most {most / 1e6:g} MB.",
                              field="file")
    upload.stream.seek(0)
    lines = io.TextIOWrapper(upload.stream, encoding="utf-8-sig", errors="replace", newline="")
    result = records.import_start_list(slug, lines, now(), pause=lambda: socketio.sleep(0))
    if not result["skipped"]:
        return f"Start list imported: {result['imported']} runners."
    shown = "; ".join(result["problems"][:5])
    more = f"; and {result['skipped'] - 5} more" if result["skipped"] > 5 else ""
    return f"Start list imported: {result['imported']} runners, {result['skipped']} lines skipped ({shown}{more})."


def _purge(slug, form, _multi, _files):
    """Erase personal data, once the organiser typed the event's short name."""
    if form.get("confirm", "").strip() != slug:
        raise ValidationError(f"Type {slug} to confirm.", field="confirm")
    records.purge(slug, now())
    return "Personal data erased. Anonymous counts are kept."


SECTIONS = {"time-zone": _time_zone, "language": _language, "service": _service, "table-add": _table_add,
            "table": _table, "pin": _pin, "start-list": _start_list, "purge": _purge}
