"""A PostgreSQL cluster and a Redis server of the test's own, which it may stop, start and restart.

The machine's shared PostgreSQL and Redis serve every other test running at the same time; restarting those would
fail them. These are the same programs, started the same way (pg_ctlcluster, redis-server as scripts/test does), on
ports of their own.
"""

import os
import secrets
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import redis

from tests.support.server import free_port


def as_root(*command):
    """Run a command as root (sudo when the tests are not root), failing loudly."""
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=60)


class PrivateCluster:
    """A PostgreSQL cluster made for one test module (pg_createcluster), trusting local connections."""

    def __init__(self):
        self.version = sorted(os.listdir("/etc/postgresql"))[0]
        self.name = f"queue_restart_{secrets.token_hex(3)}"
        self.port = free_port()
        self.admin_url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def ctl(self, action, *options):
        """pg_ctlcluster <version> <name> <action>: start, stop or restart the cluster."""
        as_root("pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action, *options)

    def create(self):
        """Make the cluster and start it."""
        as_root("pg_createcluster", self.version, self.name, "-p", str(self.port), "--", "--auth=trust")
        self.ctl("start")

    def drop(self):
        """Stop the cluster and delete it."""
        subprocess.run([*([] if os.geteuid() == 0 else ["sudo", "-n"]), "pg_dropcluster", "--stop", self.version,
                        self.name], capture_output=True, timeout=60)

    def answers(self):
        """True if the cluster takes connections."""
        try:
            psycopg2.connect(self.admin_url, connect_timeout=2).close()
        except psycopg2.OperationalError:
            return False
        return True

    def new_database(self):
        """A new empty database in the cluster; its URL."""
        name = f"queue_test_{secrets.token_hex(4)}"
        connection = psycopg2.connect(self.admin_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        connection.close()
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def private_cluster():
    """A fresh PostgreSQL cluster on a port of its own, dropped afterwards."""
    cluster = PrivateCluster()
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.drop()


class PrivateRedis:
    """A redis-server on a port of its own, started as scripts/test starts the shared one."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        """Start it and wait until it answers PING."""
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", str(self.port),
                        "--save", "", "--appendonly", "no", "--dir", str(self.folder),
                        "--logfile", str(self.folder / "redis.log")], check=True, timeout=30)
        self.wait(up=True)

    def shutdown(self):
        """`redis-cli shutdown nosave`, and wait until it is gone."""
        subprocess.run(["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, timeout=30)
        self.wait(up=False)

    def answers(self):
        """True if it answers PING."""
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.RedisError:
            return False

    def wait(self, up, timeout=20):
        """Wait until it answers (up) or stops answering."""
        deadline = time.monotonic() + timeout
        while self.answers() != up:
            assert time.monotonic() < deadline, f"redis on {self.port} did not {'start' if up else 'stop'}"
            time.sleep(0.05)


@contextmanager
def private_redis(folder):
    """A fresh Redis on a port of its own, shut down afterwards."""
    server = PrivateRedis(folder)
    server.start()
    try:
        yield server
    finally:
        server.shutdown()
