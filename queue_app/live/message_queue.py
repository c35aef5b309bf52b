"""The message queue several server processes share their emits through (Redis), and how each writes what it hears.

python-socketio's RedisManager hands every emit to this process's clients first and publishes it after, so the
other processes start only when this one has written to all of its phones; and it writes as its plain manager does,
one phone at a time through engine.io's queue, without yielding. This one publishes first, then writes in slices
as a single process does (board_outbox.write_in_slices): the processes write at the same time, and a tablet's
request gets in between slices.
"""

import socketio

from .board_outbox import write_in_slices


class RedisManager(socketio.RedisManager):
    """python-socketio's Redis client manager, publishing before writing and writing in slices."""

    def _handle_emit(self, message):
        """Write an emit of this process's (published first) or one heard from another to the clients here."""
        if message.get("callback") or message.get("binary") or self.server.async_mode not in ("eventlet", "gevent"):
            super()._handle_emit(message)  # as python-socketio does
            return
        if message.get("host_id") == self.host_id:
            super()._publish(message)
            message["published"] = True
        args = message["data"]
        if args == [None]:  # emit(event, None) carries no argument, as python-socketio sends it
            args = []
        skip = message.get("skip_sid")
        skip = set(skip) if isinstance(skip, list) else {skip} - {None}
        write_in_slices(self.server, message.get("namespace") or "/", [message["event"], *args],
                        message.get("room"), skip)

    def _publish(self, data):
        """Publish, unless _handle_emit did already."""
        if not data.pop("published", False):
            super()._publish(data)


def manager(url, channel="flask-socketio"):
    """The client manager for message queue `url` on `channel`, or None for none (one process)."""
    if not url:
        return None
    if not url.startswith(("redis://", "rediss://")):
        scheme = url.split(":", 1)[0]
        raise ValueError(f"SOCKETIO_MESSAGE_QUEUE must be a redis:// or rediss:// URL, not {scheme}://")
    return RedisManager(url, channel=channel)
