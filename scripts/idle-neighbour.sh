#!/usr/bin/env bash
# Does an idle process beside a server slow it? /health of a fresh `jobbench serve` (metrics on, pg-pool)
# under plain wrk -t1 -c16 (1 s warm-up, 5 s), five rounds of four conditions: alone; beside an idle
# node process with a 1 ms setInterval; beside an idle `jobbench serve` (its event-loop monitor), with
# metrics on and off (prom-client's own 10-ms event-loop monitor); beside an idle node process with a
# 100 ms setInterval. Prints each condition's req/s, one per round.
# On the 2-core Firecracker machine (2026-12-07): alone ~83k, a 1 ms timer beside it ~57k, an idle
# serve ~59k (before its monitor learned to stop when no client is connected), a 100 ms timer ~83k.
#   DATABASE_URL=… bash scripts/idle-neighbour.sh
set -u
: "${DATABASE_URL:?set DATABASE_URL (the servers use it)}"
cd "$(dirname "$0")/.."
measure() { # $1 label
  node bin/jobbench.js serve --adapter pg-pool --port 18801 --metrics on --db external >/dev/null 2>&1 &
  local P=$!
  for i in $(seq 1 100); do curl -sf http://127.0.0.1:18801/health >/dev/null && break; sleep 0.1; done
  wrk -t1 -c16 -d1s http://127.0.0.1:18801/health >/dev/null
  local r=$(wrk -t1 -c16 -d5s http://127.0.0.1:18801/health | awk '/Requests\/sec/{print int($2)}')
  kill -TERM $P; wait $P 2>/dev/null
  echo "$1 $r"
}
for round in 1 2 3 4 5; do  # conditions interleaved, the same order each round
  measure alone
  node -e "setInterval(()=>{},1)" & I=$!; sleep 0.5; measure timer1ms; kill $I; wait $I 2>/dev/null
  node bin/jobbench.js serve --adapter pg-pool --port 18802 --metrics on --db external >/dev/null 2>&1 & S=$!
  for i in $(seq 1 100); do curl -sf http://127.0.0.1:18802/health >/dev/null && break; sleep 0.1; done
  measure idle-serve; kill -TERM $S; wait $S 2>/dev/null
  node bin/jobbench.js serve --adapter pg-pool --port 18802 --metrics off --db external >/dev/null 2>&1 & S=$!
  for i in $(seq 1 100); do curl -sf http://127.0.0.1:18802/health >/dev/null && break; sleep 0.1; done
  measure idle-serve-metrics-off; kill -TERM $S; wait $S 2>/dev/null
  node -e "setInterval(()=>{},100)" & I=$!; sleep 0.5; measure timer100ms; kill $I; wait $I 2>/dev/null
done
