#!/usr/bin/env bash
# The one-thread get-hit taken apart: each scaling-suite contender's hit loop, and locmem's hit with steps left out,
# alone in a process (Cache.Benchmarks -- hit-profile), in alternating rounds; then the contenders under `perf record`
# with JIT'd frames named through the runtime's perf map. Writes $BENCH_RESULTS/profile-hit.txt and prints it.
# Times are CPU time per hit: a process's own time on a core, so rounds on a busy machine still compare.
#   bench/profile-hit.sh [SECONDS] [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
seconds="${1:-3}"
rounds="${2:-3}"
results="${BENCH_RESULTS:-bench/results}"
out="$results/profile-hit.txt"
mkdir -p "$results"
if ! command -v perf >/dev/null; then
  echo "installing perf (linux-perf)"; apt-get install -y -qq linux-perf >/dev/null
fi
dotnet build Cache.Benchmarks -c Release -v quiet -nologo >/dev/null
dll="Cache.Benchmarks/bin/Release/net10.0/Cache.Benchmarks.dll"
contenders=("ConcurrentDictionary" "ConcurrentLru" "MemoryCache" "FunctionalCache locmem reference")
# Each leaves one more step out of locmem's hit: the deadline check, then the use log and the value.
steps=("locmem hit, no deadline" "locmem has_key (no use log)")
# The get-or-set hit: ConcurrentDictionary's GetOrAdd and locmem's typed get_or_set.
steps+=("ConcurrentDictionary GetOrAdd" "locmem get_or_set hit")

{
  echo "# CPU ns per hit, one thread, median of $rounds rounds of ${seconds} s ($(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg))"
  declare -A figures
  for round in $(seq 1 "$rounds"); do
    for series in "${contenders[@]}" "${steps[@]}"; do
      figure=$(dotnet "$dll" hit-profile "$series" "$seconds" | sed -nE 's/.* ([0-9.]+) CPU ns per hit/\1/p')
      figures["$series"]+="$figure "
    done
  done
  for series in "${contenders[@]}" "${steps[@]}"; do
    median=$(echo ${figures["$series"]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%-40s %6s   (rounds: %s)\n' "$series" "$median" "${figures["$series"]% }"
  done
  echo
  # The perf map names JIT'd methods; W^X double mapping would hide them behind an anonymous memfd.
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
  for series in "ConcurrentDictionary" "FunctionalCache locmem reference"; do
    data=$(mktemp /tmp/profile-hit.XXXXXX)
    echo "# perf: $series, top frames (self time)"
    perf record -q -F 2999 -g -o "$data" -- dotnet "$dll" hit-profile "$series" "$seconds" >/dev/null
    # perf report may complain about frames it cannot name: not a failure.
    { perf report -i "$data" --no-children --sort symbol --stdio -g none 2>/dev/null || true; } > "$data.txt"
    grep '%' "$data.txt" | awk 'NR <= 12' | sed -E 's/ +- +- +$//; s/\[OptimizedTier1(OSR)?\]//; s/^ +//' | cut -c1-170
    rm -f "$data" "$data.txt" /tmp/perf-*.map /tmp/perfinfo-*.map
    echo
  done
} | tee "$out"
