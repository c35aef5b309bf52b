"""The home page and each event's QR codes."""

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for

from ..reads import accounts
from ..reads import snapshots
from . import qr

bp = Blueprint("home", __name__)


def join_url(slug, service=None):
    """The address a runner's phone opens from the QR code: PUBLIC_URL plus the event's join path, with
    `?service=post` when a service's own poster chooses it."""
    chosen = {"service": service} if service else {}
    return current_app.config["PUBLIC_URL"] + url_for("runner.join", slug=slug, **chosen)


def _asked_service(slug):
    """The event's service that `?service=` names, or None (any other value: the event's general address)."""
    code = request.args.get("service", "")
    return code if code in snapshots.event_page(slug)["services"] else None


@bp.get("/")
def index():
    """List every event with links to its pages."""
    return render_template("index.html", events=accounts.events())


@bp.get("/e/<slug>/qr.svg")
def qr_svg(slug):
    """The event's join QR code as SVG (`?service=post`: the join page with that service chosen)."""
    return Response(qr.svg(join_url(slug, _asked_service(slug))), mimetype="image/svg+xml")


@bp.get("/e/<slug>/qr.png")
def qr_png(slug):
    """The event's join QR code as PNG (`?service=post`: the join page with that service chosen)."""
    return Response(qr.png(join_url(slug, _asked_service(slug))), mimetype="image/png")
