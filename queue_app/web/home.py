"""The home page and each event's QR codes."""

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import url_for

from ..reads import accounts
from ..reads import snapshots
from . import qr

bp = Blueprint("home", __name__)


def join_url(slug):
    """The address a runner's phone opens from the QR code: PUBLIC_URL plus the event's join path."""
    return current_app.config["PUBLIC_URL"] + url_for("runner.join", slug=slug)


@bp.get("/")
def index():
    """List every event with links to its pages."""
    return render_template("index.html", events=accounts.events())


@bp.get("/e/<slug>/qr.svg")
def qr_svg(slug):
    """The event's join QR code as SVG."""
    snapshots.event_page(slug)
    return Response(qr.svg(join_url(slug)), mimetype="image/svg+xml")


@bp.get("/e/<slug>/qr.png")
def qr_png(slug):
    """The event's join QR code as PNG."""
    snapshots.event_page(slug)
    return Response(qr.png(join_url(slug)), mimetype="image/png")
