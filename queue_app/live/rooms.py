"""Which rooms each connection is in, kept per connection, so a disconnect leaves its rooms in constant time.

python-socketio finds a leaving connection's rooms by looking in every room of the namespace: with one room per
ticket, 5,000 phones dropping at once cost 5,000 × 10,000 look-ups (a quarter of the server's time while they came
back, bench/README.md). This keeps the same rooms, and an index beside them.
"""


class RoomsOfEachConnection:
    """A python-socketio client manager's room methods with `_rooms_of` {(namespace, sid): rooms} kept beside."""

    def basic_enter_room(self, sid, namespace, room, eio_sid=None):
        """Enter as python-socketio does, and remember it."""
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        self._rooms_of.setdefault((namespace, sid), set()).add(room)

    def basic_leave_room(self, sid, namespace, room):
        """Leave as python-socketio does, and forget it."""
        super().basic_leave_room(sid, namespace, room)
        rooms = self._rooms_of.get((namespace, sid))
        if rooms is not None:
            rooms.discard(room)

    def basic_disconnect(self, sid, namespace, **kwargs):
        """Leave the connection's rooms (from the index), then clean up as python-socketio does."""
        if namespace not in self.rooms:
            return
        for room in list(self._rooms_of.pop((namespace, sid), ())):
            super().basic_leave_room(sid, namespace, room)
        self._rooms_of.pop((namespace, sid), None)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            if sid in pending.get(namespace, ()):
                pending[namespace].remove(sid)
                if not pending[namespace]:
                    del pending[namespace]

    def get_rooms(self, sid, namespace):
        """The rooms a connection is in (but its own and the namespace's)."""
        return [room for room in self._rooms_of.get((namespace, sid), ()) if room is not None and room != sid]


def index_rooms(manager):
    """Give `manager` (python-socketio's, local or on a message queue) the index, before anyone connects."""
    if isinstance(manager, RoomsOfEachConnection):
        return
    manager.__class__ = type(f"Indexed{type(manager).__name__}", (RoomsOfEachConnection, type(manager)), {})
    manager._rooms_of = {}
