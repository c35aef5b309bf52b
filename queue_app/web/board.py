"""Printed and shown things: the TV now-serving board, the QR poster and a walk-in's ticket slip."""

import re
from datetime import timedelta

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for

from ..clock import now
from ..live import broadcast as live
from ..reads import snapshots
from . import i18n
from . import qr
from .auth import organiser_page
from .home import join_url

bp = Blueprint("board", __name__)


@bp.get("/e/<slug>/board")
def tv(slug):
    """The now-serving board for a TV, in the event's language: numbers and tables, never names."""
    event = snapshots.event_page(slug)
    i18n.settle(i18n.asked() or event["language"])
    return render_template("board.html", event=event, board=snapshots.board(slug),
                           join_parts=address_parts(join_url(slug)))


def address_parts(url):
    """An address in the pieces a line may break between, so a TV never splits a word: after the scheme, before
    each dot of a host name (not of a numeric address), after each slash (http://tent.example:5000/e/demo/join:
    http://, tent, .example:5000/, e/, demo/, join)."""
    scheme, _, rest = url.rpartition("://")
    host, slash, path = rest.partition("/")
    pieces = re.findall(r"\.?[^.]+", host) if re.search("[A-Za-z]", host) else [host]
    pieces[-1] += slash
    return [f"{scheme}://"] * bool(scheme) + pieces + re.findall(r"[^/]+/?", path)


@bp.get("/e/<slug>/poster")
def poster(slug):
    """A printable A4 poster with the join QR code; `?service=pre` names one service."""
    event = snapshots.event_page(slug)
    i18n.settle(i18n.asked() or event["language"])
    code = request.args.get("service", "")
    service = event["services"].get(code)
    return render_template("poster.html", event=event, service=service, code=code if service else None,
                           join_url=join_url(slug, code if service else None))


@bp.get("/t/<token>/slip")
@organiser_page
def slip(token):
    """A walk-in's printable ticket slip: number, service, place and wait when printed, and a QR code to follow it
    on a phone later, in the runner's language."""
    event, ticket, printed_at = snapshots.slip(token, now())
    i18n.settle(i18n.asked() or snapshots.ticket_language(token) or event["language"])
    minutes = ticket.get("estimated_wait_minutes")
    # The clock time on the slip is when the runner is expected, as the ticket page says it ("around 14:40").
    expected_at = printed_at + timedelta(minutes=minutes) if minutes is not None else None
    return render_template("slip.html", event=event, ticket=live.own_ticket(ticket), token=token,
                           expected_at=expected_at)


@bp.get("/t/<token>/qr.svg")
def ticket_qr(token):
    """A QR code of a ticket's own page, printed on a walk-in's slip."""
    snapshots.ticket(token)
    url = current_app.config["PUBLIC_URL"] + url_for("runner.ticket", token=token)
    return Response(qr.svg(url), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})
