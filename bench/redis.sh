#!/usr/bin/env bash
# The Redis comparison, side by side on ONE redis-server that this script starts on a free loopback port (no
# persistence) and stops by its PID. Two suites (bench/RESULTS.md):
#   redis          django-redis 5.2 on Django 3.2 against our redis:// cache through ICache: get-hit, get-miss, set,
#                  get-many(10), incr; one caller each.
#   redis-clients  our cache against raw StackExchange.Redis (the same keys and bytes), RedisCache (IDistributedCache)
#                  and FusionCache with a Redis L2, get-hit and set with 1 caller (ns/op) and 16 callers (ops/s), and
#                  redis-benchmark (C, one connection per caller) on the same server and keys as the ceiling.
# Each round measures every side in short alternating slices of each case (django-redis against ours through
# bench/django/interleave.py, the .NET clients inside PeerCompare), for a few rounds; the medians go to $BENCH_RESULTS/redis.csv and
# $BENCH_RESULTS/redis-clients.csv and a table of ratios is printed. Not part of CI.
# Usage: bench/redis.sh [--quick] [rounds=3] [seconds per case=2]  (or ROUNDS, CASE_SECONDS, WARMUP_SECONDS, QUICK=1)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/django/lib.sh
read_settings "$@"

missing=()
"$PY" -c 'import django' 2>/dev/null || missing+=(python3-django)
"$PY" -c 'import redis, django_redis' 2>/dev/null || missing+=(python3-redis python3-django-redis)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v redis-benchmark >/dev/null || missing+=(redis-tools)
if ((${#missing[@]})); then apt-get update && apt-get install -y "${missing[@]}"; fi
build_peer

port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning \
  --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
stop_redis() { kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; cleanup; }
trap stop_redis EXIT
REDIS=127.0.0.1:$port
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null || { echo "redis-server did not start on port $port" >&2; cat "$WORK/redis.log" >&2; exit 1; }

# redis-benchmark's GET and SET on 1,000 keys holding values of our entries' size (the SETs run first, so the GETs
# hit): with 1 and 16 connections (the baseline rows of the redis-clients suite), and with 16 connections of 16
# pipelined requests each, which is how far the server goes when its clients batch (StackExchange.Redis writes the
# commands of concurrent callers back to back on its one connection). Request counts follow CASE_SECONDS.
ceiling() {
  local size=$1
  benchmark "$size" 1 1 "redis-benchmark" baseline
  benchmark "$size" 16 1 "redis-benchmark" baseline
  benchmark "$size" 16 16 "redis-benchmark (-P 16)" peer
}

benchmark() {
  local size=$1 callers=$2 pipeline=$3 series=$4 role=$5 n rate unit label case
  n=$("$PY" -c "print(max(2000, int($CASE_SECONDS * (8000 if $callers == 1 else 40000 * $pipeline))))")
  redis-benchmark -h 127.0.0.1 -p "$port" -t set,get -c "$callers" -P "$pipeline" -n "$n" -r 1000 -d "$size" --csv -q |
    while IFS=, read -r test rps _; do
      test=${test//\"/}; rps=${rps//\"/}
      case $test in SET) case=set ;; GET) case=get-hit ;; *) continue ;; esac
      if ((callers == 1)); then
        rate=$("$PY" -c "print(f'{1e9 / $rps:.1f}')"); unit=ns/op; label="1 caller"
      else
        rate=$rps; unit=ops/s; label="$callers callers"
      fi
      echo "redis-clients,$case, $label,$series,$role,$rate,$unit" >>"$WORK/raw.csv"
      echo "  $series  $case, $label  $rate $unit" >&2
    done
}

timing=(--seconds "$CASE_SECONDS" --warmup "$WARMUP_SECONDS" --csv "$WORK/raw.csv")
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  # django-redis and ours in short alternating slices of each case (bench/django/interleave.py): the load of a
  # shared machine changes within a second, and slices taken in turns see the same load.
  "$PY" bench/django/interleave.py --suite redis --python-series "django-redis 5.2" --csv "$WORK/raw.csv" \
    --seconds "$CASE_SECONDS" --warmup "$WARMUP_SECONDS" \
    --case get-hit --case get-miss --case set --case 'get-many(10)' --case incr -- \
    "$PY" bench/django/bench.py --suite redis --redis "$REDIS" --serve -- \
    dotnet "$PEER" --suite redis --redis "$REDIS" --serve
  dotnet "$PEER" --suite redis-clients --redis "$REDIS" "${timing[@]}"
  # The size of what our cache stored for the workload's value, so redis-benchmark moves as many bytes.
  ceiling "$(redis-cli -p "$port" strlen ':1:user:profile:000000')"
done

for suite in redis redis-clients; do
  grep "^$suite," "$WORK/raw.csv" >"$WORK/$suite.raw.csv"
  "$PY" bench/django/summarize.py "$WORK/$suite.raw.csv" "$BENCH_RESULTS/$suite.csv"
  echo "wrote $BENCH_RESULTS/$suite.csv"
done
