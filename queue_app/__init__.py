"""The massage-tent queue: a Flask app with live updates over Socket.IO."""

import os

from flask import Flask

from . import config
from .extensions import csrf
from .extensions import db
from .extensions import socketio
from .web import assets
from .web import security

STATIC_FOLDER = os.path.join(os.path.dirname(__file__), os.pardir, "static")


def create_app(test_config=None):
    """Build the app: settings, extensions, blueprints, error handlers, socket handlers, commands."""
    version = assets.static_version(STATIC_FOLDER)
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None, instance_relative_config=True,
                template_folder="../templates", static_folder=STATIC_FOLDER, static_url_path=f"/static/{version}")
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(config.load(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    app.json.sort_keys = False  # services and tables keep their display order in JSON
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_socket_handlers()
    register_commands(app)
    assets.init_app(app, version)
    security.wrap_every_response(app)  # last: around the static files and Socket.IO too
    return app


def register_extensions(app):
    """Bind the database, CSRF protection, languages and Socket.IO to the app."""
    db.init_app(app)
    csrf.init_app(app)
    from .live import message_queue
    from .web import i18n

    security.init_app(app)
    i18n.init_app(app)
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        # Always given, None too: Flask-SocketIO keeps the options of an earlier init_app, and a manager left out
        # would be the last app's (the tests build many apps in one process).
        client_manager=message_queue.manager(app.config["SOCKETIO_MESSAGE_QUEUE"], app.config["SOCKETIO_CHANNEL"]),
        cors_allowed_origins=[app.config["PUBLIC_URL"], f"http://localhost:{app.config['PORT']}",
                              f"http://127.0.0.1:{app.config['PORT']}"],
        ping_interval=10,
        ping_timeout=10,
        # Every client of ours uses WebSockets; a long-polling client costs a request per ping, and 3,000 of them
        # starved the WebSockets (issue 12, break 3): polling is refused with a 400.
        transports=["websocket"],
    )


def register_blueprints(app):
    """Mount the pages and the API."""
    from .web import api
    from .web import board
    from .web import health
    from .web import home
    from .web import organiser
    from .web import organiser_api
    from .web import planner
    from .web import report
    from .web import runner
    from .web import staff
    from .web import team

    for module in (home, runner, staff, api, organiser, organiser_api, planner, board, team, report, health):
        app.register_blueprint(module.bp)


def register_errorhandlers(app):
    """Refusals as JSON for the API and as pages for browsers."""
    from .web import errors

    errors.register(app)


def register_socket_handlers():
    """The connect and snapshot handlers, on the Socket.IO server init_app just made."""
    from .web import errors
    from .web import sockets

    sockets.register(socketio)
    socketio.on_error_default(errors.socket_error)  # an unavailable database: an error ack, not a dropped event


def register_commands(app):
    """The `flask --app wsgi ...` commands."""
    from . import cli

    cli.register(app)
