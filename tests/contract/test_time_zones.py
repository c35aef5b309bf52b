"""Each event runs on its own clock: a time zone set when it is made and changed in its settings, checked on the
way in, and used for its opening hours, whatever the server's own zone."""

import csv
import html
import io
import re
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join


def zone_field(page):
    """The settings page's time-zone input, as HTML."""
    return re.search(r'<input id="time-zone-name"[^>]*>', page, re.S).group(0)


def version(site):
    """The demo event's version: it grows with every change that was stored."""
    return site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()["version"]


def test_a_time_zone_saved_in_the_settings_is_stored_in_its_proper_spelling_and_shown(site):
    organiser = Organiser(site)
    assert 'value="UTC"' in zone_field(organiser.http.get(f"{site.url}/e/demo/settings", timeout=10).text)
    saved = organiser.form("/e/demo/settings/time-zone", {"time_zone": " europe/berlin "}, page="/e/demo/settings")
    assert saved.status_code == 200 and "Time zone saved: Europe/Berlin." in saved.text
    assert 'value="Europe/Berlin"' in zone_field(saved.text)
    berlin_now = datetime.now(ZoneInfo("Europe/Berlin"))
    shown = re.search(r"It is <strong>(\d\d:\d\d)</strong> in Europe/Berlin now", saved.text).group(1)
    assert shown in {f"{berlin_now:%H:%M}", f"{berlin_now - timedelta(minutes=1):%H:%M}"}
    assert organiser.api("GET", "/dashboard").json()["time_zone"] == "Europe/Berlin"


def test_an_unknown_time_zone_is_refused_at_its_field_and_nothing_is_stored(site):
    organiser = Organiser(site)
    before = version(site)
    refused = organiser.form("/e/demo/settings/time-zone", {"time_zone": "Mars/Olympus_Mons"}, page="/e/demo/settings")
    assert refused.status_code == 422
    message = html.unescape(re.search(r'<p class="field-error" id="time-zone-error">(.*?)</p>', refused.text).group(1))
    assert message.startswith("Time zone:") and "'Mars/Olympus_Mons' is not one" in message
    assert 'aria-invalid="true"' in zone_field(refused.text) and 'value="Mars/Olympus_Mons"' in zone_field(refused.text)
    for body in ({"time_zone": "Nowhere/Special"}, {"time_zone": "localtime"}, {"time_zone": ""}, {"time_zone": 5},
                 {}):
        answer = organiser.api("PATCH", "", body)
        assert answer.status_code == 422 and answer.json()["field"] == "time_zone", body
        assert answer.json()["error"].startswith("Time zone:")
    assert version(site) == before
    assert organiser.api("GET", "/dashboard").json()["time_zone"] == "UTC"
    assert 'value="UTC"' in zone_field(organiser.http.get(f"{site.url}/e/demo/settings", timeout=10).text)


def test_a_new_event_gets_the_time_zone_of_its_form_and_an_unknown_one_makes_no_event(site):
    organiser = Organiser(site)
    form = organiser.http.get(f"{site.url}/admin", timeout=10).text
    assert re.search(r'<input id="time_zone" name="time_zone" list="zone-names"[^>]*value="[^"]+"', form, re.S)
    fields = {"name": "Lakeside Half", "slug": "lakeside", "tables": "4", "pin": "135790"}
    refused = organiser.form("/admin/events", dict(fields, time_zone="Atlantis/Capital"), page="/admin")
    assert refused.status_code == 422 and "Time zone:" in refused.text
    assert organiser.http.get(f"{site.url}/e/lakeside/settings", timeout=10).status_code == 404
    made = organiser.form("/admin/events", dict(fields, time_zone="america/new_york"), page="/admin")
    assert made.status_code == 200 and made.url.endswith("/e/lakeside/settings")
    assert 'value="America/New_York"' in zone_field(made.text)


def test_opening_hours_are_read_on_the_event_clock_and_follow_a_change_of_zone(site):
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "Asia/Kolkata"})
    there = datetime.now(ZoneInfo("Asia/Kolkata"))
    hours = {"opens_at": f"{there - timedelta(hours=1):%H:%M}", "closes_at": f"{there + timedelta(hours=1):%H:%M}"}
    assert organiser.api("PATCH", "/services/pre", hours).status_code == 200
    assert join(site, 1).status_code == 201
    organiser.api("PATCH", "", {"time_zone": "America/Mexico_City"})  # 11 or 12 hours behind: outside the window
    refused = join(site, 2)
    assert refused.status_code == 409 and refused.json()["field"] == "service"
    assert re.search(r"Pre-race massage (opens|closed) at \d\d:\d\d", refused.json()["error"])


def test_a_window_may_run_overnight_but_not_open_and_close_at_the_same_minute(site):
    organiser = Organiser(site)
    page = organiser.form("/e/demo/settings/service", {"code": "post", "opens_at": "22:00", "closes_at": "03:00"},
                          page="/e/demo/settings")
    assert page.status_code == 200 and "Service saved." in page.text
    assert 'id="hours-post">Hours are UTC time. A closing time before the opening time runs overnight' in page.text
    before = version(site)
    same = organiser.api("PATCH", "/services/post", {"opens_at": "07:00", "closes_at": "07:00", "capacity": 5})
    assert same.status_code == 422 and same.json()["field"] == "closes_at"
    board = site.http.get(f"{site.url}/api/v1/events/demo/board", timeout=10).json()
    assert version(site) == before
    post = board["services"]["post"]
    assert (post["opens_at"], post["closes_at"], post["capacity"]) == ("22:00", "03:00", None)


def test_the_day_chart_is_marked_on_the_event_clock_and_its_times_stay_utc(site):
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "Asia/Kathmandu"})  # UTC+5:45
    join(site, 1)
    history = organiser.api("GET", "/history").json()
    assert history["time_zone"] == "Asia/Kathmandu" and len(history["points"]) >= 1
    first = datetime.fromisoformat(history["points"][0]["at"])
    assert history["points"][0]["at"].endswith("Z") and first.astimezone(ZoneInfo("Asia/Kathmandu")).minute % 15 == 0
    page = organiser.http.get(f"{site.url}/e/demo/dashboard", timeout=10).text
    assert '"time_zone": "Asia/Kathmandu"' in page  # the charts label their axis on this clock


def test_the_export_gives_times_on_the_event_clock_names_the_zone_and_keeps_utc_beside(site):
    organiser = Organiser(site)
    organiser.api("PATCH", "", {"time_zone": "America/New_York"})
    join(site, 4321, "Zelda")
    Staff(site).act(1, "call-next")
    text = organiser.http.get(f"{site.url}/e/demo/export.csv", timeout=10).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["to_status"] for r in rows] == ["waiting", "called"]
    new_york = ZoneInfo("America/New_York")
    for row in rows:
        assert row["time_zone"] == "America/New_York"
        exact = datetime.fromisoformat(row["at_utc"])
        assert row["at_utc"].endswith("Z") and row["at"] == f"{exact.astimezone(new_york):%Y-%m-%d %H:%M:%S}"
    assert rows[0]["joined_at"] == rows[0]["at"]  # the arrival is the first move
    assert text.splitlines()[0].split(",")[8:11] == ["joined_at", "at", "time_zone"]
