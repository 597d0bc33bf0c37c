#!/usr/bin/env bash
# Cached-hit requests/s for the demo's expensive page "/" through FunctionalCache's per-site
# middleware, ASP.NET Core Output Caching and no cache, in one run: every server is started
# (Release), warmed, then measured with wrk in alternating rounds; medians and ratios are printed.
# Not part of CI. Usage: bench/http.sh [rounds=3] [seconds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-5}
command -v wrk >/dev/null || (apt-get update && apt-get install -y wrk)

dotnet build samples/Cache.Demo -c Release --nologo -v q >/dev/null
dotnet build bench/HttpCompare -c Release --nologo -v q >/dev/null

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# name|command (the URL is appended)
TARGETS=(
  "demo-db|env -u CACHE_BACKEND dotnet $WORK/demo/Cache.Demo.dll --urls"
  "fc-locmem|env CACHE_BACKEND=locmem:///?store=reference&max_entries=1000 dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll --mode functionalcache --urls"
  "fc-db|env CACHE_BACKEND=db://bench_cache?database=$WORK/bench.sqlite dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll --mode functionalcache --urls"
  "outputcache|dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll --mode outputcache --urls"
  "uncached|dotnet bench/HttpCompare/bin/Release/net10.0/HttpCompare.dll --mode uncached --urls"
)

# The demo writes its SQLite file beside itself: run a copy. fc-db needs its table first.
cp -r samples/Cache.Demo/bin/Release/net10.0 "$WORK/demo"
rm -f "$WORK/demo/demo.sqlite"*
dotnet run --project Cache.Cli -c Release -- createcachetable bench_cache --database "$WORK/bench.sqlite" >/dev/null

declare -A URL
for t in "${TARGETS[@]}"; do
  name=${t%%|*}; cmd=${t#*|}
  port=$(free_port); URL[$name]="http://127.0.0.1:$port"
  $cmd "${URL[$name]}" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
done
for name in "${!URL[@]}"; do
  for _ in $(seq 1 150); do curl -sf -o /dev/null "${URL[$name]}/" && break; sleep 0.2; done
  for _ in 1 2 3; do curl -sf -o /dev/null "${URL[$name]}/"; done
  hit=$(curl -s -D - -o /dev/null "${URL[$name]}/" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-cache"{print $2} tolower($1)=="age"{print "Age " $2}' | tr '\n' ' ')
  echo "warmed $name ${URL[$name]} ${hit}"
done

declare -A RESULTS
for round in $(seq 1 "$ROUNDS"); do
  for t in "${TARGETS[@]}"; do
    name=${t%%|*}
    rps=$(wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" "${URL[$name]}/" | awk '/Requests\/sec/{print $2}')
    RESULTS[$name]="${RESULTS[$name]:-} $rps"
    echo "round $round  $name  $rps req/s"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
printf '%-12s %12s\n' target "median req/s"
declare -A MED
for t in "${TARGETS[@]}"; do
  name=${t%%|*}; MED[$name]=$(echo "${RESULTS[$name]}" | median)
  printf '%-12s %12.0f\n' "$name" "${MED[$name]}"
done
echo
for name in demo-db fc-locmem fc-db; do
  awk -v a="${MED[$name]}" -v oc="${MED[outputcache]}" -v un="${MED[uncached]}" -v n="$name" \
    'BEGIN{printf "%-10s %.2fx Output Caching, %.1fx uncached\n", n, a/oc, a/un}'
done
