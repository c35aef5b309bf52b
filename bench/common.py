"""What every benchmark shares: servers on 127.0.0.1, seeding tickets, Node clients, process samples, figures."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))

from tests.support.server import PIN  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

NODE = os.environ.get("NODE", "node")
SHARED_MACHINE = ("Shared 2-core machine: other engineers ran tests at the same time; "
                  "read medians and ratios, not single figures.")


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(values):
    """p50, p99 and max of a list of milliseconds, rounded for printing."""
    if not values:
        return {"n": 0, "p50": None, "p99": None, "max": None}
    return {"n": len(values), "p50": round(statistics.median(values), 1), "p99": round(percentile(values, 0.99), 1),
            "max": round(max(values), 1)}


def seed_tickets(database_url, count, tables=6, service="pre"):
    """Create the demo event and `count` waiting tickets through the real services; returns their tokens."""
    code = (
        "import json, sys\n"
        "from datetime import datetime\n"
        "from queue_app import create_app\n"
        "from queue_app.actions import organiser, runner, setup\n"
        f"app = create_app({{'DATABASE_URL': {database_url!r}, 'ASYNC_MODE': 'threading', 'SECRET_KEY': 'bench'}})\n"
        "now = datetime(2026, 5, 3, 7, 0)\n"
        "tokens = []\n"
        "with app.app_context():\n"
        f"    setup.ensure_demo({PIN!r}, now)\n"
        f"    for bib in range(1, {count} + 1):\n"
        "        data = {'bib': str(bib), 'first_name': 'Runner', 'service': " + repr(service) + ",\n"
        "                'screening': {'unwell': False, 'injury': False, 'medical_condition': False}}\n"
        "        tokens.append(runner.join('demo', data, now)['ticket']['token'])\n"
        f"    extra = {tables} - 6\n"
        "    for number in range(7, 7 + max(0, extra)):\n"
        "        organiser.add_table('demo', number, ['pre', 'post'], now)\n"
        "json.dump(tokens, sys.stdout)\n"
    )
    # A child process: the app binds one database per process, and the bench itself stays free of it.
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                         env={**os.environ, "INSTANCE_PATH": tempfile.mkdtemp(prefix="bench-seed-")})
    return json.loads(out.stdout)


def make_server(folder, async_mode, env=None):
    """A server process (not started yet) on a free 127.0.0.1 port under `async_mode`, its SQLite file in `folder`."""
    return ServerProcess(folder, env={"ASYNC_MODE": async_mode, "RATE_LIMITS": "off", **(env or {})})


def start_with_phones(target, phones, async_mode, prefix):
    """Start ours (with `phones` waiting tickets) or the floor; (server, one auth per phone)."""
    server = make_server(tempfile.mkdtemp(prefix=f"{prefix}-{target}-"), async_mode)
    if target == "ours":
        auths = [{"ticket": token} for token in seed_tickets(database_url(server), phones)]
        launch(server)
    else:
        auths = [{} for _ in range(phones)]
        launch(server, BENCH / "floor_server.py")
    return server, auths


def database_url(server):
    """The SQLAlchemy URL the server will use."""
    return server.env()["DATABASE_URL"]


def launch(server, script="wsgi.py"):
    """Start `python <script>` (wsgi.py, or a bench server) with the server's environment; wait until it answers."""
    if script == "wsgi.py":
        server.start(timeout=60)
        return server
    import requests

    log = open(server.log_path, "a")
    server.process = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=server.env(), stdout=log,
                                      stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            if requests.get(server.url + "/", timeout=1).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError(f"{script} did not answer:\n{server.log()}")


class Sampler:
    """Samples a process's memory and CPU every `every` seconds in a thread, until stopped."""

    def __init__(self, pid, every=0.5):
        self.process = psutil.Process(pid)
        self.every = every
        self.peak_rss = 0
        self.cpu_start = self.cpu_seconds()
        self.wall_start = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def cpu_seconds(self):
        """User plus system CPU seconds the process has used so far."""
        times = self.process.cpu_times()
        return times.user + times.system

    def rss(self):
        """Resident memory now, in bytes."""
        return self.process.memory_info().rss

    def _run(self):
        while not self._stop.wait(self.every):
            try:
                self.peak_rss = max(self.peak_rss, self.rss())
            except psutil.NoSuchProcess:
                return

    def stop(self):
        """Stop sampling; returns peak RSS (MiB), CPU seconds and mean CPU use (% of one core)."""
        self._stop.set()
        self._thread.join()
        cpu = self.cpu_seconds() - self.cpu_start
        wall = time.monotonic() - self.wall_start
        return {"peak_rss_mib": round(self.peak_rss / 2**20, 1), "cpu_s": round(cpu, 2),
                "cpu_pct_of_one_core": round(100 * cpu / wall, 1), "wall_s": round(wall, 1)}


class NodeClients:
    """A Node process running one of the bench/*.js client scripts, spoken to by JSON lines."""

    def __init__(self, script, config, cores=None):
        # A file, not an argument: 5,000 tokens pass the kernel's limit on one argument.
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", prefix="bench-clients-", delete=False)
        with handle:
            json.dump(config, handle)
        # `cores` ("1"): the clients and all their threads stay on those CPUs (taskset), off the server's.
        pinned = ["taskset", "-c", cores] if cores else []
        self.process = subprocess.Popen([*pinned, NODE, str(BENCH / script), handle.name], cwd=BENCH,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def read(self, expected, timeout=600):
        """The next message of type `expected` (other lines are progress and are echoed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the Node client exited before sending {expected!r}")
            message = json.loads(line)
            if message.get("type") == expected:
                return message
            print("   ", message, flush=True)
        raise RuntimeError(f"no {expected!r} from the Node client within {timeout}s")

    def send(self, command):
        """Tell the clients what to do next."""
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def close(self):
        """Let the Node process end, or end it."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=30)
        except (subprocess.TimeoutExpired, BrokenPipeError):
            self.process.kill()
            self.process.wait()


def pin(pid, cores):
    """Keep process `pid` and every thread it has on CPUs `cores` ("0")."""
    subprocess.run(["taskset", "-a", "-pc", cores, str(pid)], check=True, capture_output=True)


def conditions(**values):
    """One line saying under what conditions the figures were taken."""
    cpu = psutil.cpu_count()
    load = os.getloadavg()
    parts = [f"{key}={value}" for key, value in values.items()]
    return f"conditions: {', '.join(parts)}; cores={cpu}; load average at start={load[0]:.2f}. {SHARED_MACHINE}"
