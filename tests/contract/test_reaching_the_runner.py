"""Reaching the called runner, in process: "I'm on my way", Call again, a no-show undone, and the checks on the
ways a runner asks to be reached away from the page."""

import sqlite3
from datetime import datetime
from datetime import timedelta

import pytest

from queue_app.actions import sweep
from queue_app.actions import tables
from queue_app.rules.errors import InvalidTransition
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

KEYS = {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg"}


def ticket(site, token):
    """A ticket as its runner sees it."""
    return site.http.get(f"{site.url}/api/v1/tickets/{token}", timeout=10).json()


def test_a_called_runner_on_the_way_shows_on_the_tablet_and_the_countdown_is_there_for_both(site):
    mine = join(site, 1).json()
    staff = Staff(site)
    tablet = staff.listen()
    tablet.next("snapshot")
    called = staff.act(1, "call-next").json()["ticket"]
    assert called["grace_seconds"] == 180 and called["grace_ends_at"].endswith("Z") and called["on_way_at"] is None
    phone_view = ticket(site, mine["token"])
    assert phone_view["grace_ends_at"] == called["grace_ends_at"]
    coming = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/on-my-way", timeout=10)
    assert coming.status_code == 200 and coming.json()["on_way_at"]
    heard = tablet.next("staff", lambda d: any(t["number"] == mine["number"] and t["on_way_at"] for t in d["tickets"]))
    assert heard["tickets"][0]["status"] == "called"
    again = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/on-my-way", timeout=10)
    assert again.json()["on_way_at"] == coming.json()["on_way_at"]  # pressing twice changes nothing


def test_on_my_way_before_being_called_is_refused(site):
    mine = join(site, 2).json()
    answer = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/on-my-way", timeout=10)
    assert answer.status_code == 409 and ticket(site, mine["token"])["on_way_at"] is None


def test_call_again_rings_the_phone_again_and_restarts_the_grace_time(site):
    mine = join(site, 3).json()
    staff = Staff(site)
    first = staff.act(1, "call-next").json()["ticket"]
    phone = site.listen({"ticket": mine["token"]})
    phone.next("snapshot")
    again = staff.act(1, "call-again", ticket=mine["number"])
    assert again.status_code == 200 and again.json()["ticket"]["status"] == "called"
    heard = phone.next("ticket")
    assert heard["called_at"] >= first["called_at"]
    assert heard["grace_ends_at"] == again.json()["ticket"]["grace_ends_at"]
    assert staff.act(2, "call-again").status_code == 409  # nobody called at table 2


def test_they_are_here_puts_the_no_show_on_the_table_with_the_massage_started(site):
    first, second = (join(site, bib).json() for bib in (14, 15))
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(1, "no-show", ticket=first["number"])
    phone = site.listen({"ticket": first["token"]})
    phone.next("snapshot")
    undo = staff.act(1, "undo-no-show", ticket=first["number"])
    assert undo.status_code == 200
    assert (undo.json()["ticket"]["status"], undo.json()["ticket"]["table"]) == ("in_treatment", 1)
    assert undo.json()["message"] == f"{first['number']} is on the table: the massage has started."
    heard = phone.next("ticket")
    assert (heard["status"], heard["table"]) == ("in_treatment", 1)
    assert ticket(site, second["token"])["place"] == 1  # nobody else moved
    called = staff.act(1, "call-next")  # the table is busy with them, not free to call someone else
    assert called.status_code == 409 and first["number"] in called.json()["error"]
    assert staff.act(1, "finish", ticket=first["number"]).json()["ticket"]["status"] == "done"


def test_they_are_here_is_refused_while_the_table_has_called_someone_else(site):
    first, second = (join(site, bib).json() for bib in (16, 17))
    staff = Staff(site)
    staff.act(1, "call-next")
    staff.act(1, "no-show", ticket=first["number"])
    staff.act(1, "call-next")  # the table went on to the next runner
    undo = staff.act(1, "undo-no-show", ticket=first["number"])
    assert undo.status_code == 409 and second["number"] in undo.json()["error"]
    assert ticket(site, first["token"])["status"] == "no_show"  # nothing lost: still undoable to the queue
    back = staff.act(1, "undo-no-show", ticket=first["number"], to="queue")
    assert back.status_code == 200 and back.json()["ticket"]["status"] == "waiting"


def test_a_no_show_undone_to_the_queue_puts_the_runner_back_where_they_stood(site):
    first, second, third = (join(site, bib).json() for bib in (4, 5, 6))
    staff = Staff(site)
    staff.act(1, "call-next")
    assert staff.act(1, "no-show", ticket=first["number"]).json()["ticket"]["status"] == "no_show"
    assert ticket(site, second["token"])["place"] == 1
    undo = staff.act(1, "undo-no-show", ticket=first["number"], to="queue")
    assert undo.status_code == 200 and undo.json()["ticket"]["status"] == "waiting"
    assert undo.json()["message"] == f"{first['number']} is back in the queue where they stood."
    assert [ticket(site, t["token"])["place"] for t in (first, second, third)] == [1, 2, 3]
    assert staff.act(1, "undo-no-show", ticket=first["number"]).status_code == 409  # not a no-show any more
    assert staff.act(2, "undo-no-show", ticket=second["number"]).status_code == 409  # not this table's


def test_a_no_show_can_be_undone_for_five_minutes_only_whoever_marked_it(app):
    t0 = datetime(2026, 5, 3, 9, 0)
    with app.app_context():
        for bib in (7, 8):
            join_action(bib, t0)
        number = tables.call_next("demo", 1, t0)["ticket"]["number"]
        assert sweep.expire_overdue_calls(t0 + timedelta(seconds=181)) == 1  # the timer marks it
        back = tables.undo_no_show("demo", 1, t0 + timedelta(seconds=200), number, to_table=False)["ticket"]
        assert (back["status"], back["place"]) == ("waiting", 1)
        tables.call_next("demo", 1, t0 + timedelta(minutes=4))
        tables.no_show("demo", 1, t0 + timedelta(minutes=4))
        with pytest.raises(InvalidTransition, match="5 minutes"):
            tables.undo_no_show("demo", 1, t0 + timedelta(minutes=9, seconds=1), number)


def join_action(bib, at):
    """A runner joins through the action, at a fixed time."""
    from queue_app.actions import runner

    body = {"bib": str(bib), "first_name": "Runner", "service": "pre",
            "screening": {"unwell": False, "injury": False, "medical_condition": False}}
    return runner.join("demo", body, at)


@pytest.mark.parametrize("subscription, field", [
    (None, "subscription"),
    ({"endpoint": "https://fcm.googleapis.com/fcm/send/x"}, "subscription"),
    ({"endpoint": "http://fcm.googleapis.com/fcm/send/x", "keys": KEYS}, "endpoint"),
    ({"endpoint": "https://192.168.1.1/admin", "keys": KEYS}, "endpoint"),
    ({"endpoint": "https://fcm.googleapis.com.evil.example/x", "keys": KEYS}, "endpoint"),
    ({"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": dict(KEYS, p256dh="not base64!")}, "keys.p256dh"),
    ({"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": dict(KEYS, p256dh="BAAA")}, "keys.p256dh"),
    ({"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": dict(KEYS, auth="AAAA")}, "keys.auth"),
])
def test_a_malformed_or_foreign_push_subscription_is_refused_clearly(site, subscription, field):
    mine = join(site, 9).json()
    answer = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json={"subscription": subscription},
                            timeout=10)
    assert answer.status_code == 422 and answer.json()["field"] == field and answer.json()["error"]


def test_a_real_push_service_subscription_is_kept_and_a_ticket_holds_three_at_most(site):
    mine = join(site, 10).json()
    for n in range(3):
        body = {"subscription": {"endpoint": f"https://fcm.googleapis.com/fcm/send/{n}", "keys": KEYS}, "close_at": 2}
        answer = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json=body, timeout=10)
        assert answer.status_code == 201 and answer.json() == {"push": "on", "close_at": 2}
    body = {"subscription": {"endpoint": "https://fcm.googleapis.com/fcm/send/3", "keys": KEYS}}
    assert site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json=body, timeout=10).status_code == 409


def test_texts_are_refused_where_the_tent_has_not_set_them_up_and_bad_numbers_anyway(site, app):
    mine = join(site, 11).json()
    answer = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/text", json={"phone": "+4915112345678"},
                            timeout=10)
    assert answer.status_code == 409 and "not set up" in answer.json()["error"]
    app.config.update(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="secret", TWILIO_FROM="+15005550006")
    for bad in ("0151 2345678", "+0 123", "call me", "+49 151 2345678 9999999", 4915112345678):
        answer = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/text", json={"phone": bad}, timeout=10)
        assert answer.status_code == 422 and answer.json()["field"] == "phone", bad


def test_purge_erases_push_subscriptions_and_phone_numbers(site, app):
    app.config.update(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="secret", TWILIO_FROM="+15005550006")
    mine = join(site, 12).json()
    body = {"subscription": {"endpoint": "https://fcm.googleapis.com/fcm/send/p", "keys": KEYS}}
    assert site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json=body, timeout=10).status_code == 201
    texted = site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/text", json={"phone": "+447700900482"},
                            timeout=10)
    assert texted.status_code == 201
    with sqlite3.connect(site.database) as db:
        assert db.execute("SELECT kind, address FROM runner_alerts ORDER BY kind").fetchall() == [
            ("push", "https://fcm.googleapis.com/fcm/send/p"), ("sms", "+447700900482")]
    site.http.delete(f"{site.url}/api/v1/tickets/{mine['token']}", timeout=10)  # purge waits for an empty queue
    answer = Organiser(site).form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings")
    assert "Personal data erased" in answer.text
    with sqlite3.connect(site.database) as db:
        assert db.execute("SELECT count(*) FROM runner_alerts").fetchone() == (0,)


def test_a_runner_not_ready_lets_others_go_first_once_within_the_services_limit(site):
    runners = [join(site, bib).json() for bib in (21, 22, 23, 24)]
    passed = site.listen({"ticket": runners[2]["token"]})
    passed.next("snapshot")
    back = site.http.post(f"{site.url}/api/v1/tickets/{runners[0]['token']}/step-back", json={"places": 2},
                          timeout=10)
    assert back.status_code == 200 and (back.json()["place"], back.json()["stepped_back"]) == (3, 1)
    assert [ticket(site, r["token"])["place"] for r in runners] == [3, 1, 2, 4]
    assert passed.next("ticket")["place"] == 2  # a runner let past is told their new place
    again = site.http.post(f"{site.url}/api/v1/tickets/{runners[0]['token']}/step-back", json={"places": 1},
                           timeout=10)
    assert again.status_code == 409 and "once" in again.json()["error"]
    too_many = site.http.post(f"{site.url}/api/v1/tickets/{runners[1]['token']}/step-back", json={"places": 4},
                              timeout=10)
    assert too_many.status_code == 409 and "at most 3" in too_many.json()["error"]
    assert site.http.post(f"{site.url}/api/v1/tickets/{runners[1]['token']}/step-back", json={"places": "2"},
                          timeout=10).status_code == 422
    Organiser(site).api("PATCH", "/services/pre", {"step_back_places": 0})
    off = site.http.post(f"{site.url}/api/v1/tickets/{runners[1]['token']}/step-back", json={"places": 1}, timeout=10)
    assert off.status_code == 409 and "off" in off.json()["error"]
    assert [ticket(site, r["token"])["place"] for r in runners] == [3, 1, 2, 4]


def test_a_new_phone_takes_the_push_subscriptions_and_the_number_from_the_old_one(site, app):
    """Issue 21, item 3: after "New phone" the old phone's subscription still got "your turn", with the new link."""
    app.config.update(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="secret", TWILIO_FROM="+15005550006")
    mine = join(site, 13).json()
    old = {"subscription": {"endpoint": "https://fcm.googleapis.com/fcm/send/old-phone", "keys": KEYS}}
    assert site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json=old, timeout=10).status_code == 201
    assert site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/text", json={"phone": "+447700900482"},
                          timeout=10).status_code == 201
    moved = Organiser(site).api("POST", f"/tickets/{mine['number']}/reissue")
    assert moved.status_code == 200, moved.text
    with sqlite3.connect(site.database) as db:
        assert db.execute("SELECT kind, address FROM runner_alerts").fetchall() == []
    assert site.http.post(f"{site.url}/api/v1/tickets/{mine['token']}/push", json=old, timeout=10).status_code == 404
    new = {"subscription": {"endpoint": "https://fcm.googleapis.com/fcm/send/new-phone", "keys": KEYS}}
    token = moved.json()["token"]
    assert site.http.post(f"{site.url}/api/v1/tickets/{token}/push", json=new, timeout=10).status_code == 201
    with sqlite3.connect(site.database) as db:
        assert db.execute("SELECT address FROM runner_alerts").fetchall() == [
            ("https://fcm.googleapis.com/fcm/send/new-phone",)]


def text(site, token, phone):
    """Ask for texts to `phone` on this ticket."""
    return site.http.post(f"{site.url}/api/v1/tickets/{token}/text", json={"phone": phone}, timeout=10)


def test_texts_go_to_the_events_country_only_never_to_premium_numbers_and_digits_are_plain(site, app):
    """Issue 21, item 8: +1 900, +44 909, +979, +882, +870 and Arabic-Indic digits were all taken."""
    app.config.update(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="secret", TWILIO_FROM="+15005550006")
    assert Organiser(site).api("PATCH", "", {"time_zone": "Europe/Berlin"}).status_code == 200
    token = join(site, 14).json()["token"]
    for premium in ("+1 900 555 0100", "+44 909 879 0000", "+979 123456789", "+882 16 1234567", "+870 771234567",
                    "+49 900 1234567"):
        refused = text(site, token, premium)
        assert refused.status_code == 422 and refused.json()["field"] == "phone", premium
    refused = text(site, token, "+44 7700 900123")
    assert refused.status_code == 422 and "this country only" in refused.json()["error"]
    assert text(site, token, "+٤٩ ١٥١ ٢٣٤٥٦٧٨").status_code == 201
    with sqlite3.connect(site.database) as db:
        assert db.execute("SELECT address FROM runner_alerts").fetchall() == [("+491512345678",)]
    app.config["TEXT_COUNTRIES"] = ("DE", "GB")  # the organiser's setting wins over the zone's country
    assert text(site, token, "+44 7700 900123").status_code == 201


def test_one_number_is_texted_for_two_tickets_at_most(site, app):
    """Issue 21, item 8: 16 texts reached one stranger's number from one address, one ticket after another."""
    app.config.update(TWILIO_ACCOUNT_SID="AC123", TWILIO_AUTH_TOKEN="secret", TWILIO_FROM="+15005550006")
    tokens = [join(site, bib).json()["token"] for bib in (15, 16, 17)]
    assert [text(site, token, "+49 151 2345678").status_code for token in tokens[:2]] == [201, 201]
    assert text(site, tokens[0], "+49 151 2345678").status_code == 201  # the same ticket again is no new one
    third = text(site, tokens[2], "0049 151 2345678")
    assert third.status_code == 409 and "2 tickets" in third.json()["error"]
