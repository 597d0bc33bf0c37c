#!/usr/bin/env bash
# Cached-hit requests/s for the demo's expensive page "/" (bench/HttpCompare, Release): a bare endpoint serving
# the page's bytes rendered once (the ceiling), FunctionalCache's per-site middleware on locmem, on SQLite, and on
# SQLite behind the local page cache (AddLocalPageCache, its lifetime $HTTP_LOCAL_PAGES seconds or the default 1),
# ASP.NET Core Output Caching, and no cache. Every server is started and warmed, then measured with wrk in
# alternating rounds (each round starts one target later, so no target always runs first); medians and ratios are
# printed and written to $BENCH_RESULTS/http.csv (bench/RESULTS.md). wrk and the servers share the machine's
# cores, so wrk keeps to 2 threads. Not part of CI.
# Usage: bench/http.sh [rounds] [seconds]; defaults $HTTP_ROUNDS or 3, $HTTP_SECONDS or 5 (the env form reaches it
# through `dotnet cake --target=Bench`).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RESULTS_DIR=$(realpath -m "${BENCH_RESULTS:-$ROOT/bench/results}")
cd "$ROOT"
ROUNDS=${1:-${HTTP_ROUNDS:-3}}
SECONDS_PER_RUN=${2:-${HTTP_SECONDS:-5}}
CASE="GET / (cached page)"
command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

dotnet build bench/HttpCompare -c Release --nologo -v q >/dev/null
SITE="dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll"

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# key|series (bench/RESULTS.md)|role|command (the URL is appended)
TARGETS=(
  "bare|bare endpoint|baseline|$SITE --mode bare --urls"
  "fc-locmem|FunctionalCache middleware (locmem)|ours|env CACHE_BACKEND=locmem:///?store=reference&max_entries=1000 $SITE --mode functionalcache --urls"
  "fc-db|FunctionalCache middleware (db)|ours|env CACHE_BACKEND=db://bench_cache?database=$WORK/bench.sqlite $SITE --mode functionalcache --urls"
  "fc-db-local|FunctionalCache middleware (db + local pages)|ours|env CACHE_BACKEND=db://bench_cache?database=$WORK/local.sqlite LOCAL_PAGES=${HTTP_LOCAL_PAGES:-1} $SITE --mode functionalcache --urls"
  "outputcache|Output Caching|peer|$SITE --mode outputcache --urls"
  "uncached|uncached|peer|$SITE --mode uncached --urls"
)
declare -A SERIES ROLE URL
KEYS=()
for t in "${TARGETS[@]}"; do
  IFS='|' read -r key series role _ <<<"$t"
  KEYS+=("$key"); SERIES[$key]=$series; ROLE[$key]=$role
done

# fc-db and fc-db-local need their tables first (one file each, so neither's writes lock the other's reads).
for db in bench local; do
  dotnet run --project Cache.Cli -c Release -- createcachetable bench_cache --database "$WORK/$db.sqlite" >/dev/null
done

for t in "${TARGETS[@]}"; do
  IFS='|' read -r key _ _ cmd <<<"$t"
  port=$(free_port); URL[$key]="http://127.0.0.1:$port"
  $cmd "${URL[$key]}" >"$WORK/$key.log" 2>&1 &
  PIDS+=($!)
done

# Warm every server (the first request renders and stores the page), then check that the caches answer hits and
# that every target sends the same body: a comparison of different pages would mean nothing.
declare -A LENGTH
for key in "${KEYS[@]}"; do
  ready=no
  for _ in $(seq 1 150); do curl -sf -o /dev/null "${URL[$key]}/" && ready=yes && break; sleep 0.2; done
  [ "$ready" = yes ] || { echo "http.sh: $key did not start; its log:" >&2; cat "$WORK/$key.log" >&2; exit 1; }
  for _ in 1 2 3; do curl -sf -o /dev/null "${URL[$key]}/"; done
  headers=$(curl -s -D - -o "$WORK/$key.body" "${URL[$key]}/" | tr -d '\r')
  LENGTH[$key]=$(wc -c <"$WORK/$key.body")
  hit=$(awk -F': ' 'tolower($1)=="x-cache"{print "X-Cache " $2} tolower($1)=="age"{print "Age " $2}' <<<"$headers" | tr '\n' ' ')
  printf 'warmed %-12s %s  body %s bytes  %s\n' "$key" "${URL[$key]}" "${LENGTH[$key]}" "$hit"
  if [ "${ROLE[$key]}" = ours ] && ! grep -qi '^x-cache: HIT' <<<"$headers"; then
    echo "http.sh: $key does not answer from its cache after warming (no X-Cache: HIT)" >&2; exit 1
  fi
done
if [ "$(printf '%s\n' "${LENGTH[@]}" | sort -u | wc -l)" -ne 1 ]; then
  echo "http.sh: the targets' bodies differ in length; the comparison would not be of the same page" >&2; exit 1
fi

echo "wrk -t2 -c16, $ROUNDS round(s) of ${SECONDS_PER_RUN}s per target; wrk and the servers share $(nproc) cores"
declare -A RESULTS
count=${#KEYS[@]}
for round in $(seq 1 "$ROUNDS"); do
  for i in $(seq 0 $((count - 1))); do
    key=${KEYS[$(((i + round - 1) % count))]}
    out=$(wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" "${URL[$key]}/")
    if grep -q 'Non-2xx' <<<"$out"; then echo "http.sh: $key answered errors under load:" >&2; echo "$out" >&2; exit 1; fi
    rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    RESULTS[$key]="${RESULTS[$key]:-} $rps"
    printf 'round %d  %-12s %10.0f req/s\n' "$round" "$key" "$rps"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A MED
for key in "${KEYS[@]}"; do MED[$key]=$(echo "${RESULTS[$key]}" | median); done

echo
printf '%-46s %12s %18s %10s\n' series "median req/s" "vs Output Caching" "vs bare"
for key in "${KEYS[@]}"; do
  awk -v s="${SERIES[$key]}" -v a="${MED[$key]}" -v oc="${MED[outputcache]}" -v bare="${MED[bare]}" \
    'BEGIN{printf "%-46s %12.0f %17.3gx %9.3gx\n", s, a, a/oc, a/bare}'
done

# Written whole or not at all, so a failed run leaves no half file for the report.
mkdir -p "$RESULTS_DIR"
{
  echo "suite,case,series,role,value,unit"
  for key in "${KEYS[@]}"; do
    LC_ALL=C printf 'http,%s,%s,%s,%.0f,req/s\n' "$CASE" "${SERIES[$key]}" "${ROLE[$key]}" "${MED[$key]}"
  done
} >"$WORK/http.csv"
mv "$WORK/http.csv" "$RESULTS_DIR/http.csv"
echo "wrote $RESULTS_DIR/http.csv"
