"""How many connections the server holds, and what it does past that: it raises its own open-files limit as far
as the system lets it, keeps its connection cap below that limit (leaving room for the database, Redis, logs and
static files), caps the connections of any one client address, and when `accept` finds no file descriptor left
it turns that one connection away and goes on, instead of exiting.
"""

import errno
import logging
import os
import resource
import time
from collections import Counter

log = logging.getLogger(__name__)

# eventlet's defaults (1,024 connections) turn phones away on race day; past this, add processes (docs/scaling.md).
MAX_CONNECTIONS = 20_000
# Descriptors kept for everything but clients: SQLite's files per pooled connection, Redis, logs, static files,
# DNS lookups for pushes and texts.
RESERVED_FILES = 128
# With no hard limit, this many (Linux's default nr_open); macOS takes no more than OPEN_MAX.
UNLIMITED_FILES = 1_048_576
MACOS_OPEN_MAX = 10_240
OUT_OF_FILES = {errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM}
# A connection that went away while it waited to be accepted: nothing to do but take the next.
GONE_BEFORE_ACCEPT = {errno.ECONNABORTED, errno.ECONNRESET, errno.EPROTO, errno.EPERM}
BACK_OFF_SECONDS = 0.1
LOG_EVERY_SECONDS = 10


def raise_open_files_limit():
    """Raise this process's soft open-files limit to its hard one (as far as the system allows); the soft limit
    now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = UNLIMITED_FILES if hard == resource.RLIM_INFINITY else hard
    for target in (wanted, min(wanted, MACOS_OPEN_MAX)):
        if soft != resource.RLIM_INFINITY and soft < target:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
                break
            except (ValueError, OSError):
                continue
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return UNLIMITED_FILES if soft == resource.RLIM_INFINITY else soft


def connection_capacity(open_files, most=MAX_CONNECTIONS):
    """How many client connections fit in `open_files` descriptors, leaving room for everything else."""
    reserve = max(RESERVED_FILES, open_files // 10)
    return max(min(most, open_files - reserve), min(most, max(open_files // 2, 1)))


def per_address_cap(configured, capacity, behind_proxies):
    """The most connections one client address may hold: as configured, else half the capacity (a tent's Wi-Fi
    puts many phones behind one address); None behind trusted proxies unless configured (every connection comes
    from the proxy, which caps its own)."""
    if configured:
        return configured
    return None if behind_proxies else max(capacity // 2, 1)


class Admission:
    """Connections open per client address, each address up to `per_address` (None: no cap)."""

    def __init__(self, per_address):
        self.per_address = per_address
        self.open = Counter()
        self.last_logged = 0.0

    def enter(self, address):
        """Count a new connection from `address`; False (and nothing counted) if it already holds its share."""
        if self.per_address is not None and self.open[address] >= self.per_address:
            if time.monotonic() - self.last_logged > LOG_EVERY_SECONDS:
                self.last_logged = time.monotonic()
                log.warning("%s holds %s connections, the most one address may: closing its new ones", address,
                            self.per_address)
            return False
        self.open[address] += 1
        return True

    def leave(self, address):
        """A connection from `address` closed."""
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]


def client_host(address):
    """The host part of a socket's peer address (a unix socket's is all of it)."""
    return address[0] if isinstance(address, tuple) else address


class SheddingListener:
    """A listening socket whose `accept` never raises for want of descriptors: it frees a spare one, accepts and
    closes the waiting connection (that phone retries), logs, and backs off briefly; everything else is the
    socket's own."""

    def __init__(self, sock, sleep=time.sleep):
        self._sock = sock
        self._sleep = sleep
        self._spare = _spare_descriptor()
        self._last_logged = 0.0
        self.shed = 0

    def accept(self):
        """The next connection, as the socket's `accept` gives it."""
        while True:
            try:
                return self._sock.accept()
            except OSError as error:
                if error.errno in OUT_OF_FILES:
                    self._shed_one(error)
                elif error.errno not in GONE_BEFORE_ACCEPT:
                    raise

    def _shed_one(self, error):
        """Turn the waiting connection away with the spare descriptor, then wait a moment."""
        self.shed += 1
        if time.monotonic() - self._last_logged > LOG_EVERY_SECONDS:
            self._last_logged = time.monotonic()
            log.warning("no file descriptor left (%s): closing new connections (%s so far)", error.strerror,
                        self.shed)
        if self._spare is not None:
            os.close(self._spare)
            self._spare = None
        raw = getattr(self._sock, "fd", self._sock)  # eventlet's green socket wraps a non-blocking one
        try:
            connection, _ = raw.accept()
            connection.close()
        except OSError:
            pass
        self._spare = _spare_descriptor()
        self._sleep(BACK_OFF_SECONDS)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def _spare_descriptor():
    """A descriptor held only to be given up when the process has no other left, or None if none is free."""
    try:
        return os.open(os.devnull, os.O_RDONLY)
    except OSError:
        return None
