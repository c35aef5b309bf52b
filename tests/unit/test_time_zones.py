"""An event's time zone with plain values: the name an organiser types, and stored times on its clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from queue_app.rules import setup
from queue_app.rules import times
from queue_app.rules.errors import ValidationError

KNOWN = ("America/New_York", "Asia/Kolkata", "Europe/Berlin", "UTC")


@pytest.mark.parametrize("typed, stored", [
    ("Europe/Berlin", "Europe/Berlin"), (" europe/berlin ", "Europe/Berlin"), ("AMERICA/NEW_YORK", "America/New_York"),
    ("utc", "UTC"),
])
def test_a_time_zone_is_stored_as_the_tz_database_spells_it(typed, stored):
    assert setup.time_zone(typed, KNOWN) == stored


@pytest.mark.parametrize("typed", ["", "   ", None, 5, "Berlin", "Europe/Berlin/Mitte", "Mars/Olympus_Mons"])
def test_an_unknown_or_missing_time_zone_is_refused_naming_the_field(typed):
    with pytest.raises(ValidationError) as refused:
        setup.time_zone(typed, KNOWN)
    assert refused.value.field == "time_zone" and refused.value.message.startswith("Time zone:")
    assert "Europe/Berlin" in refused.value.message  # an example of what to type


def test_a_new_event_form_needs_a_known_time_zone():
    form = {"name": "Lakeside Half", "slug": "lakeside", "tables": "4", "pin": "135790"}
    assert setup.parse_event_form(dict(form, time_zone="asia/kolkata"), KNOWN).time_zone == "Asia/Kolkata"
    with pytest.raises(ValidationError) as refused:
        setup.parse_event_form(form, KNOWN)
    assert refused.value.field == "time_zone"


@pytest.mark.parametrize("stored, zone, wall", [
    (datetime(2026, 5, 3, 6, 30), "Europe/Berlin", datetime(2026, 5, 3, 8, 30)),  # summer time, UTC+2
    (datetime(2026, 1, 3, 6, 30), "Europe/Berlin", datetime(2026, 1, 3, 7, 30)),  # winter, UTC+1
    (datetime(2026, 5, 3, 20, 0), "Asia/Kolkata", datetime(2026, 5, 4, 1, 30)),   # the next day there
    (datetime(2026, 5, 3, 2, 0), "America/New_York", datetime(2026, 5, 2, 22, 0)),  # the day before there
])
def test_a_stored_utc_time_reads_as_the_wall_clock_of_the_event(stored, zone, wall):
    assert times.local(stored, ZoneInfo(zone)) == wall
    assert times.local(None, ZoneInfo(zone)) is None
