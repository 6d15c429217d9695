#!/usr/bin/env bash
# Benchmark (not a test): how fast can the lab client drive an open-model load on this machine while
# keeping dispatch lag p99 under 1 ms and dropping nothing, and what does it cost in CPU per 1,000
# requests — next to wrk and hey on the same endpoint, in one sitting. Loopback only; every run is 10 s.
# Usage: lab-client/bench/client-capacity.sh [rates...]   (default 1000 2000 4000 6000 8000)
set -euo pipefail
cd "$(dirname "$0")/../.."
rates=("${@:-1000 2000 4000 6000 8000}"); read -r -a rates <<<"${rates[*]}"
dotnet build lab-client/Lab.Client.csproj -c Release --nologo -v quiet -clp:NoSummary
command -v wrk >/dev/null && command -v hey >/dev/null || { echo "needs wrk and hey: apt-get install -y wrk hey" >&2; exit 2; }
work=$(mktemp -d); url="http://127.0.0.1:5410"; backend_url="http://127.0.0.1:5411"
dotnet lab-server/bin/Release/net10.0/Lab.Server.dll backend --urls "$backend_url" > "$work/backend.log" 2>&1 & backend=$!
dotnet lab-server/bin/Release/net10.0/Lab.Server.dll server --urls "$url" --Lab:BackendUrl="$backend_url" > "$work/server.log" 2>&1 & server=$!
# Stop only what this script started, by PID.
trap 'kill -TERM $server $backend 2>/dev/null; wait $server $backend 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "$url/lab/info" >/dev/null && break; sleep 0.2; done
cpu_s() { awk '{print $1+$2}' "$1"; }   # user + system seconds from /usr/bin/time -f "%U %S"

printf '%-22s %10s %10s %10s %10s %12s\n' tool "target/s" "achieved/s" "lag p99" dropped "CPU ms/1k req"
for rate in "${rates[@]}"; do
  cat > "$work/s.yaml" <<YAML
# C0: client capacity benchmark
# Run: lab-client/bench/client-capacity.sh
name: client-capacity
description: open-model inject at $rate/s against /fast for 10 s
claims: [C1]
load: { model: open, phases: [ { inject: { ratePerS: $rate, durationS: 10 } } ] }
variants: [ { name: fast, endpoint: /fast } ]
client: { warmupRequests: 200, drainS: 5 }
YAML
  /usr/bin/time -f "%U %S" -o "$work/time" dotnet lab-client/bin/Release/net10.0/Lab.Client.dll run "$work/s.yaml" --server-url "$url" --backend-url "$backend_url" --out "$work/runs" --progress none >/dev/null || true
  run=$(ls -d "$work"/runs/*/ | tail -1)
  python3 - "$run" "$rate" <<'PY'
import json, sys, csv
run, rate = sys.argv[1], float(sys.argv[2])
m = json.load(open(run + "run.json")); v = m["variants"][0]
ok = v["outcomes"]["ok"]; dropped = v["outcomes"]["dropped"]
rows = [r for r in csv.DictReader(open(run + "client-metrics.csv")) if 1 <= int(r["second"]) <= 8]
cpu = sum(float(r["cpu_pct_of_one_core"]) for r in rows) / max(1, len(rows)) / 100   # cores busy during the load
done = sum(int(r["completed"]) for r in rows) / max(1, len(rows))
print(f'{"lab-client (open)":22} {rate:10.0f} {done:10.0f} {v["lagP99Ms"]:8.3f}ms {dropped:10d} {cpu / max(done, 1) * 1e6:12.1f}')
PY
done

/usr/bin/time -f "%U %S" -o "$work/time" wrk -t2 -c64 -d10s "$url/fast" > "$work/wrk.txt"
reqs=$(awk '/requests in/ {print $1}' "$work/wrk.txt"); rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
printf '%-22s %10s %10.0f %10s %10s %12.1f\n' "wrk -t2 -c64 (closed)" "-" "$rps" "-" "-" "$(echo "$(cpu_s "$work/time") * 1000000 / $reqs" | bc -l)"
/usr/bin/time -f "%U %S" -o "$work/time" hey -z 10s -c 64 "$url/fast" > "$work/hey.txt"
reqs=$(awk '/\[200\]/ {print $2}' "$work/hey.txt"); rps=$(awk '/Requests\/sec/ {print $2}' "$work/hey.txt")
printf '%-22s %10s %10.0f %10s %10s %12.1f\n' "hey -c64 (closed)" "-" "$rps" "-" "-" "$(echo "$(cpu_s "$work/time") * 1000000 / $reqs" | bc -l)"
