"""Sign-ins end (issue 12, break 2): a PIN change ends every tablet's sign-in, a sign-out ends the organiser's,
and an organiser's sign-in ends after ORGANISER_SESSION_MINUTES."""

import pytest
import socketio

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def test_changing_the_pin_ends_every_tablets_sign_in_and_its_live_view(site):
    join(site, 1)
    tablet = Staff(site)
    listening = tablet.listen()
    listening.next("snapshot")
    organiser = Organiser(site)
    answer = organiser.form("/e/demo/settings/pin", {"pin": "975312"}, page="/e/demo/settings")
    assert "Staff PIN changed" in answer.text
    assert "signed_out" in [name for name, _payload in listening.heard()]
    assert tablet.act(1, "call-next").status_code == 401
    assert tablet.http.get(f"{site.url}/api/v1/events/demo/staff", timeout=10).status_code == 401
    with pytest.raises(socketio.exceptions.ConnectionError):
        tablet.listen()
    assert listening.snapshot() == {"error": "Sign in with the event's staff PIN first."}
    join(site, 2)  # a change after the PIN change: the old tablet hears nothing of it
    assert not [p for name, p in listening.heard() if name == "staff"]
    assert Staff(site, pin="975312").act(1, "call-next").status_code == 200


def test_a_cookie_replayed_after_the_organiser_signed_out_opens_nothing(site):
    organiser = Organiser(site)
    cookies = organiser.http.cookies.get_dict()
    organiser.form("/admin/sign-out", {}, page="/e/demo/dashboard")
    replay = site.session()
    replay.client.set_cookie("session", cookies["session"], domain="localhost")
    page = replay.get(f"{site.url}/e/demo/dashboard", allow_redirects=False, timeout=10)
    assert page.status_code == 302 and "/admin/sign-in" in page.headers["Location"]
    assert replay.get(f"{site.url}/api/v1/events/demo/dashboard", timeout=10).status_code == 401


def test_an_organiser_sign_in_ends_after_its_time(site, app):
    organiser = Organiser(site)
    assert organiser.api("GET", "/dashboard").status_code == 200
    app.config["ORGANISER_SESSION_MINUTES"] = 0
    assert organiser.api("GET", "/dashboard").status_code == 401


def test_the_organisers_dashboards_hear_nothing_more_after_a_sign_out_but_keep_hearing_through_a_pin_change(site):
    organiser = Organiser(site)
    dashboard = organiser.site.listen({"event": "demo", "role": "staff"}, session=organiser.http)
    dashboard.next("snapshot")
    tablet = Staff(site)
    organiser.form("/e/demo/settings/pin", {"pin": "975312"}, page="/e/demo/settings")
    join(site, 1)
    heard = [name for name, _payload in dashboard.heard()]
    assert "signed_out" not in heard and "staff" in heard, "a PIN change must not end the organiser's view"
    assert tablet.act(1, "call-next").status_code == 401
    organiser.form("/admin/sign-out", {}, page="/e/demo/dashboard")
    assert "signed_out" in [name for name, _payload in dashboard.heard()]
    deltas_before = len([p for name, p in dashboard.heard() if name == "staff"])
    join(site, 2)  # a change after the sign-out: the old dashboard hears nothing of it
    assert len([p for name, p in dashboard.heard() if name == "staff"]) == deltas_before
