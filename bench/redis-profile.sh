#!/usr/bin/env bash
# A CPU profile of the redis-clients suite's 16-caller case, ours against raw StackExchange.Redis, one series per
# process (Cache.Benchmarks' redis-profile mode: RedisSetProfile) on one redis-server this script starts and stops by
# its PID. Each process runs with the JIT's perf map (DOTNET_PerfMapEnabled=1) and without W^X double mapping
# (DOTNET_EnableWriteXorExecute=0, else JIT'd code shows as memfd:doublemapper) so perf names the JIT'd methods;
# `perf record -F 999 -g -p PID` samples it during its measured window. Prints each series' rate, bytes and CPU per
# operation, then per series the share of samples by where the time went (kernel, client, ours) and the top symbols (--no-children --sort symbol).
# Needs perf and root (or kernel.perf_event_paranoid <= 1). Usage: bench/redis-profile.sh [set|get] [seconds=20] [callers=16]
set -euo pipefail
cd "$(dirname "$0")/.."
operation=${1:-set}; seconds=${2:-20}; callers=${3:-16}
out=${PROFILE_OUT:-$(mktemp -d)}
dotnet build Cache.Benchmarks -c Release 2>&1 | grep -E " error |rror\(s\)" || true
dll=Cache.Benchmarks/bin/Release/net10.0/Cache.Benchmarks.dll
[[ -f $dll ]] || dll=$(find Cache.Benchmarks/bin/Release -name Cache.Benchmarks.dll | head -1)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >"$out/redis.log" 2>&1 &
redis_pid=$!
trap 'kill "$redis_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

for series in raw ours; do
  DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 dotnet "$dll" redis-profile "$series" "$operation" "$seconds" "$callers" --redis "127.0.0.1:$port" \
    >"$out/$series.txt" 2>"$out/$series.err" &
  pid=$!
  until grep -q measuring "$out/$series.err" 2>/dev/null; do sleep 0.2; kill -0 "$pid" 2>/dev/null || break; done
  # Sample the middle of the measured window.
  perf record -F 999 -g -p "$pid" -o "$out/$series.perf" -- sleep "$((seconds - 4))" 2>/dev/null
  # Keep the JIT's symbol map with the samples (perf report reads /tmp/perf-PID.map, which may not outlive the run).
  cp "/tmp/perf-$pid.map" "$out/$series.map" 2>/dev/null || true
  echo "$pid" >"$out/$series.pid"
  wait "$pid"
  cat "$out/$series.txt"
done
for series in raw ours; do
  pid=$(cat "$out/$series.pid")
  [[ -f /tmp/perf-$pid.map ]] || cp "$out/$series.map" "/tmp/perf-$pid.map" 2>/dev/null || true
  echo "=== $series: samples by where the time went (bench/perf_shares.py)"
  perf report -i "$out/$series.perf" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | python3 bench/perf_shares.py || true
  echo "=== $series: top symbols"
  perf report -i "$out/$series.perf" --no-children --sort symbol --stdio -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -30 | cut -c1-170 || true
done
echo "perf data and logs in $out"
