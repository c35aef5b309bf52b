"""A proposal, measured: our server with board broadcasts coalesced to at most one per BOARD_INTERVAL seconds.

Only for the benchmark (bench/raceday.py --server coalesced): it replaces live.broadcast.send at start-up.
Ticket and staff rooms are sent at once, as today; board changes wait up to BOARD_INTERVAL and go out
together as one delta carrying the versions it covers (`since` < each change's version <= `version`).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import wsgi  # noqa: E402  (monkey-patches first, then builds the app)
from queue_app.extensions import socketio  # noqa: E402
from queue_app.live import broadcast as live  # noqa: E402

BOARD_INTERVAL = float(os.environ.get("BOARD_INTERVAL", "0.25"))
pending = {}  # slug -> {"since", "version", "services", "changes"}


def flush_later(slug):
    """After BOARD_INTERVAL, send the board room everything that changed meanwhile, as one delta."""
    socketio.sleep(BOARD_INTERVAL)
    board = pending.pop(slug)
    socketio.emit("board", board, to=live.board_room(slug))


def announce_coalesced(broadcast):
    """Ticket and staff rooms now; the board's share joins the delta waiting to go out."""
    slug = broadcast.slug
    for change in broadcast.changes:
        socketio.emit("ticket", live.own_ticket(change), to=live.ticket_room(change["token"]))
    staff = {"version": broadcast.version, "services": broadcast.services,
             "tickets": [live.staff_ticket(change) for change in broadcast.changes]}
    socketio.emit("staff", staff, to=live.staff_room(slug))
    board = pending.get(slug)
    if board is None:
        board = pending[slug] = {"since": broadcast.version - 1, "changes": []}
        socketio.start_background_task(flush_later, slug)
    board["version"], board["services"] = broadcast.version, broadcast.services
    board["changes"] += [live.public_change(change) for change in broadcast.changes]


live.send = announce_coalesced

if __name__ == "__main__":
    wsgi.main()
