"""Extension objects, created once here and bound to the app in create_app."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from .data.engine import Database

babel = Babel()
socketio = SocketIO()
csrf = CSRFProtect()
db = Database()
limiter = Limiter(key_func=get_remote_address)


_hash_turns = {}


def off_loop(function, *args):
    """Run a CPU-bound `function` (a password hash check, ~0.1 s) in an OS thread, one at a time, so the event
    loop keeps a core and serves everyone else meanwhile (the hash releases the GIL); a burst of checks waits its
    turn instead of stalling the server. Without an event loop, it simply runs."""
    mode = getattr(socketio, "async_mode", None)
    if mode == "eventlet":
        from eventlet import tpool
        from eventlet.semaphore import Semaphore

        with _hash_turns.setdefault(mode, Semaphore(1)):
            return tpool.execute(function, *args)
    if mode == "gevent":
        import gevent
        from gevent.lock import Semaphore

        with _hash_turns.setdefault(mode, Semaphore(1)):
            return gevent.get_hub().threadpool.apply(function, args)
    return function(*args)
