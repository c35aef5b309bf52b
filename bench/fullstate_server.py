"""The comparison design for bench/cost.py: our server, except every change sends every phone the whole queue.

Only for the benchmark: it replaces live.broadcast.send at start-up, so the board room gets the full public
queue (every active ticket) on each change instead of a delta. Everything else is wsgi.py unchanged.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import wsgi  # noqa: E402  (monkey-patches first, then builds the app)
from queue_app.extensions import socketio  # noqa: E402
from queue_app.live import broadcast as live  # noqa: E402
from queue_app.reads import snapshots  # noqa: E402


def announce_full_state(broadcast):
    """Send the board room the whole public queue, then the ticket and staff rooms what they get today."""
    snapshot = snapshots.staff(broadcast.slug)
    queue = [live.public_change(ticket) for ticket in snapshot["tickets"]]
    socketio.emit("board", {"version": broadcast.version, "services": broadcast.services, "queue": queue},
                  to=live.board_room(broadcast.slug))
    for change in broadcast.changes:
        socketio.emit("ticket", live.own_ticket(change), to=live.ticket_room(change["token"]))
    staff = {"version": broadcast.version, "services": broadcast.services,
             "tickets": [live.staff_ticket(change) for change in broadcast.changes]}
    socketio.emit("staff", staff, to=live.staff_room(broadcast.slug))


live.send = announce_full_state

if __name__ == "__main__":
    wsgi.main()
