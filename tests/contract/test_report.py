"""The day's report and the one-tap feedback: a scripted day (joins, calls, finishes, a runner who leaves after a
measured wait, a no-show, a referral from a table and one from the screening, feedback from three runners) gives a
report whose every figure is checked against what the script did."""

from datetime import datetime
from datetime import timedelta

import pytest

from queue_app.actions import runner
from queue_app.actions import setup
from queue_app.actions import tables
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join

T0 = datetime(2026, 5, 3, 7, 0)
NO = {"unwell": False, "injury": False, "medical_condition": False}


def at(minutes):
    """The script's clock: minutes after 07:00 UTC."""
    return T0 + timedelta(minutes=minutes)


def joined(bib, minutes, screening=NO):
    """A runner joins the pre-race queue at the script's minute; their ticket as the join answered (what they
    were told included)."""
    body = {"bib": str(bib), "first_name": "Runner", "service": "pre", "screening": screening}
    return runner.join("demo", body, at(minutes)).get("ticket")


def feedback(site, token, body):
    """The runner's one tap."""
    return site.http.post(f"{site.url}/api/v1/tickets/{token}/feedback", json=body, timeout=10)


@pytest.fixture
def day(app, site):
    """The scripted day, with what each runner was told and really waited (minutes)."""
    with app.app_context():
        setup.set_time_zone("demo", "UTC", T0)
        tables.take_table("demo", 1, at(0))
        told, real = {}, {}
        a = joined(1, 0)
        tables.call_next("demo", 1, at(0.5))
        tables.start("demo", 1, at(1))
        b, c, d, e = (joined(bib, minutes) for bib, minutes in ((2, 1), (3, 2), (4, 3), (5, 4)))
        assert runner.join("demo", {"bib": "6", "first_name": "Runner", "service": "pre",
                                    "screening": dict(NO, unwell=True)}, at(5))["referred"]
        g = joined(7, 6)
        tables.finish("demo", 1, at(11))
        tables.call_next("demo", 1, at(11))  # b, after 10 min
        tables.start("demo", 1, at(11.5))
        runner.leave(d["token"], at(20))  # d walks away after 17 min
        tables.finish("demo", 1, at(21.5))
        tables.call_next("demo", 1, at(21.5))  # c, after 19.5 min
        tables.start("demo", 1, at(22))
        tables.send_to_medical("demo", 1, at(25), reason="dizzy")
        tables.call_next("demo", 1, at(25))  # e, after 21 min
        tables.no_show("demo", 1, at(29))
        tables.call_next("demo", 1, at(33))  # g, after 27 min
        tables.start("demo", 1, at(33.5))
        tables.finish("demo", 1, at(43.5))
        for ticket, waited in ((a, 0.5), (b, 10), (c, 19.5), (e, 21), (g, 27)):
            told[ticket["number"]] = (ticket["wait_range"], ticket["estimated_wait_minutes"])
            real[ticket["number"]] = waited
    for ticket, body in ((a, {"rating": 3, "comment": "Great hands!"}), (b, {"rating": 2}),
                         (g, {"rating": 1, "comment": "Too long a wait"})):
        assert feedback(site, ticket["token"], body).status_code == 201
    return {"a": a, "b": b, "c": c, "told": told, "real": real}


def test_every_figure_of_the_report_is_what_the_script_did(site, day):
    report = Organiser(site).api("GET", "/report").json()
    assert (report["joined"], report["served"], report["left"], report["no_shows"]) == (6, 3, 1, 1)
    assert (report["sent_to_medical"], report["sent_from_tables"], report["referred"]) == (2, 1, 1)
    assert report["per_service"]["pre"] == {"joined": 6, "served": 3, "left": 1, "removed": 0, "no_shows": 1,
                                                 "sent_to_medical": 1, "still_in": 0, "referred": 1}
    assert report["per_hour"] == [{"hour": "07:00", "joined": 6, "served": 3, "left": 1}]
    assert report["walk_aways"] == {"count": 1, "median_waited": 17.0, "longest_waited": 17.0,
                                    "list": [{"waited": 17.0, "at": "07:20"}]}
    errors = sorted(abs(day["real"][n] - minutes) for n, (_range, minutes) in day["told"].items())
    inside = [low <= day["real"][n] <= max(high, 1) for n, ((low, high), _m) in day["told"].items()]
    waits = report["waits"]
    assert waits["compared"] == 5
    assert waits["median_error"] == errors[2] and waits["p90_error"] == errors[4]
    assert waits["inside_range"] == round(sum(inside) / 5, 3)
    assert (waits["median_wait"], waits["p90_wait"]) == (19.5, 27.0)
    assert [b["count"] for b in waits["spread"]] == [1, 0, 2, 2, 0, 0]  # 0.5 | - | 10, 19.5 | 21, 27 | - | -
    peaks = report["peaks"]
    assert peaks["joins"] == [{"at": "07:00", "joins": 6}] and peaks["busiest"] == {"at": "07:00", "joins": 6}
    assert (peaks["longest_queue"], peaks["longest_queue_at"]) == (5, "07:06")  # b, c, d, e, g
    assert {k: report["feedback"][k] for k in ("count", "1", "2", "3")} == {"count": 3, "1": 1, "2": 1, "3": 1}
    assert report["feedback"]["comments"] == [{"rating": 3, "comment": "Great hands!"},
                                              {"rating": 1, "comment": "Too long a wait"}]
    page = Organiser(site).http.get(f"{site.url}/e/demo/report", timeout=10).text
    for section in ("outcomes", "walk-aways", "waits", "peaks", "team", "feedback", "next-year"):
        assert f'id="{section}"' in page
    assert "Great hands!" in page
    csv_text = Organiser(site).http.get(f"{site.url}/e/demo/report.csv", timeout=10).text
    assert csv_text.startswith("\ufeff") and "outcomes,served,all,3" in csv_text


def test_a_second_answer_an_unfinished_massage_and_bad_comments_are_refused(site, day):
    again = feedback(site, day["a"]["token"], {"rating": 1})
    assert again.status_code == 409 and "already" in again.json()["error"]
    assert feedback(site, day["c"]["token"], {"rating": 3}).status_code == 409  # sent to medical, not done
    waiting = join(site, 70).json()
    assert feedback(site, waiting["token"], {"rating": 3}).status_code == 409
    assert feedback(site, "not-a-ticket", {"rating": 3}).status_code == 404
    for body, field in (({"rating": 4}, "rating"), ({"rating": True}, "rating"), ({}, "rating"),
                        ({"rating": 2, "comment": "x" * 10_000}, None), ({"rating": 2, "comment": "bell\x07"}, None),
                        ({"rating": 2, "comment": 5}, "comment")):
        answer = feedback(site, day["b"]["token"], body)
        assert 400 <= answer.status_code < 500 and answer.status_code != 409, (body, answer.status_code)
        if field:
            assert answer.json().get("field") == field


def test_the_report_is_the_organisers_only(site, day):
    staff = Staff(site)
    assert staff.http.get(f"{site.url}/api/v1/events/demo/report", timeout=10).status_code == 401
    assert site.http.get(f"{site.url}/e/demo/report", timeout=10, allow_redirects=False).status_code == 302


def test_a_report_of_an_empty_day_says_so(site):
    report = Organiser(site).api("GET", "/report").json()
    assert (report["joined"], report["served"], report["feedback"]["count"]) == (0, 0, 0)
    assert report["waits"]["median_error"] is None and report["peaks"]["busiest"] is None
    page = Organiser(site).http.get(f"{site.url}/e/demo/report", timeout=10).text
    assert "Nobody has joined yet." in page and "No feedback yet." in page


def test_after_a_purge_the_report_keeps_anonymous_figures_and_drops_the_comments(site, day):
    organiser = Organiser(site)
    assert organiser.form("/e/demo/settings/purge", {"confirm": "demo"}, page="/e/demo/settings").status_code == 200
    report = organiser.api("GET", "/report").json()
    assert report["purged"] and (report["served"], report["feedback"]["count"], report["feedback"]["3"]) == (3, 3, 1)
    assert report["feedback"]["comments"] == []
    assert "Great hands" not in organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
