#!/usr/bin/env bash
# Every benchmark, one after the other (about an hour), figures into bench/results/*.log.
# Needs Node (npm install in bench/ first) and, for contention.py, the machine's PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d bench/node_modules ] || (cd bench && npm install --no-audit --no-fund)
mkdir -p bench/results
run() { local name=$1; shift; .venv/bin/python "$@" | tee "bench/results/$name.log"; }
case "${1:-all}" in
  all|rest)
    [ "${1:-all}" = rest ] || run fanout-eventlet bench/fanout.py --async-mode eventlet
    run raceday-eventlet bench/raceday.py --async-mode eventlet
    run fanout-gevent bench/fanout.py --async-mode gevent
    run raceday-gevent bench/raceday.py --async-mode gevent
    run cost-eventlet bench/cost.py --async-mode eventlet
    run contention-eventlet bench/contention.py --async-mode eventlet
    run raceday-window-eventlet bench/raceday.py --window 12600,19800
    run storm-eventlet bench/storm.py --async-mode eventlet
    run storm-gevent bench/storm.py --async-mode gevent
    run pages bench/pages.py
    run profile-calls-2000 bench/profile_connect.py --phones 2000 --calls-only
    run profile-reconnect-1500 bench/profile_connect.py --phones 1500 --reconnect
    run processes bench/processes.py --phones 2000   # PostgreSQL and Redis, nginx-light
    ;;
esac
