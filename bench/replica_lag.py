"""How far behind the replica is: a join's answer, then how long until a restore of the replica holds it.

`python bench/replica_lag.py [--joins 12] [--sync-interval 1s]` starts the server as `REPLICA=… scripts/run`
does (queue_app.standby), joins one runner every 1.3 s (so the joins fall at every point of Litestream's sync
cycle), and after each polls `litestream restore` of the replica until it holds the join. The floor is the same
probe on a replica already caught up: what a probe costs, not what replication does.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.faults.test_standby import replica_version  # noqa: E402
from tests.support.clients import join  # noqa: E402
from tests.support.faults import query  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402


def main():
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joins", type=int, default=12)
    parser.add_argument("--sync-interval", default="1s")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} at start; sync-interval {args.sync_interval}")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        server = ServerProcess(scratch, env={"SECRET_KEY": "", "REPLICA": str(scratch / "replica"),
                                             "REPLICA_SYNC_INTERVAL": args.sync_interval})
        log = open(server.log_path, "a")
        server.process = subprocess.Popen([sys.executable, "-m", "queue_app.standby"], cwd=ROOT, env=server.env(),
                                          stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            server.wait_until_up(60)
            lags, floors = [], []
            for bib in range(1, args.joins + 1):
                assert join(server.url, bib).status_code == 201
                answered = time.monotonic()
                (version,) = query(server.database, "SELECT version FROM events WHERE slug = 'demo'")[0]
                while (replica_version(scratch / "replica", scratch) or 0) < version:
                    pass
                lags.append(time.monotonic() - answered)
                probe = time.monotonic()
                replica_version(scratch / "replica", scratch)
                floors.append(time.monotonic() - probe)
                time.sleep(1.3)
        finally:
            os.killpg(server.process.pid, signal.SIGTERM)
            server.process.wait()
    print(f"behind (join answered -> restorable): median {statistics.median(lags):.2f} s, "
          f"max {max(lags):.2f} s over {len(lags)} joins")
    print(f"floor (one restore probe, caught up): median {statistics.median(floors):.2f} s, max {max(floors):.2f} s")


if __name__ == "__main__":
    main()
