"""Reaching runners away from the open page, after a change is committed: "your turn" and "getting close" by
Web Push or text message, each kind at most once per way of reaching a runner.

It runs in a background task, after the commit and after the sockets are told: a push service that is slow or
down, or a text provider that refuses, never holds up or breaks a call.
"""

import logging

from flask import current_app

from ..data import alerts
from ..data import queue
from ..extensions import db
from ..extensions import socketio
from ..live import push
from ..live import sms
from ..live.words import in_language
from ..rules.alerts import close_due
from ..rules.alerts import close_message
from ..rules.alerts import turn_message
from ..rules.tickets import Status

log = logging.getLogger(__name__)


def after_commit(broadcast):
    """Start delivering what a committed change means for runners who asked to be reached."""
    called = [c["token"] for c in broadcast.changes if c["status"] == Status.CALLED and c["from"] == Status.WAITING]
    socketio.start_background_task(_deliver, current_app._get_current_object(), broadcast.slug, called)


def _deliver(app, slug, called_tokens):
    """Send what is due, each message on its own: one that fails is logged and stops nobody else's, and a way of
    reaching a runner that fails because of itself is retired."""
    with app.app_context():
        try:
            due = _due(slug, called_tokens)
        except Exception:  # noqa: BLE001 - reaching runners must never take anything else down
            log.exception("reaching runners failed")
            return
        for alert, kind, message in due:
            try:
                _deliver_one(app.config, alert, kind, message)
            except Exception:  # noqa: BLE001 - nor may one runner's message stop the others'
                log.exception("reaching a runner (alert %s) failed", alert.id)


def _deliver_one(config, alert, kind, message):
    """Claim and send one message; retire its way of reaching the runner if that is what failed."""
    with db.transaction() as session:
        claimed = alerts.claim(session, alert.id, kind)
    if not claimed:  # sent at most once, even if this send fails: a lost alert, never a repeated one
        return
    if _send(config, alert, message) == push.RETIRE:
        with db.transaction() as session:
            alerts.retire(session, alert.id)
        log.warning("retired a runner's %s alert %s: it cannot be used", alert.kind, alert.id)


def _due(slug, called_tokens):
    """[(alert, "turn" or "close", message)] still to send for this event (alerts read here, used after)."""
    due = []
    with db.read() as session:
        view = queue.event_view(session, slug)
        for token in called_tokens:
            ticket = queue.ticket_by_token(session, token)
            for alert in alerts.of_ticket(session, ticket.id) if ticket else []:
                if not alert.turn_sent and ticket.status == Status.CALLED:
                    title = turn_message(ticket.label, view.table_number(ticket))
                    due.append((alert, "turn", {"title": in_language(ticket.language or view.event.language, title),
                                                   "tag": "turn", "url": f"/t/{ticket.token}"}))
        summaries = view.summaries()
        for alert, ticket in alerts.waiting_with_close_due(session, view.event.id):
            facts = view.facts(ticket, summaries)
            ahead = facts["place"] - 1
            if close_due(ahead, alert.close_at, facts["wait_range"]):
                title = in_language(ticket.language or view.event.language, close_message(ahead))
                due.append((alert, "close", {"title": title, "tag": "close",
                                                "url": f"/t/{ticket.token}"}))
    return due


def _send(config, alert, message):
    """Send one message by the alert's own way: push.SENT, FAILED or RETIRE."""
    if alert.kind == "push":
        return push.send(alert.address, alert.p256dh, alert.auth, message, config)
    if sms.configured(config):
        return sms.send(config, alert.address, message["title"])
    return push.FAILED

