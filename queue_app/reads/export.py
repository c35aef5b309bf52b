"""The day's export: every ticket with its whole audit trail, as CSV an organiser opens in a spreadsheet.

Times are the event's wall clock (its time zone, named in the `time_zone` column), as a spreadsheet reads a date
and time; `at_utc` repeats each move's time in UTC, exact across a clock change."""

import csv
import io

from ..clock import zone
from ..data import queue
from ..data import records
from ..data import team
from ..extensions import db
from ..rules.times import local_text
from ..rules.times import utc_iso

# What data.records.export_rows gives, in its order; the export adds the zone and the UTC time.
STORED_COLUMNS = ("ticket", "service", "bib", "first_name", "walk_in", "medical_flag", "note", "final_status",
                  "joined_at", "at", "from_status", "to_status", "table", "actor", "version", "detail", "people",
                  "feedback", "feedback_comment")
EXPORT_COLUMNS = (*STORED_COLUMNS[:10], "time_zone", *STORED_COLUMNS[10:], "at_utc")


def export_csv(slug):
    """The event's tickets with their whole audit trail, as CSV text."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        name = view.event.time_zone
        rows = records.export_rows(session, view.event.id)
        named = team.labels(session, view.event.id)
    clock = zone(name)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        cells = dict(zip(STORED_COLUMNS, row, strict=True))
        cells.update(joined_at=local_text(cells["joined_at"], clock), at=local_text(cells["at"], clock),
                     time_zone=name, at_utc=utc_iso(cells["at"]),
                     people=" + ".join(named.get(int(p), f"#{p}") for p in (cells["people"] or "").split(",") if p))
        writer.writerow([_cell(cells[column]) for column in EXPORT_COLUMNS])
    return buffer.getvalue()


def export_for_spreadsheets(slug):
    """The export as a file to open in a spreadsheet: led by a byte-order mark, so Excel on Windows reads it as
    UTF-8 (accented names and notes intact) rather than its own code page; LibreOffice and csv readers that
    decode utf-8-sig read it the same."""
    return "\ufeff" + export_csv(slug)


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
