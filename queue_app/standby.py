"""`scripts/run` with REPLICA set, or `--restore-from`: the server with Litestream beside it, holding the lease.

Run as `python -m queue_app.standby [--restore-from REPLICA]`. It takes the replica's lease, restores first if
asked, starts `python wsgi.py`, starts Litestream once the database exists, and then every few seconds renews
the lease, re-packs the secrets and records for the dashboard whether replication still works.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from . import replica as rep

ROOT = Path(__file__).resolve().parents[1]


def instance_folder():
    """The app's instance folder, as create_app finds it."""
    return Path(os.environ.get("INSTANCE_PATH") or ROOT / "instance").resolve()


def database_file(instance):
    """The SQLite file the app uses; refuse a server database, which Litestream cannot replicate."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'queue.db'}"
    if not url.startswith("sqlite:///"):
        raise rep.Refused("REPLICA is for the embedded SQLite database; PostgreSQL has its own (docs/scaling.md)")
    return Path(url.removeprefix("sqlite:///")).resolve()


class Supervisor:
    """The server and Litestream as child processes, and the checks that keep the dashboard told."""

    def __init__(self, replica, instance, database, lease):
        self.replica, self.instance, self.database = replica, instance, database
        self.lease = lease
        self.server = self.litestream = None
        self.log_offset = 0
        self.log_path = instance / "litestream.log"

    def start_server(self):
        """`python wsgi.py` with the same environment."""
        self.server = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT)

    def start_litestream(self):
        """`litestream replicate` with the instance folder's config, its output kept for the checks."""
        rep.pack_secrets(self.instance)
        config = rep.write_config(self.instance, self.database, self.replica)
        log = open(self.log_path, "a")
        self.log_offset = self.log_path.stat().st_size
        self.litestream = subprocess.Popen([rep.litestream(), "replicate", "-config", str(config)],
                                           stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def check(self):
        """One round: renew the lease, keep Litestream running, and say what is wrong (empty if nothing)."""
        problems = []
        if self.lease:
            problems += self._check_folder()
        if self.litestream.poll() is not None:
            problems.append("Litestream stopped; starting it again")
            self.start_litestream()
        elif self._new_errors():
            problems.append("Litestream reports errors (see litestream.log)")
        else:
            rep.pack_secrets(self.instance)  # a secret made or changed since the last round goes along
        return "; ".join(problems)

    def _check_folder(self):
        """The folder replica is still there, still ours, and takes the lease's heartbeat."""
        lease_file, me = self.lease
        if not (lease_file.parent / rep.MARKER).exists():
            return [f"the replica {lease_file.parent} is gone (USB stick removed?)"]
        if not rep.still_ours(lease_file, me):
            return ["another laptop took this replica's lease"]
        try:
            rep.renew_lease(lease_file, me)
        except OSError as error:
            return [f"the replica cannot be written: {error}"]
        return []

    def _new_errors(self):
        """True if Litestream logged an error since the last round."""
        with open(self.log_path, "rb") as log:
            log.seek(self.log_offset)
            fresh = log.read()
        self.log_offset += len(fresh)
        return b"level=ERROR" in fresh

    def run(self):
        """Serve until the server exits; then stop Litestream after its last sync and hand the lease back."""
        signal.signal(signal.SIGTERM, lambda *_: self.server.terminate())
        signal.signal(signal.SIGINT, lambda *_: self.server.terminate())
        self.start_server()
        while not self.database.exists() and self.server.poll() is None:
            time.sleep(0.1)
        if self.server.poll() is None:
            self.start_litestream()
        every = min(5.0, max(0.5, rep.lease_seconds() / 6))
        while self.server.poll() is None:
            problem = self.check()
            rep.write_status(self.instance, not problem, problem)
            if problem:
                print(f"Replication: {problem}", file=sys.stderr, flush=True)
            time.sleep(every)
        return self.stop()

    def stop(self):
        """Stop Litestream (it syncs before it exits), release the lease, forget the status."""
        if self.litestream and self.litestream.poll() is None:
            self.litestream.terminate()
            try:
                self.litestream.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.litestream.kill()
        if self.lease and rep.still_ours(*self.lease):
            self.lease[0].unlink()
        (self.instance / rep.STATUS_FILE).unlink(missing_ok=True)
        return self.server.returncode


def prepare(replica, instance, database, restore_from):
    """Take the lease, restore if asked, check the replica is this database's: the lease, or refuse."""
    instance.mkdir(parents=True, exist_ok=True)
    if restore_from:
        rep.check_restorable(replica, database)
    else:
        rep.check_marker(replica, instance)
    try:
        lease = rep.take_lease(replica, instance)
    except OSError as error:
        raise rep.Refused(f"the replica cannot be written: {error}") from error
    try:
        if restore_from:
            rep.restore(replica, instance, database)
            rep.check_marker(replica, instance)
    except BaseException:
        if lease and rep.still_ours(*lease):
            lease[0].unlink()
        raise
    return lease


def main(argv=None):
    """Parse the arguments, refuse what is unsafe with one sentence, and serve with replication."""
    parser = argparse.ArgumentParser(prog="scripts/run", description=__doc__.splitlines()[0])
    parser.add_argument("--restore-from", metavar="REPLICA", help="restore this replica, then serve it")
    args = parser.parse_args(argv)
    replica = args.restore_from or os.environ.get("REPLICA")
    if not replica:
        parser.error("set REPLICA or give --restore-from")
    instance = instance_folder()
    try:
        database = database_file(instance)
        lease = prepare(replica, instance, database, args.restore_from)
    except rep.Refused as refusal:
        print(f"Refusing to start: {refusal}", file=sys.stderr, flush=True)
        return 2
    print(f"  Replica:          {replica} (every {rep.sync_interval()})", flush=True)
    return Supervisor(replica, instance, database, lease).run()


if __name__ == "__main__":
    sys.exit(main())
