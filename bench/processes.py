"""Several processes (issue 26): do two processes on PostgreSQL and Redis behind nginx hold twice one process's
phones at the same reconnect time?

    .venv/bin/python bench/processes.py [--phones 2000] [--calls 3]

Runs, one after the other, on one fresh PostgreSQL database and a private Redis channel each: one server process
behind nginx with N phones, then two processes behind nginx (round robin) with 2N phones. Each phone holds its own
ticket; all connect, all drop and come back at once saying their version, then a table calls `--calls` times
through nginx (the call reaches the other process's phones through Redis). Prints, for both: seconds to connect
everyone, seconds until everyone is back, each server's CPU seconds while they came back, a call's time to the
last phone, phones dropped, what Redis and PostgreSQL carried (messages and bytes published per call; transactions
and rows read per phone back and per call, from pg_stat_database, read after the seeding, when only the servers
use the database), and the load average.

Keeping it fair on a 2-core machine: every server process is pinned to a core of its own (taskset: the one process
on CPU 0; the two on CPUs 0 and 1) and the Node clients to CPU 1. So the one process has a core to itself, while
the second of the two shares its core with the clients, which hold twice as many phones: the two-process figures
are the pessimistic side. nginx, Redis and PostgreSQL are not pinned (they take little: printed beside). So the
wall times say what this machine holds, and the CPU each server spent while the phones came back says what a core
per process would: if the busiest of two spends what the one did, twice the phones come back in the same time.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psutil
import psycopg2
import redis
import requests
from common import PIN
from common import ROOT
from common import NodeClients
from common import conditions
from common import pin
from common import seed_tickets

from tests.support.scaled import REDIS_URL
from tests.support.scaled import fresh_postgres_database
from tests.support.scaled import redis_is_up
from tests.support.server import ServerProcess
from tests.support.server import free_port

STATS_SETTLE_S = 11  # PostgreSQL 15 flushes an idle connection's statistics after 10 s

NGINX_CONF = """
worker_processes 1;
worker_rlimit_nofile 65536;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 30000; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    upstream tent {{ {servers} }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://tent;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 120s;
        }}
    }}
}}
"""


def start_nginx(folder, addresses):
    """nginx on a free port in front of `addresses`; (process, its URL)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    folder.mkdir()
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(folder=folder, port=port,
                                      servers=" ".join(f"server {a};" for a in addresses)))
    process = subprocess.Popen([nginx, "-p", str(folder), "-c", str(conf)], stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.1)
    return process, url


class RedisTraffic:
    """What the servers publish on their Redis channel, counted per phase (messages and bytes)."""

    def __init__(self, channel):
        self.phase, self.counts = None, {}
        self._pubsub = redis.Redis.from_url(REDIS_URL, protocol=2).pubsub(ignore_subscribe_messages=True)
        self._pubsub.subscribe(channel)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._count, daemon=True)
        self._thread.start()

    def _count(self):
        while not self._stop.is_set():
            message = self._pubsub.get_message(timeout=0.2)
            if message is not None and self.phase is not None:
                counted = self.counts.setdefault(self.phase, [0, 0])
                counted[0] += 1
                counted[1] += len(message["data"])

    def close(self):
        """Stop counting."""
        self._stop.set()
        self._thread.join(timeout=5)
        self._pubsub.close()


def postgres_figures(url):
    """The database's transactions and rows read so far (pg_stat_database: see STATS_SETTLE_S)."""
    connection = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT xact_commit + xact_rollback, tup_returned + tup_fetched FROM pg_stat_database "
                           "WHERE datname = current_database()")
            return cursor.fetchone()
    finally:
        connection.close()


def between(before, after, idle_per_s=(0, 0), seconds=0):
    """Transactions and rows read between two readings of postgres_figures, less the earlier reading's own
    transaction and the idle rate over `seconds`."""
    return (max(0, after[0] - before[0] - 1 - idle_per_s[0] * seconds),
            max(0, after[1] - before[1] - idle_per_s[1] * seconds))


def run(count, phones, calls):
    """`count` processes behind nginx with `phones` phones: the figures of connect, reconnect and calls."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-processes-{count}-"))
    channel = f"bench-{secrets.token_hex(6)}"
    with fresh_postgres_database() as url:
        tokens = seed_tickets(url, phones)
        nginx_port_folder = folder / "nginx"
        servers = [ServerProcess(folder, env={"DATABASE_URL": url, "SOCKETIO_MESSAGE_QUEUE": REDIS_URL,
                                              "SOCKETIO_CHANNEL": channel, "ASYNC_MODE": "eventlet",
                                              "TRUSTED_PROXIES": "1"}) for _ in range(count)]
        nginx = None
        try:
            for server in servers:
                server.start(timeout=60)
            for core, server in enumerate(servers):
                pin(server.process.pid, str(core))
            nginx, public = start_nginx(nginx_port_folder, [s.url.removeprefix("http://") for s in servers])
            cpu = [psutil.Process(s.process.pid) for s in servers]
            before = [sum(p.cpu_times()[:2]) for p in cpu]
            clients = NodeClients("phones.js", {"url": public, "auths": [{"ticket": t} for t in tokens],
                                                "event": "board", "trigger": "ours", "pin": PIN, "concurrency": 50,
                                                "wait_ms": 60000}, cores="1")
            ready = clients.read("ready", timeout=900)
            traffic = RedisTraffic(channel)
            # PostgreSQL counts a pooled connection's work when it has been idle STATS_SETTLE_S: each reading waits
            # that long after its phase, and the first two, with nothing happening between, give the idle rate
            # (the grace-time sweeps) that each phase's figure is corrected by.
            time.sleep(STATS_SETTLE_S)
            database = [postgres_figures(url)]
            time.sleep(STATS_SETTLE_S)
            database.append(postgres_figures(url))
            at_reconnect = [sum(p.cpu_times()[:2]) for p in cpu]
            traffic.phase = "reconnect"
            clients.send({"cmd": "reconnect"})
            back = clients.read("result", timeout=900)
            reconnect_cpu = [round(sum(p.cpu_times()[:2]) - b, 2) for p, b in zip(cpu, at_reconnect, strict=True)]
            time.sleep(STATS_SETTLE_S)
            database.append(postgres_figures(url))
            traffic.phase = "calls"
            clients.send({"cmd": "fire", "calls": calls, "pause_ms": 500})
            fired = clients.read("result", timeout=900)
            time.sleep(STATS_SETTLE_S)
            database.append(postgres_figures(url))
            traffic.close()
            clients.close()
            used = [round(sum(p.cpu_times()[:2]) - b, 1) for p, b in zip(cpu, before, strict=True)]
        finally:
            if nginx:
                nginx.terminate()
                nginx.wait(timeout=10)
            for server in servers:
                server.stop()
    lasts = [r["all_ms"] for r in fired["runs"] if r["all_ms"] is not None]
    # Each phase runs until its reading, STATS_SETTLE_S after it ends; the idle rate is taken off over that span.
    idle = [figure / STATS_SETTLE_S for figure in between(database[0], database[1])]
    reconnect = between(database[1], database[2], idle, back["seconds"] + STATS_SETTLE_S)
    calling = between(database[2], database[3], idle, calls * 0.5 + STATS_SETTLE_S)
    return {"processes": count, "phones": phones, "connected": ready["connected"],
            "connect_s": round(ready["connect_s"], 2), "reconnect_s": round(back["seconds"], 2), "back": back["back"],
            "snapshots_on_reconnect": back["snapshots"],
            "call_last_phone_ms": round(statistics.median(lasts), 1) if lasts else None,
            "missed": sum(r["missed"] for r in fired["runs"]), "drops": fired["drops"], "server_cpu_s": used,
            "reconnect_cpu_s": reconnect_cpu,
            # What the message queue and the database carried: per phone back, and per call (with its board delta).
            "redis_per_call": [round(n / calls, 1) for n in traffic.counts.get("calls", [0, 0])],
            "redis_on_reconnect": traffic.counts.get("reconnect", [0, 0]),
            "postgres_idle_transactions_per_s": round(idle[0], 1),
            "postgres_transactions_per_phone_back": round(reconnect[0] / phones, 3),
            "postgres_rows_read_per_phone_back": round(reconnect[1] / phones, 1),
            "postgres_transactions_per_call": round(calling[0] / calls, 1),
            "load_average": round(os.getloadavg()[0], 2)}


def main():
    """One process with N phones, then two with 2N; a line each and a table row."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=2000)
    parser.add_argument("--calls", type=int, default=3)
    args = parser.parse_args()
    assert redis_is_up(), f"Redis does not answer at {REDIS_URL}"
    print(conditions(bench="processes", async_mode="eventlet", database="PostgreSQL", message_queue="Redis",
                     proxy="nginx", pinning="servers on CPU 0 (and 1), Node clients on CPU 1"), flush=True)
    one = run(1, args.phones, args.calls)
    print(json.dumps(one), flush=True)
    two = run(2, 2 * args.phones, args.calls)
    print(json.dumps(two), flush=True)
    print("| processes | phones | connect all | reconnect all at once | server CPU while reconnecting | "
          "call to last phone | dropped | load |")
    for row in (one, two):
        cpu = " + ".join(f"{seconds} s" for seconds in row["reconnect_cpu_s"])
        print(f"| {row['processes']} | {row['phones']:,} | {row['connect_s']} s | {row['reconnect_s']} s | {cpu} | "
              f"{row['call_last_phone_ms']} ms | {row['drops']} | {row['load_average']} |")
    print(f"reconnect two/one: ×{two['reconnect_s'] / one['reconnect_s']:.2f} for twice the phones (wall time)")
    for row in (one, two):
        print(f"{row['processes']} process(es): Redis per call {row['redis_per_call'][0]} messages, "
              f"{row['redis_per_call'][1]:,} bytes; on reconnect {row['redis_on_reconnect'][0]} messages; "
              f"PostgreSQL idle {row['postgres_idle_transactions_per_s']} transactions/s; "
              f"per phone back {row['postgres_transactions_per_phone_back']} transactions, "
              f"{row['postgres_rows_read_per_phone_back']} rows read; per call "
              f"{row['postgres_transactions_per_call']} transactions")
    # What a core per process would give: each of the two spends about what the one did, if the work divides.
    per_process = max(two["reconnect_cpu_s"]) / max(one["reconnect_cpu_s"][0], 0.01)
    print(f"server CPU while reconnecting, busiest of two / one: ×{per_process:.2f} "
          "(×1.0: with a core each, two hold twice the phones in the same time)")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
