"""The organiser's records: replacing the start list, and purging personal data after the event."""

import secrets

from ..data import alerts
from ..data import queue
from ..data import records
from ..rules import setup
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from .change import apply_change


def import_start_list(slug, lines, now, pause=lambda: None):
    """Replace the event's start list with the runners in CSV `lines` (an iterable of text lines, e.g. an open
    file); returns how many were imported, how many lines were skipped and the first messages about them.

    The lines are written a few thousand at a time, each batch its own short change with `pause()` after it so a
    server keeps answering others; the new list comes into force in one change at the end, and the old one is
    deleted in batches after. A file with no runner in it, or that is not a start list, changes nothing.
    """
    event_id = apply_change(slug, now, lambda work: work.event.id)
    generation = secrets.randbits(31)
    problems = setup.StartListProblems()
    imported = 0
    try:
        for rows in setup.read_start_list(lines, problems):
            apply_change(None, now, lambda work, rows=rows: records.stage_start_list(work.session, event_id,
                                                                                    generation, rows))
            imported += len(rows)
            pause()
        if not imported:
            reasons = "; ".join(problems.messages[:3])
            raise ValidationError(f"No runner could be read from the file{': ' if reasons else '.'}{reasons}",
                                  field="file")
        apply_change(slug, now, lambda work: setattr(work.event, "start_list_generation", generation))
    except BaseException:
        _drop_in_batches(now, pause, event_id, generation=generation)
        raise
    _drop_in_batches(now, pause, event_id, keep_generation=generation)
    return {"imported": imported, "skipped": problems.count, "problems": problems.messages}


def _drop_in_batches(now, pause, event_id, **which):
    """Delete start-list lines (see data.records.drop_start_list_lines) a batch per change, pausing between."""
    while apply_change(None, now, lambda work: records.drop_start_list_lines(work.session, event_id, **which)):
        pause()


def purge(slug, now):
    """Erase the event's personal data (names, bibs, notes, screening flags, start list, push subscriptions and
    phone numbers, and names in stored answers), keeping anonymous counts; refused while any ticket is active,
    since its runner still needs their name at the table."""

    def act(work):
        active = queue.active_tickets(work.session, work.event.id)
        if active:
            raise Conflict(purge_refusal(active), field="confirm")
        records.erase_personal_data(work.session, work.event.id)
        alerts.erase(work.session, work.event.id)  # push subscriptions and phone numbers
        work.event.purged_at = now
        work.bump()
        return {"purged": True}

    return apply_change(slug, now, act)


def purge_refusal(active, shown=5):
    """Why purge waits: which tickets are still waiting or at a table, and what to do first."""
    named = ", ".join(f"{t.label} ({t.status.replace('_', ' ')})" for t in active[:shown])
    more = f" and {len(active) - shown} more" if len(active) > shown else ""
    return (f"{len(active)} ticket{'s are' if len(active) > 1 else ' is'} still active: {named}{more}. "
            "Close the services on the dashboard, let the tables finish (or mark no-shows, or remove waiting "
            "tickets), then erase.")
