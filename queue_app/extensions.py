"""Extension objects, created once here and bound to the app in create_app."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from .data.engine import Database

socketio = SocketIO()
csrf = CSRFProtect()
db = Database()
limiter = Limiter(key_func=get_remote_address)
