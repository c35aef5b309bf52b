"""Times as they leave the server: the database keeps naive UTC, every answer says so with a `Z`; what people read
as a clock time (opening hours, the charts' marks, the export) is in the event's own time zone, given as a tzinfo."""

from datetime import UTC
from datetime import datetime


def utc_iso(moment):
    """A stored (naive UTC) timestamp as ISO 8601 text with its zone, e.g. 2026-05-03T08:00:00Z; None stays None."""
    return moment.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z") if moment else None


def from_utc_iso(text):
    """ISO 8601 text in UTC (as `utc_iso` writes it) as a stored (naive UTC) timestamp; None stays None."""
    return datetime.fromisoformat(text).astimezone(UTC).replace(tzinfo=None) if text else None


def hhmm(moment):
    """A time of day as HH:MM, or None."""
    return moment.strftime("%H:%M") if moment else None


def local(moment, zone):
    """A stored (naive UTC) timestamp as the wall-clock time in `zone`, without tzinfo; None stays None."""
    return moment.replace(tzinfo=UTC).astimezone(zone).replace(tzinfo=None) if moment else None


def utc(moment, zone):
    """A wall-clock time in `zone` (naive) as the stored naive UTC timestamp; the inverse of `local`."""
    return moment.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def local_text(moment, zone):
    """A stored timestamp as a spreadsheet reads a date and time, in `zone`: 2026-05-03 10:00:00; None stays None."""
    return local(moment, zone).strftime("%Y-%m-%d %H:%M:%S") if moment else None
