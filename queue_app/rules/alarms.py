"""When a table needs someone's eye: free too long while runners it could serve are waiting, or a massage running
past twice its service's length.

Computed from what the tablets and the dashboard already hold: each table's sign-in, break and `free_since`, the
runner at it, and each service's waiting count and length. `static/js/queue-rules.js` `tableAlarm` is the same rule
for the browsers, which run it every second; `tests/browser/test_place_rule.py` runs both on the same cases.
"""

from datetime import timedelta

from .words import N_
from .words import NP_
from .words import Message
from .words import Plural

IDLE_MINUTES = 3  # the default of IDLE_TABLE_MINUTES: a free table this long while runners wait is an alarm
LONG_TREATMENT = 2  # a massage running more than this many times its service's length is an alarm


def table_alarm(table, ticket, services, idle_minutes, now):
    """The alarm of one table at `now`, or None.

    `table`: {"staffed", "on_break", "free_since" (a datetime or None), "services": [codes]}; `ticket`: the runner
    at it, {"status", "service", "started_at"}, or None; `services`: {code: {"waiting", "minutes"}}. Answers
    {"kind": "idle", "minutes": whole minutes free, "waiting": runners it could call} or {"kind": "long",
    "minutes": whole minutes in treatment, "limit": the minutes past which it is long}.
    """
    if ticket is None:
        waiting = sum(services[code]["waiting"] for code in table["services"] if code in services)
        since = table.get("free_since")
        if not table["staffed"] or table["on_break"] or since is None or not waiting:
            return None
        if now - since > timedelta(minutes=idle_minutes):
            return {"kind": "idle", "minutes": _whole_minutes(now - since), "waiting": waiting}
        return None
    if ticket["status"] != "in_treatment" or ticket.get("started_at") is None:
        return None
    limit = services[ticket["service"]]["minutes"] * LONG_TREATMENT
    if now - ticket["started_at"] > timedelta(minutes=limit):
        return {"kind": "long", "minutes": _whole_minutes(now - ticket["started_at"]), "limit": limit}
    return None


def alarm_words(alarm):
    """An alarm as words for a tablet or the dashboard (queue-rules.js alarmWords says the same)."""
    if not alarm:
        return ""
    if alarm["kind"] == "idle":
        if alarm["minutes"]:
            return Plural(NP_("Free for %(minutes)s min while %(num)s runner waits",
                              "Free for %(minutes)s min while %(num)s runners wait"), alarm["waiting"],
                          minutes=alarm["minutes"])
        return Plural(NP_("Free for under a minute while %(num)s runner waits",
                          "Free for under a minute while %(num)s runners wait"), alarm["waiting"])
    return Message(N_("In treatment %(minutes)s min: over twice the %(length)s min massage"), minutes=alarm["minutes"],
                   length=alarm["limit"] // LONG_TREATMENT)


def _whole_minutes(delta):
    """A timedelta in whole minutes, rounded down."""
    return int(delta.total_seconds() // 60)
