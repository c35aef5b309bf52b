"""The message queue several server processes share their emits through (Redis), and how each writes a board delta.

Every emit goes as python-socketio's RedisManager sends it: written to this process's clients, then published for
the others, which write it to theirs. A board delta to a room of hundreds or thousands of phones is the exception,
as it is in one process (board_outbox.emit_in_slices): published first, so the other processes write at the same
time, then written here in slices that let tablets' requests in between (frames.write_in_slices), and written so
by each process that hears it. python-socketio would have written it here whole, one phone at a time through
engine.io's queue without yielding, and published it only after.
"""

import socketio

from .frames import GREEN_MODES
from .frames import write_in_slices


class RedisManager(socketio.RedisManager):
    """python-socketio's Redis client manager, with board deltas published first and written in slices."""

    def emit_in_slices(self, event, data, room, skip):
        """Publish `event` with `data` to `room` for the other processes, then write it to this one's clients in
        `room` but the sids in `skip`, in slices."""
        # Marked "sliced" for the others; `skip` holds sids of this process only, so it is not sent.
        self._publish({"method": "emit", "event": event, "data": [data], "binary": False, "namespace": "/",
                       "room": room, "skip_sid": None, "callback": None, "host_id": self.host_id, "sliced": True})
        write_in_slices(self.server, "/", [event, data], room, set(skip))

    def _handle_emit(self, message):
        """Write an emit heard from another process to the clients here: a sliced one in slices."""
        if message.get("sliced") and self.server.async_mode in GREEN_MODES:
            write_in_slices(self.server, message.get("namespace") or "/", [message["event"], *message["data"]],
                            message.get("room"), set())
        else:
            super()._handle_emit(message)


def manager(url, channel):
    """The client manager for message queue `url` on `channel`, or None for none (one process)."""
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        scheme = url.split(":", 1)[0]
        raise ValueError(f"SOCKETIO_MESSAGE_QUEUE must be a redis:// or rediss:// URL, not {scheme}://")
    return RedisManager(url, channel=channel)
