#!/usr/bin/env bash
# Scrapes GET /metrics once a second while hey drives a burst at a fresh server, and prints, per scrape,
# when it was sent, when it was answered, and the values that show starvation. Run by hand (needs hey);
# every process it starts is stopped by PID when it ends. Load goes to loopback only.
#
#   lab-server/bench/metrics-during-burst.sh [endpoint] [--Lab:Key=value ...]
#   CONCURRENCY=300 DURATION_S=20 lab-server/bench/metrics-during-burst.sh '/sync?delayMs=500' --Lab:ConcurrencyLimit=100 --Lab:QueueLimit=100
set -euo pipefail
cd "$(dirname "$0")/../.."
endpoint=${1:-/sync?delayMs=500}; shift || true
concurrency=${CONCURRENCY:-300}; duration=${DURATION_S:-20}
command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)"; exit 2; }
dotnet build lab-server/Lab.Server.csproj -c Release --nologo -v quiet -clp:NoSummary >/dev/null
dll=lab-server/bin/Release/net10.0/Lab.Server.dll
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

start() { # role, log, args... (not in a subshell: the PID must reach the cleanup list)
  local role=$1 log=$2; shift 2
  dotnet "$dll" "$role" --urls http://127.0.0.1:0 "$@" >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 200); do grep -q "lab-server ready" "$log" && break; sleep 0.1; done
  url=$(sed -n 's/.*url=\(http[^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] || { echo "$role did not start:"; cat "$log"; exit 1; }
}
start backend "$work/backend.log"; backend=$url
start server "$work/server.log" --Lab:BackendUrl="$backend" "$@"; server=$url
echo "server $server ($*), backend $backend; hey -z ${duration}s -c $concurrency $endpoint"

hey -z "${duration}s" -c "$concurrency" -t 60 "$server$endpoint" >"$work/hey.txt" 2>&1 &
hey_pid=$!; pids+=($hey_pid)
t0=$(date +%s.%N)
since() { printf '%5.1f' "$(echo "$(date +%s.%N) - $t0" | bc)"; }
pick() { # file metric [label filter]
  grep -E "^$2(\{|\s)" "$1" | grep -E "${3:-.}" | awk '{s+=$NF} END {printf "%d", s}'
}
scrape() {
  local n=$1 sent f=$work/scrape-$1.txt
  sent=$(since)
  if curl -s --max-time 60 "$server/metrics" >"$f"; then
    printf 'scrape %2d sent %s s, answered %s s: threads %4s  pool queue %4s  limiter queue %4s  active requests %4s  2xx %4s  503 %4s\n' \
      "$n" "$sent" "$(since)" "$(pick "$f" lab_thread_pool_threads)" "$(pick "$f" lab_thread_pool_queue_length)" \
      "$(pick "$f" aspnetcore_rate_limiting_queued_requests)" "$(pick "$f" http_server_active_requests)" \
      "$(pick "$f" lab_requests_total 'lab_outcome="ok"')" "$(pick "$f" lab_rejected_requests_total)"
  else
    printf 'scrape %2d sent %s s: no answer within 60 s\n' "$n" "$sent"
  fi
}
for n in $(seq 1 $((duration + 5))); do scrape "$n" & sleep 1; done
wait "$hey_pid" || true
wait
echo; grep -A3 -E "^(Summary|Status code)" "$work/hey.txt" | grep -v "^--"
