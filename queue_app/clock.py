"""The one place the app reads the wall clock and the time-zone database; everything below the views takes time
(and an event's zone) as a parameter.

The server's own zone (TZ, /etc/localtime) never decides anything about an event: it only suggests the zone a new
event gets when EVENT_TIME_ZONE is not set."""

import os
import zoneinfo
from datetime import UTC
from datetime import datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError
from zoneinfo import available_timezones

# Files of the tz database that are not zones an organiser means: the machine's own zone, and placeholders.
NOT_ZONES = {"localtime", "posixrules", "Factory"}


def now():
    """The current time in UTC, without tzinfo, as the database stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


@cache
def zone_names():
    """Every IANA time-zone name this machine knows (Europe/Berlin, America/New_York, UTC, ...), sorted."""
    return tuple(sorted((available_timezones() - NOT_ZONES) | {"UTC"}))


@cache
def zone(name):
    """The time zone an event's stored name stands for; UTC for a name this machine does not know (never stored:
    names are checked against zone_names() when an organiser sets them)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def system_zone_name(environ=os.environ):
    """This machine's own zone as an IANA name (from TZ, /etc/timezone or /etc/localtime), or None if it cannot
    be told (a POSIX rule such as TZ=CET-1CEST names no zone)."""
    if environ.get("TZ"):
        candidates = [environ["TZ"].lstrip(":").rpartition("zoneinfo/")[2]]
    else:
        candidates = []
        try:
            candidates.append(Path("/etc/timezone").read_text().strip())
        except OSError:
            pass
        candidates.append(os.path.realpath("/etc/localtime").rpartition("zoneinfo/")[2])
    known = set(zone_names())
    return next((name for name in candidates if name in known), None)


def default_zone_name(environ=os.environ):
    """The zone a new event gets unless the organiser picks another: EVENT_TIME_ZONE if set, else this machine's
    zone if it can be told, else UTC."""
    return (environ.get("EVENT_TIME_ZONE") or "").strip() or system_zone_name(environ) or "UTC"


@cache
def _zone_countries():
    """{zone name: ISO country} from the tz database's zone.tab, resolving links (US/Eastern is America/New_York);
    empty where the machine has no zone.tab."""
    for folder in zoneinfo.TZPATH:
        try:
            lines = (Path(folder) / "zone.tab").read_text().splitlines()
        except OSError:
            continue
        countries = {}
        for line in lines:
            parts = line.split("\t")
            if not line.startswith("#") and len(parts) >= 3:
                countries[parts[2]] = parts[0]
                countries[os.path.realpath(Path(folder) / parts[2])] = parts[0]
        return countries, folder
    return {}, None


def zone_country(name):
    """The ISO country of an IANA zone (Europe/Berlin: DE), or None for UTC, Etc/* and a zone of no one country."""
    countries, folder = _zone_countries()
    if name in countries:
        return countries[name]
    return countries.get(os.path.realpath(Path(folder) / name)) if folder and name else None
