"""The organiser's records: replacing the start list, and purging personal data after the event."""

from ..data import alerts
from ..data import records
from ..rules import setup
from .change import apply_change


def import_start_list(slug, text, now):
    """Replace the event's start list with the runners in CSV `text`; returns (imported, skipped line numbers)."""
    rows, skipped = setup.parse_start_list(text)

    def act(work):
        records.replace_start_list(work.session, work.event.id, rows)
        return {"imported": len(rows), "skipped": skipped}

    return apply_change(slug, now, act)


def purge(slug, now):
    """Erase the event's personal data (names, bibs, notes, screening flags, start list, push subscriptions and
    phone numbers), keeping anonymous counts."""

    def act(work):
        records.erase_personal_data(work.session, work.event.id)
        alerts.erase(work.session, work.event.id)  # push subscriptions and phone numbers
        work.event.purged_at = now
        work.bump()
        return {"purged": True}

    return apply_change(slug, now, act)
