#!/usr/bin/env bash
# Django 3.2's cache backends against FunctionalCache's, case by case (locmem, file at 1k and 50k entries,
# SQLite, memcached): both sides alternate for a few rounds, the medians go to $BENCH_RESULTS/django.csv
# (bench/RESULTS.md) and a table of ours/Django ratios is printed. Not part of CI.
# Usage: bench/django.sh [--quick] [rounds=3] [seconds per case=2]  (or ROUNDS, CASE_SECONDS, WARMUP_SECONDS, QUICK=1)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/django/lib.sh
read_settings "$@"
ensure_tools
build_peer
start_memcached

# Populate the file caches (1k and 50k entries) and the SQLite tables once, outside the timed rounds.
"$PY" bench/django/bench.py --suite django --work "$WORK" --prepare-only
dotnet "$PEER" --suite django --work "$WORK" --prepare-only
sync  # let the 100k fresh files reach the disk now rather than during a timed case

run_rounds django --memcached "$MEMCACHED" --work "$WORK"
summarize django
