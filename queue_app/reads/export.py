"""The day's export: every ticket with its whole audit trail, as CSV an organiser opens in a spreadsheet."""

import csv
import io

from ..data import queue
from ..data import records
from ..extensions import db
from ..rules.times import utc_iso

EXPORT_COLUMNS = ("ticket", "service", "bib", "first_name", "walk_in", "medical_flag", "note", "final_status",
                  "joined_at", "at", "from_status", "to_status", "table", "actor", "version", "detail")


def export_csv(slug):
    """The event's tickets with their whole audit trail, as CSV text."""
    with db.read() as session:
        view = queue.event_view(session, slug)
        rows = records.export_rows(session, view.event.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else _cell(value) for value in row])
    return buffer.getvalue()


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if hasattr(value, "isoformat"):
        return utc_iso(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
