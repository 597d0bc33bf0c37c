# Shared by bench/django.sh and bench/memcached.sh: sourced from the repo root after `set -euo pipefail`.
# Settings (environment, or the caller's arguments: [--quick] [rounds] [seconds per case]):
#   ROUNDS (3), CASE_SECONDS (2), WARMUP_SECONDS (1: .NET's tiered JIT needs about that to reach its
#   final code under load; Python has no JIT and is unaffected), QUICK=1 (1 round, 0.3 s per case),
#   BENCH_RESULTS (bench/results).

PY=/usr/bin/python3  # Debian's Python, where python3-django and python3-pylibmc install (not pyenv's)
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the scripts
PEER=bench/PeerCompare/bin/Release/net10.0/PeerCompare.dll

read_settings() {
  if [[ "${1:-}" == "--quick" ]]; then QUICK=1; shift; fi
  if [[ "${QUICK:-0}" == 1 ]]; then
    ROUNDS=${1:-${ROUNDS:-1}}; CASE_SECONDS=${2:-${CASE_SECONDS:-0.3}}
  else
    ROUNDS=${1:-${ROUNDS:-3}}; CASE_SECONDS=${2:-${CASE_SECONDS:-2}}
  fi
  WARMUP_SECONDS=${WARMUP_SECONDS:-1}
  BENCH_RESULTS=${BENCH_RESULTS:-bench/results}
  mkdir -p "$BENCH_RESULTS"
}

ensure_tools() {
  local missing=()
  "$PY" -c 'import django' 2>/dev/null || missing+=(python3-django)
  "$PY" -c 'import pylibmc' 2>/dev/null || missing+=(python3-pylibmc)
  command -v memcached >/dev/null || missing+=(memcached)
  if ((${#missing[@]})); then apt-get update && apt-get install -y "${missing[@]}"; fi
}

build_peer() { dotnet build bench/PeerCompare -c Release --nologo -v q >/dev/null; }

# One temp directory and one memcached for the whole run, both gone on exit.
WORK=$(mktemp -d)
MEMCACHED_PID=
cleanup() {
  if [[ -n "$MEMCACHED_PID" ]]; then kill "$MEMCACHED_PID" 2>/dev/null || true; wait "$MEMCACHED_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

start_memcached() {
  local port
  port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local as_root=(); [[ $(id -u) == 0 ]] && as_root=(-u root)
  memcached -p "$port" -l 127.0.0.1 -U 0 -m 64 -t 2 "${as_root[@]}" &
  MEMCACHED_PID=$!
  MEMCACHED=127.0.0.1:$port
  for _ in $(seq 1 100); do
    "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && return
    sleep 0.1
  done
  echo "memcached did not start on port $port" >&2; exit 1
}

# Alternates the two sides, Python first, for ROUNDS rounds; every row lands in $WORK/raw.csv.
# Arguments after the suite go to both sides (bench.py and PeerCompare take the same flags).
run_rounds() {
  local suite=$1; shift
  local timing=(--seconds "$CASE_SECONDS" --warmup "$WARMUP_SECONDS" --csv "$WORK/raw.csv")
  for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    "$PY" bench/django/bench.py --suite "$suite" "$@" "${timing[@]}"
    dotnet "$PEER" --suite "$suite" "$@" "${timing[@]}"
  done
}

summarize() {
  local suite=$1
  "$PY" bench/django/summarize.py "$WORK/raw.csv" "$BENCH_RESULTS/$suite.csv"
  echo "wrote $BENCH_RESULTS/$suite.csv"
}
