"""Purge under a live queue (issue 12, break 6): refused while any ticket is active, with the tickets named and
what to do first; once the day is over it erases names, and a tablet's retried call still acts once."""

import csv
import io
import sqlite3

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def purge(organiser):
    return organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")


def exported_names(organiser, site):
    rows = csv.DictReader(io.StringIO(organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text))
    return {row["first_name"] for row in rows}


def test_purge_is_refused_while_a_runner_is_at_a_table_and_nothing_is_erased(site):
    join(site, 11, "Zelda")
    join(site, 12, "Yann")
    staff = Staff(site)
    staff.act(1, "call-next")
    organiser = Organiser(site)
    refused = purge(organiser)
    assert refused.status_code == 409
    assert "2 tickets are still active: P-001 (called), P-002 (waiting)." in refused.text
    assert "Close the services on the dashboard" in refused.text
    assert exported_names(organiser, site) == {"Zelda", "Yann"}
    # The same bib cannot hold two tickets afterwards: it still has its one.
    assert join(site, 11, "Zelda").status_code == 409


def test_after_the_day_purge_erases_names_and_a_retried_call_acts_once(site):
    join(site, 21, "Zelda")
    staff = Staff(site)
    first = staff.act(1, "call-next", key="k-call")
    assert first.status_code == 200 and first.json()["ticket"]["first_name"] == "Zelda"
    staff.act(1, "start")
    staff.act(1, "finish", note="Tight calf")
    organiser = Organiser(site)
    assert "Personal data erased" in purge(organiser).text
    assert exported_names(organiser, site) == {""}
    join(site, 22, "Xavi")  # a runner who joins after the purge, waiting now
    retried = staff.act(1, "call-next", key="k-call")
    assert retried.status_code == 200
    assert retried.json()["ticket"]["number"] == "P-001" and retried.json()["ticket"]["first_name"] is None
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["services"]["pre"]["waiting"] == 1, "the retried call called the runner who joined after the purge"
    with sqlite3.connect(site.app.config["DATABASE_FILE"]) as connection:
        bodies = [body for (body,) in connection.execute("SELECT body FROM idempotent_results")]
    assert bodies and not any("Zelda" in body or "Tight calf" in body for body in bodies)
