"""The one place the app reads the wall clock; everything below the views takes time as a parameter."""

from datetime import UTC
from datetime import datetime


def now():
    """The current time in UTC, without tzinfo, as the database stores it."""
    return datetime.now(UTC).replace(tzinfo=None)


def local_time():
    """The wall-clock time of day where the server stands, for services' opening hours."""
    return datetime.now().time()
