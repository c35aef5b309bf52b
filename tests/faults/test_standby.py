"""A laptop dies mid-race: a standby restores the replica Litestream kept, on the same address, and carries on.

Servers here run as scripts/run runs them with REPLICA or --restore-from (`python -m queue_app.standby`), in
their own process group, so a pulled plug kills the server and its Litestream together.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from queue_app.replica import litestream
from tests.support.clients import Listener
from tests.support.clients import Organiser
from tests.support.clients import Staff
from tests.support.clients import join
from tests.support.faults import audit_paths
from tests.support.faults import query
from tests.support.server import ROOT
from tests.support.server import ServerProcess
from tests.support.server import free_port

LEASE = "3"  # seconds; 30 on a real day, shortened so the takeover test waits out a dead laptop's lease quickly
STEADY_LEASE = "12"
BANNER = 'id="replication-stopped"'


class ReplicatedServer(ServerProcess):
    """The server with Litestream beside it, as `scripts/run` starts it; secrets kept in its instance folder."""

    def __init__(self, folder, replica, port=None, restore=False, lease=LEASE):
        super().__init__(folder, port=port, env={"SECRET_KEY": "", "LEASE_SECONDS": lease,
                                                 "REPLICA": "" if restore else str(replica)})
        self.args = ["--restore-from", str(replica)] if restore else []

    def launch(self):
        """Start the supervisor in a process group of its own."""
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([sys.executable, "-m", "queue_app.standby", *self.args], cwd=ROOT,
                                        env=self.env(), stdout=log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    def kill(self):
        """SIGKILL the server, Litestream and the supervisor at once, as a dead battery would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def standby(folder, replica, env=None):
    """Run `--restore-from replica` in `folder` until it exits (a refusal); (return code, what it printed)."""
    probe = ServerProcess(folder, env=dict({"SECRET_KEY": "", "LEASE_SECONDS": LEASE}, **(env or {})))
    done = subprocess.run([sys.executable, "-m", "queue_app.standby", "--restore-from", str(replica)], cwd=ROOT,
                          env=probe.env(), capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def replica_version(replica, scratch):
    """The demo event's version in the replica as it stands now (restored into `scratch`), or None."""
    target = scratch / f"probe-{time.monotonic_ns()}.db"
    done = subprocess.run([litestream(), "restore", "-o", str(target),
                           f"file://{replica / 'queue'}"], capture_output=True)
    if done.returncode != 0:
        return None
    try:
        return query(target, "SELECT version FROM events WHERE slug = 'demo'")[0][0]
    except (sqlite3.Error, IndexError):
        return None
    finally:
        for path in scratch.glob(f"{target.name}*"):
            path.unlink()


def start_primary(tmp_path, replica=None, lease=LEASE):
    """A started server replicating to `replica` (tmp_path/replica unless given)."""
    process = ReplicatedServer(tmp_path / "first", replica or tmp_path / "replica", lease=lease)
    process.folder.mkdir()
    process.start()
    return process


@pytest.fixture
def primary(tmp_path):
    """A server replicating to tmp_path/replica, with a 3 s lease."""
    process = start_primary(tmp_path)
    yield process
    process.stop()


@pytest.fixture
def steady(tmp_path):
    """A server replicating to a small disk of its own (a tmpfs, where the tests run as root; else a folder),
    with a 12 s lease renewed every 2 s: a busy machine's pauses never make it look dead to a watching standby.
    Yields the server, its replica folder, and the disk's folder (None without a disk of its own)."""
    disk = tmp_path / "stick"
    disk.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)],
                                                   capture_output=True).returncode == 0
    process = start_primary(tmp_path, disk / "replica", lease=STEADY_LEASE)
    try:
        yield process, disk / "replica", disk if mounted else None
    finally:
        process.stop()
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def dashboard_says_stopped(organiser, shown):
    """Wait until the dashboard shows (or no longer shows) the replication line."""
    deadline = time.monotonic() + 20
    while (BANNER in organiser.http.get(f"{organiser.base_url}/e/demo/dashboard", timeout=10).text) != shown:
        assert time.monotonic() < deadline, f"the dashboard's replication line never became {shown}"
        time.sleep(0.3)


def fill(disk):
    """Fill the disk to the last byte, as a USB stick full of photos would be; returns the filler file."""
    filler = disk / "photos.bin"
    # Unbuffered: the write that finds the disk full raises here, and closing has nothing left to flush (a buffered
    # file raised ENOSPC again from its close, outside the try).
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
        except OSError:
            pass
    return filler


def test_a_standby_restored_from_the_replica_serves_every_phone_and_tablet_as_before(primary, tmp_path):
    """Proves: after SIGKILL of the server and its Litestream and the loss of its database file, a standby
    restored from the replica on the same port gives every runner's phone its place or call again, the tablets'
    sign-ins still work (the secret key travelled) and the audit log is the same, row for row."""
    replica = tmp_path / "replica"
    runners = [join(primary.url, bib, f"R{bib}").json() for bib in range(101, 121)]
    staff = Staff(primary.url)
    for table in range(1, 6):
        assert staff.act(table, "call-next").json()["ticket"]["status"] == "called"
    written = time.monotonic()
    (version,) = query(primary.database, "SELECT version FROM events WHERE slug = 'demo'")[0]
    while (replica_version(replica, tmp_path) or 0) < version:
        time.sleep(0.05)
    behind = time.monotonic() - written
    phones = [Listener(primary.url, {"ticket": runner["token"]}) for runner in runners]
    before = [phone.next("snapshot")["ticket"] for phone in phones]
    assert sorted(t["status"] for t in before).count("called") == 5
    tablet = staff.listen()
    tablet.next("snapshot")

    audit = query(primary.database, "SELECT ticket_id, from_status, to_status, version FROM ticket_events "
                                    "ORDER BY id")

    primary.kill()
    died = time.monotonic()
    for path in primary.database.parent.glob("queue.db*"):
        path.unlink()
    second = ReplicatedServer(tmp_path / "second", replica, port=primary.port, restore=True)
    second.folder.mkdir()
    second.start()
    try:
        after = [phone.next("snapshot", timeout=30)["ticket"] for phone in phones]
        took = time.monotonic() - died
        print(f"\nreplica behind by at most {behind:.2f} s (last write to restorable, probed by litestream "
              f"restore); takeover {took:.1f} s (kill to every phone's snapshot, lease {LEASE} s)")
        for old, new in zip(before, after, strict=True):
            assert (new["number"], new["status"], new["place"], new.get("table")) == \
                   (old["number"], old["status"], old["place"], old.get("table"))
        assert tablet.next("snapshot", timeout=30)["staff"]["version"] == version
        assert staff.act(6, "call-next").json()["ticket"]["number"] == before[5]["number"]
        assert query(second.database, "SELECT ticket_id, from_status, to_status, version FROM ticket_events "
                                      "ORDER BY id")[:len(audit)] == audit
        assert len(audit_paths(second.database)) == 20
        join(second.url, 121)
        (now,) = query(second.database, "SELECT version FROM events WHERE slug = 'demo'")[0]
        deadline = time.monotonic() + 20
        while (replica_version(replica, tmp_path) or 0) < now:
            assert time.monotonic() < deadline, "the standby does not replicate:\n" + second.log()
            time.sleep(0.1)
    finally:
        for listener in phones + [tablet]:
            listener.close()
        second.stop()


def test_a_standby_refuses_an_empty_replica_and_creates_nothing(tmp_path):
    """Proves: restoring from an empty folder is refused with a sentence, and no database appears."""
    (tmp_path / "empty").mkdir()
    code, said = standby(tmp_path, tmp_path / "empty")
    assert code == 2 and "is empty" in said
    assert not (tmp_path / "queue.db").exists()


def test_a_standby_refuses_another_apps_replica(tmp_path):
    """Proves: a Litestream replica of some other SQLite database is refused, and nothing is restored."""
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE notes (body TEXT)")
    connection.close()
    subprocess.run([litestream(), "replicate", "-once", str(other),
                    f"file://{tmp_path / 'foreign'}"], check=True, capture_output=True, timeout=30)
    code, said = standby(tmp_path, tmp_path / "foreign")
    assert code == 2 and "not a replica of this app" in said
    assert not (tmp_path / "queue.db").exists()


def test_a_standby_never_overwrites_a_database_already_in_its_folder(tmp_path):
    """Proves: with a database file already there, the restore is refused and the file is left byte for byte."""
    folder = tmp_path / "standby"
    folder.mkdir()
    (folder / "queue.db").write_bytes(b"yesterday's race")
    code, said = standby(folder, tmp_path / "any-replica")
    assert code == 2 and "move it aside" in said
    assert (folder / "queue.db").read_bytes() == b"yesterday's race"


def test_a_second_laptop_refuses_a_served_replica_and_the_dashboard_says_when_the_copy_stops(steady, tmp_path):
    """Proves: while the first laptop renews its lease, a standby restoring the same replica refuses and restores
    nothing; with the replica's disk full, the organiser's dashboard says the backup copy stopped, and says so no
    more once there is room again; with the replica folder removed (a pulled USB stick), it says so again; and
    runners join all along."""
    primary, replica, disk = steady
    folder = tmp_path / "second"
    folder.mkdir()
    code, said = standby(folder, replica, env={"PORT": str(free_port()), "LEASE_SECONDS": STEADY_LEASE})
    assert code == 2 and "is serving this replica now" in said
    assert not (folder / "queue.db").exists()
    assert join(primary.url, 7).status_code == 201

    organiser = Organiser(primary.url)
    dashboard_says_stopped(organiser, False)
    if disk is not None:
        filler = fill(disk)
        for bib in range(200, 210):
            assert join(primary.url, bib).status_code == 201
        dashboard_says_stopped(organiser, True)
        filler.unlink()
        dashboard_says_stopped(organiser, False)
    subprocess.run(["rm", "-rf", str(replica)], check=True)
    dashboard_says_stopped(organiser, True)
    assert join(primary.url, 8).status_code == 201
