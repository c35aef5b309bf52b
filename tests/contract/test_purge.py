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


def test_purge_erases_every_reason_typed_about_a_runner(site):
    """Issue 21, item 7: a medical reason and a walk-in's override reason stayed in the audit log and export."""
    organiser = Organiser(site)
    organiser.form("/e/demo/settings/start-list", {}, page="/e/demo/settings",
                   files={"file": ("start.csv", b"bib,first_name\n31,Anna\n32,Anne\n", "text/csv")})
    staff = Staff(site)
    join(site, 31, "Anna")
    staff.act(1, "call-next")
    sent = staff.act(1, "send-to-medical", key="k-med", reason="Anna Schmidt, diabetic, hypo, insulin pump")
    assert sent.status_code == 200, sent.text
    walk_in = organiser.api("POST", "/walk-ins", {"bib": "32", "first_name": "Annemarie", "service": "pre",
                                                  "screening": {"unwell": False, "injury": False,
                                                                "medical_condition": False},
                                                  "name_override": "ID card says Annemarie Huber, born 1961"})
    assert walk_in.status_code == 201, walk_in.text
    staff.act(1, "call-next")
    staff.act(1, "start")
    staff.act(1, "finish", note="Left hamstring, on blood thinners")
    before = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
    assert "insulin pump" in before and "born 1961" in before
    assert "Personal data erased" in purge(organiser).text
    after = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
    words = ("Schmidt", "diabetic", "insulin", "Huber", "1961", "hamstring", "Annemarie")
    assert not any(word in after for word in words), after
    rows = list(csv.DictReader(io.StringIO(after)))
    assert "sent to medical" in {row["detail"].split(":")[0] for row in rows}, "the kind of move stays"
    with sqlite3.connect(site.app.config["DATABASE_FILE"]) as connection:
        stored = [text for (text,) in connection.execute("SELECT detail FROM ticket_events WHERE detail IS NOT NULL")]
        stored += [body for (body,) in connection.execute("SELECT body FROM idempotent_results")]
    assert stored and not any(word in text for text in stored for word in words), stored
    retried = staff.act(1, "send-to-medical", key="k-med", reason="Anna Schmidt, diabetic, hypo, insulin pump")
    assert retried.status_code == 200 and retried.json()["ticket"]["status"] == "sent_to_medical"


def test_no_undo_brings_back_a_purged_ticket(site):
    """Issue 21, item 7: "undo no-show" after a purge answered 200 and put a nameless ticket back in the queue."""
    join(site, 41, "Zelda")
    staff = Staff(site)
    staff.act(1, "call-next")
    assert staff.act(1, "no-show").json()["ticket"]["status"] == "no_show"
    organiser = Organiser(site)
    assert "Personal data erased" in purge(organiser).text
    undone = staff.act(1, "undo-no-show", ticket="P-001")
    assert undone.status_code == 409, undone.text
    assert "erased" in undone.json()["error"]
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert board["services"]["pre"]["waiting"] == 0
