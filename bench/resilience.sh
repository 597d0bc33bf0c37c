#!/usr/bin/env bash
# The resilience suite (bench/RESULTS.md), issue 16's measures in one run: the tiered L1 hit against FusionCache and
# HybridCache over one local Redis (BenchmarkDotNet), fail-safe under a factory failing for SECONDS against FusionCache's,
# coherence latency across two processes through the Redis and PostgreSQL backplanes, and a page purge by tag over
# 10,000 pages. Redis servers are started by the program on free loopback ports; this script starts a throwaway
# PostgreSQL 15 cluster (initdb and pg_ctl as the postgres user, fsync off) and stops it on exit. Not part of CI.
# Usage: bench/resilience.sh [--quick]  (or FAILING_SECONDS=10, ROUNDS=2000, QUICK=1: 2 s and 300 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" == "--quick" ]]; then QUICK=1; fi
if [[ "${QUICK:-0}" == 1 ]]; then SECONDS_FAILING=${FAILING_SECONDS:-2}; ROUNDS=${ROUNDS:-300}; else SECONDS_FAILING=${FAILING_SECONDS:-10}; ROUNDS=${ROUNDS:-2000}; fi
export BENCH_RESULTS=${BENCH_RESULTS:-bench/results}
mkdir -p "$BENCH_RESULTS"

PG_BIN=/usr/lib/postgresql/15/bin
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
[[ -x "$PG_BIN/initdb" ]] || missing+=(postgresql-15)
if ((${#missing[@]})); then apt-get update && apt-get install -y "${missing[@]}"; fi

WORK=$(mktemp -d)
as_postgres() { if [[ $(id -u) == 0 ]]; then su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; else "$@"; fi; }
stop_postgres() {
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop_postgres EXIT
[[ $(id -u) == 0 ]] && chown postgres:postgres "$WORK"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_postgres "$PG_BIN/initdb" -D "$WORK/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
as_postgres "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/pg.log" -w -t 30 \
  -o "-p $port -k $WORK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=20"

rm -f "$BENCH_RESULTS/resilience.csv"
dotnet run -c Release --project Cache.Benchmarks -- resilience --postgres "$POSTGRES" --seconds "$SECONDS_FAILING" --rounds "$ROUNDS"
