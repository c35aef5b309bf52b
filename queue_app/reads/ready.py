"""An event's board kept ready: computed once per committed version in each process, so a phone's connect or
snapshot costs a few constant-size reads whatever the queue's length.

A board is worth keeping while its version is the event's current one (one indexed read tells). With it come
the queue positions of every waiting ticket, so a runner's place is a bisect, not a count over the queue.
Concurrent readers of a new version wait for the one computing it instead of each computing it again.
"""

import bisect
import threading
from dataclasses import dataclass

from ..data import positions
from ..data import queue
from ..live import broadcast as live
from ..rules.facts import ticket_facts
from ..rules.tickets import Status


@dataclass(frozen=True)
class ServiceInfo:
    """What a ticket's facts need of its service."""

    code: str
    name: str
    grace_seconds: int
    lanes: str


@dataclass(frozen=True)
class ReadyBoard:
    """The public board of one event at one version, the positions that give each waiting runner's place, and
    what a ticket's facts need of its service and table: a runner's snapshot needs no more reads."""

    version: int
    board: dict
    positions: dict  # {service_id: sorted seqs of waiting tickets}
    services: dict  # {service_id: ServiceInfo}
    tables: dict  # {table_id: number}

    def facts(self, ticket):
        """The ticket's facts at this version (rules/facts.py)."""
        service = self.services[ticket.service_id]
        return ticket_facts(ticket, service, self.tables.get(ticket.table_id), self.version,
                            self.board["services"][service.code], self.place(ticket))

    def place(self, ticket):
        """1 for the next waiting runner of the ticket's service, 2 for the one after, ...; 0 if not waiting."""
        if ticket.status != Status.WAITING:
            return 0
        return bisect.bisect_right(self.positions.get(ticket.service_id, ()), ticket.seq)


_boards = {}  # (database, event) -> the newest ReadyBoard this process made
_making = threading.Lock()


def ready_board(session, event):
    """The ReadyBoard of `event` (read in `session`), at the version its transaction sees: kept, or made."""
    # Keyed by database and event: tests (and tools) open several databases in one process.
    key = (str(session.get_bind().url), event.id, event.created_at)
    kept = _boards.get(key)
    if kept is not None and kept.version == event.version:
        return kept
    with _making:  # one computes a new version; the others find it made when they get the lock
        kept = _boards.get(key)
        if kept is not None and kept.version == event.version:
            return kept
        made = _make(queue.EventView(session, event))
        if kept is None or kept.version < event.version:
            _boards[key] = made
        return made


def _make(view):
    """Compute the board of the version `view` reads."""
    summaries = view.summaries()
    serving = [view.facts(t, summaries) for t in queue.tickets_at_tables(view.session, view.event.id)]
    board = live.board_snapshot(view.event.version, summaries, serving, view.event.announcement,
                                (view.event.texts or {}).get("announcement"))
    services = {s.id: ServiceInfo(s.code, s.name, s.grace_seconds, s.lanes) for s in view.services}
    return ReadyBoard(view.event.version, board, positions.waiting_positions(view.session, view.event.id), services,
                      {t.id: t.number for t in view.tables})
