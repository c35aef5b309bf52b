#!/usr/bin/env bash
# Every benchmark, one after the other (about 50 minutes), figures into bench/results/*.log.
# Needs Node (npm install in bench/ first) and, for --postgres, the machine's PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d bench/node_modules ] || (cd bench && npm install --no-audit --no-fund)
mkdir -p bench/results
for mode in eventlet gevent; do
  .venv/bin/python bench/fanout.py --async-mode "$mode" | tee "bench/results/fanout-$mode.log"
  .venv/bin/python bench/raceday.py --async-mode "$mode" | tee "bench/results/raceday-$mode.log"
done
.venv/bin/python bench/cost.py | tee bench/results/cost-eventlet.log
