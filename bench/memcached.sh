#!/usr/bin/env bash
# pylibmc (the libmemcached client behind Django's PyLibMCCache) against FunctionalCache's memcached client
# on one local memcached: get, get-many(100), set, and get from 16 concurrent callers. Both sides
# alternate for a few rounds; the medians go to $BENCH_RESULTS/memcached.csv (bench/RESULTS.md) and a
# table of ours/pylibmc ratios is printed. Not part of CI.
# Usage: bench/memcached.sh [--quick] [rounds=3] [seconds per case=2]  (or ROUNDS, CASE_SECONDS, WARMUP_SECONDS, QUICK=1)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/django/lib.sh
read_settings "$@"
ensure_tools
build_peer
start_memcached

run_rounds memcached --memcached "$MEMCACHED"
summarize memcached
