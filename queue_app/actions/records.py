"""The organiser's records: replacing the start list, and purging personal data after the event."""

import secrets

from ..data import alerts
from ..data import feedback
from ..data import queue
from ..data import records
from ..data import team
from ..rules import setup
from ..rules.errors import Conflict
from ..rules.errors import ValidationError
from ..rules.words import N_
from ..rules.words import NP_
from ..rules.words import Joined
from ..rules.words import Message
from ..rules.words import Plural
from .change import apply_change


def import_start_list(slug, lines, now, pause=lambda: None):
    """Replace the event's start list with the runners in CSV `lines` (an iterable of text lines, e.g. an open
    file); returns how many were imported, how many lines were skipped and the first messages about them.

    The lines are written a few thousand at a time, each batch its own short change with `pause()` after it so a
    server keeps answering others; the new list comes into force in one change at the end, and the old one is
    deleted in batches after. A file with no runner in it, or that is not a start list, changes nothing. Lines
    an import killed mid-way left are deleted first; an import overtaken by another (which deleted its lines) is
    refused at the end.
    """
    event_id, in_force = apply_change(slug, now, lambda work: (work.event.id, work.event.start_list_generation))
    # Lines of imports that never came into force (a killed server runs no `except`) go before new ones are
    # staged, so kills never pile them up.
    _drop_in_batches(now, pause, event_id, keep_generation=in_force)
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
            if not problems.messages:
                raise ValidationError(N_("No runner could be read from the file."), field="file")
            raise ValidationError(Message(N_("No runner could be read from the file: %(problems)s"),
                                          problems=Joined(problems.messages[:3])), field="file")
        apply_change(slug, now, lambda work: _come_into_force(work, event_id, generation, imported))
    except BaseException:
        _drop_in_batches(now, pause, event_id, generation=generation)
        raise
    _drop_in_batches(now, pause, event_id, keep_generation=generation)
    return {"imported": imported, "skipped": problems.count, "problems": problems.messages}


def _come_into_force(work, event_id, generation, imported):
    """Make the staged lines the event's start list, unless another import began meanwhile and cleared them."""
    if records.lines_of_generation(work.session, event_id, generation) != imported:
        # Staff:
        raise Conflict(N_("Another start list was imported while this one was read, and is in force. Upload this "
                          "file again to use it instead."), field="file")
    work.event.start_list_generation = generation


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
        seated = team.current_seats(work.session, work.event.id)
        if seated:
            # Staff:
            raise Conflict(Plural(NP_("%(num)s person is still signed in at a table. End their tablets' sign-ins "
                                      "on the team page, then erase.",
                                      "%(num)s people are still signed in at tables. End their tablets' sign-ins "
                                      "on the team page, then erase."), len(seated)), field="confirm")
        records.erase_personal_data(work.session, work.event.id)
        team.forget_names(work.session, work.event.id)  # the roster: people stay as numbers, for counts
        feedback.erase_comments(work.session, work.event.id)  # the faces stay, anonymous
        alerts.erase(work.session, work.event.id)  # push subscriptions and phone numbers
        work.event.purged_at = now
        work.bump()
        return {"purged": True}

    return apply_change(slug, now, act)


def purge_refusal(active, shown=5):
    """Why purge waits: which tickets are still waiting or at a table, and what to do first."""
    named = ", ".join(f"{t.label} ({t.status.replace('_', ' ')})" for t in active[:shown])
    if len(active) > shown:
        return Plural(NP_("%(num)s ticket is still active: %(named)s and %(more)s more. Close the services on the "
                          "dashboard, let the tables finish (or mark no-shows, or remove waiting tickets), then "
                          "erase.",
                          "%(num)s tickets are still active: %(named)s and %(more)s more. Close the services on the "
                          "dashboard, let the tables finish (or mark no-shows, or remove waiting tickets), then "
                          "erase."),
                      len(active), named=named, more=len(active) - shown)
    return Plural(NP_("%(num)s ticket is still active: %(named)s. Close the services on the dashboard, let the tables "
                      "finish (or mark no-shows, or remove waiting tickets), then erase.",
                      "%(num)s tickets are still active: %(named)s. Close the services on the dashboard, let the "
                      "tables finish (or mark no-shows, or remove waiting tickets), then erase."), len(active),
                  named=named)
