"""The sections of the organiser's settings page: each form, checked and saved through one action, and the message
that says so in the organiser's language."""

import io

from flask import current_app

from ..actions import organiser
from ..actions import records
from ..actions import setup
from ..clock import now
from ..extensions import socketio
from ..reads import lane_check
from ..rules import lanes as lanes_rule
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import NP_
from ..rules.words import Joined
from ..rules.words import Message
from ..rules.words import Plural
from .i18n import translated

SERVICE_FIELDS = ("name", "status", "minutes", "capacity", "opens_at", "closes_at", "grace_seconds", "step_back_places",
                  "lanes")


def save(slug, section, form, multi, files):
    """Apply one section's form (`form` flat, `multi` with repeated fields, `files` uploads); returns the message,
    translated."""
    handler = SECTIONS.get(section)
    if handler is None:
        raise ValidationError(N_("Unknown settings section."))
    return translated(handler(slug, form, multi, files))


def _service(slug, form, _multi, _files):
    """Status, minutes, capacity, hours, grace time, name or priority lanes of one service."""
    organiser.update_service(slug, form.get("code"), {k: form.get(k) for k in SERVICE_FIELDS if k in form}, now())
    if "lanes" not in form:
        return N_("Service saved.")
    return Joined([N_("Service saved."), *_lane_notes(*lane_check.lanes_and_start_list(slug, form.get("code")))],
                  separator=" ")


def _lane_notes(lanes, runners):
    """What the start list gives each lane, said when it saves: a lane that matches nobody is a typo, or a
    category the start list does not have, and would otherwise pass without a word."""
    if not lanes:
        return []
    if runners is None:
        return [N_("There is no start list yet: lanes match nobody until one is imported.")]
    taken, unmatched = lanes_rule.start_list_matches(lanes, runners)
    notes = []
    for lane, count in zip(lanes, taken, strict=True):
        if count:
            notes.append(Plural(NP_("Lane '%(lane)s' matches %(num)s runner on the start list.",
                                    "Lane '%(lane)s' matches %(num)s runners on the start list."), count,
                                lane=lane.line()))
        elif not set(lane.categories) <= set(unmatched):
            notes.append(Message(N_("Lane '%(lane)s' takes nobody: its runners are all in the lanes above it."),
                                 lane=lane.line()))
    notes += [Message(N_("Lane '%(name)s' matches nobody on the start list."), name=name) for name in unmatched]
    return notes


def _table_add(slug, form, multi, _files):
    """A new table and the services it serves."""
    organiser.add_table(slug, form.get("number"), multi.getlist("services"), now())
    return Message(N_("Table %(table)s added."), table=form.get("number"))


def _table(slug, form, multi, _files):
    """Change the services of a table, or remove it."""
    try:
        number = int(form.get("number", 0))
    except ValueError:
        raise ValidationError(N_("Choose a table."), field="number") from None
    if form.get("remove"):
        organiser.remove_table(slug, number, now())
        return Message(N_("Table %(table)s removed."), table=number)
    organiser.update_table(slug, number, multi.getlist("services"), now())
    return Message(N_("Table %(table)s saved."), table=number)


def _time_zone(slug, form, _multi, _files):
    """The event's time zone, an IANA name such as Europe/Berlin."""
    zone = setup.set_time_zone(slug, form.get("time_zone"), now())["time_zone"]
    return Message(N_("Time zone saved: %(zone)s."), zone=zone)


def _language(slug, form, _multi, _files):
    """The event's default language (runners' phones that ask for none of ours, and the TV board)."""
    setup.set_language(slug, form.get("language"), now())
    return N_("Language saved.")


def _runner_texts(slug, form, _multi, _files):
    """Service names, the announcement and the medical tent's place in each language."""
    setup.set_runner_texts(slug, form, now())
    return N_("Texts saved.")


def _pin(slug, form, _multi, _files):
    """A new staff PIN."""
    setup.set_pin(slug, form.get("pin", ""), now())
    return N_("Staff PIN changed.")


def _start_list(slug, _form, _multi, files):
    """Replace the start list from an uploaded CSV file."""
    upload = files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(N_("Choose a CSV file."), field="file")
    upload.stream.seek(0, io.SEEK_END)
    size, most = upload.stream.tell(), current_app.config["START_LIST_MAX_BYTES"]
    if size > most:
        raise ValidationError(Message(N_("The file is %(size)s MB; a start list may be at most %(most)s MB."),
                                      size=f"{size / 1e6:.1f}", most=f"{most / 1e6:g}"), field="file")
    upload.stream.seek(0)
    lines = io.TextIOWrapper(upload.stream, encoding="utf-8-sig", errors="replace", newline="")
    result = records.import_start_list(slug, lines, now(), pause=lambda: socketio.sleep(0))
    imported, skipped = result["imported"], result["skipped"]
    if not skipped:
        return Plural(NP_("Start list imported: %(num)s runner.", "Start list imported: %(num)s runners."), imported)
    shown = result["problems"][:5]
    if skipped > 5:
        shown.append(Plural(NP_("and %(num)s more", "and %(num)s more"), skipped - 5))
    lines = Plural(NP_("%(num)s line skipped", "%(num)s lines skipped"), skipped)
    return Plural(NP_("Start list imported: %(num)s runner, %(lines)s (%(problems)s).",
                      "Start list imported: %(num)s runners, %(lines)s (%(problems)s)."), imported, lines=lines,
                  problems=Joined(shown))


def _purge(slug, form, _multi, _files):
    """Erase personal data, once the organiser typed the event's short name."""
    if form.get("confirm", "").strip() != slug:
        raise ValidationError(Message(N_("Type %(slug)s to confirm."), slug=slug), field="confirm")
    records.purge(slug, now())
    return N_("Personal data erased. Anonymous counts are kept.")


SECTIONS = {"time-zone": _time_zone, "language": _language, "service": _service, "table-add": _table_add,
            "table": _table, "pin": _pin, "runner-texts": _runner_texts, "start-list": _start_list, "purge": _purge}
