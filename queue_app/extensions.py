"""Extension objects, created once here and bound to the app in create_app."""

from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

from .db import Database

socketio = SocketIO()
csrf = CSRFProtect()
db = Database()
