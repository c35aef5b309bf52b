"""An event's records: importing the start list, exporting the day, purging personal data afterwards."""

import csv
import io

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from . import domain
from . import services
from .domain import ValidationError
from .extensions import db
from .facts import event_view
from .models import IdempotentResult
from .models import Runner
from .models import Service
from .models import Ticket
from .models import TicketEvent

EXPORT_COLUMNS = ("ticket", "service", "bib", "first_name", "walk_in", "medical_flag", "note", "final_status",
                  "joined_at", "at", "from_status", "to_status", "table", "actor", "version")


def import_start_list(slug, text, now):
    """Replace the event's start list with the runners in CSV `text`; returns (imported, skipped line numbers)."""
    rows, skipped = _parse_start_list(text)

    def act(batch):
        batch.session.execute(delete(Runner).where(Runner.event_id == batch.event.id))
        if rows:
            batch.session.execute(insert(Runner), [dict(row, event_id=batch.event.id) for row in rows])
        return {"imported": len(rows), "skipped": skipped}

    return services.apply_change(slug, now, act)


def _parse_start_list(text):
    """Start-list rows from CSV with at least `bib` and `first_name` columns (any case, any order)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
    if "bib" not in columns or "first_name" not in columns:
        raise ValidationError("The start list needs columns named bib and first_name.", field="file")
    rows, skipped, seen = [], [], set()
    for line, record in enumerate(reader, start=2):
        bib = (record.get(columns["bib"]) or "").strip().upper()
        first_name = " ".join((record.get(columns["first_name"]) or "").split())
        if not domain.BIB_PATTERN.match(bib) or not first_name or bib in seen:
            skipped.append(line)
            continue
        seen.add(bib)
        rows.append({
            "bib": bib, "first_name": first_name[:80],
            "last_name": (record.get(columns.get("last_name", ""), "") or "").strip()[:80] or None,
            "distance": (record.get(columns.get("distance", ""), "") or "").strip()[:40] or None,
        })
    return rows, skipped


def export_rows(session, event_id):
    """One row per logged move of each ticket, with the ticket's details, oldest first."""
    query = (
        select(Ticket.label, Service.code, Ticket.bib, Ticket.first_name, Ticket.walk_in, Ticket.medical_flag,
               Ticket.note, Ticket.status, Ticket.created_at, TicketEvent.at, TicketEvent.from_status,
               TicketEvent.to_status, TicketEvent.table_number, TicketEvent.actor, TicketEvent.version)
        .select_from(TicketEvent)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .join(Service, Service.id == Ticket.service_id)
        .where(TicketEvent.event_id == event_id)
        .order_by(TicketEvent.id)
    )
    return session.execute(query).all()


def export_csv(slug):
    """The event's tickets with their whole audit trail, as CSV text."""
    with db.transaction() as session:
        view = event_view(session, slug)
        rows = export_rows(session, view.event.id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else _cell(value) for value in row])
    return buffer.getvalue()


def _cell(value):
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def purge(slug, now):
    """Erase the event's personal data (names, bibs, notes, screening flags, start list), keeping anonymous counts."""

    def act(batch):
        event_id = batch.event.id
        batch.session.execute(update(Ticket).where(Ticket.event_id == event_id)
                              .values(bib=None, first_name=None, note=None, medical_flag=False))
        batch.session.execute(delete(Runner).where(Runner.event_id == event_id))
        batch.session.execute(delete(IdempotentResult).where(IdempotentResult.event_id == event_id))
        batch.event.purged_at = now
        batch.bump()
        return {"purged": True}

    return services.apply_change(slug, now, act)
