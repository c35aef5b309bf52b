"""A race day for the report's browser test, written into a server's database by its own actions at scripted
times (yesterday from 09:00 UTC until the last runner is served): four tables, both services, a morning rush, a
walk-away, a no-show, a runner sent to medical and three runners' feedback. `python -m tests.browser.report_day PIN`
with the server's environment."""

import json
import sys
from datetime import datetime
from datetime import timedelta

from queue_app import create_app
from queue_app.actions import feedback
from queue_app.actions import runner
from queue_app.actions import setup
from queue_app.actions import tables
from queue_app.clock import now

NO = {"unwell": False, "injury": False, "medical_condition": False}
TABLES = (1, 2, 3, 4)


def arrivals():
    """(minute after 09:00, bib, service): pre-race runners early, a post-race rush from 10:30."""
    early = [(minute * 1.5, 100 + minute, "pre") for minute in range(30)]
    rush = [(90 + minute * 0.75, 300 + minute, "post") for minute in range(60)]
    return sorted(early + rush)


def _to_medical(slug, table, when):
    """The therapist sends the runner on the table to the medical tent."""
    tables.send_to_medical(slug, table, when, reason="cramp")


def play(start):
    """Play the day from `start`; what it did, as counts."""
    at = lambda minutes: start + timedelta(minutes=minutes)  # noqa: E731 - the script's clock
    for table in TABLES:
        tables.take_table("demo", table, at(0))
    coming = arrivals()
    tokens, busy, done = {}, {}, []
    minute, called = 0.0, True
    while coming or busy or called:
        while coming and coming[0][0] <= minute:
            when, bib, service = coming.pop(0)
            tokens[bib] = runner.join("demo", {"bib": str(bib), "first_name": "Runner", "service": service,
                                               "screening": NO}, at(when))["ticket"]["token"]
        if minute == 40 and 120 in tokens:
            runner.leave(tokens[120], at(minute))  # a pre-race runner walks away
        for table in TABLES:
            if table in busy and busy[table][0] <= minute:
                busy.pop(table)[1]("demo", table, at(minute))  # finish, no-show or send to medical, when due
            called = None
            if table not in busy:
                called = tables.call_next("demo", table, at(minute))["ticket"]
                if called is None:
                    continue
                number = called["number"]
                if number == "R-005":  # never comes
                    busy[table] = (minute + 3, tables.no_show)
                    continue
                tables.start("demo", table, at(minute + 1))
                if number == "R-009":
                    busy[table] = (minute + 4, _to_medical)
                    continue
                busy[table] = (minute + 1 + (10 if number.startswith("P") else 15), tables.finish)
                done.append(number)
        minute += 0.5
    for bib, rating, comment in ((100, 3, "Lovely, thank you"), (101, 2, ""), (300, 1, "Waited too long")):
        feedback.give(tokens[bib], {"rating": rating, "comment": comment}, at(minute))
    return {"joined": len(tokens), "massages": len(done)}


if __name__ == "__main__":
    with create_app({"ASYNC_MODE": "threading"}).app_context():
        setup.ensure_demo(sys.argv[1], now())
        yesterday = (now() - timedelta(days=1)).date()
        json.dump(play(datetime.combine(yesterday, datetime.min.time()) + timedelta(hours=9)), sys.stdout)
