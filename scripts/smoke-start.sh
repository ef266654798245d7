#!/usr/bin/env bash
# The README's first Quick start command on a fresh data directory: the server starts, prints a
# bootstrap key, serves the API with it, and shuts down cleanly on SIGTERM (exit 0).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export FLOWYTE_DATA_DIR="$dir/data" PORT=$port
unset DATABASE_URL
npm install --no-audit --no-fund >/dev/null
node bin/flowyte.js serve >"$dir/out.log" 2>"$dir/err.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
key=$(cat "$dir/bootstrap-key")
grep -q "$key" "$dir/err.log" || { echo "bootstrap key was not printed to stderr"; exit 1; }
code=$(curl -s -o "$dir/create.json" -w '%{http_code}' -X POST "http://127.0.0.1:$port/api/v1/agents" \
  -H "Authorization: Bearer $key" -H 'content-type: application/json' -d '{"name":"Front desk"}')
[ "$code" = 201 ] || { echo "create answered $code: $(cat "$dir/create.json")"; exit 1; }
# the dashboard, built by npm install, is served at / with its assets
curl -sf "http://127.0.0.1:$port/" -o "$dir/index.html" || { echo "GET / failed"; exit 1; }
asset=$(grep -oE '/assets/[^"]+\.js' "$dir/index.html" | head -n1)
[ -n "$asset" ] || { echo "GET / is not the built dashboard: $(head -c 300 "$dir/index.html")"; exit 1; }
curl -sf "http://127.0.0.1:$port$asset" -o /dev/null || { echo "the dashboard's $asset is not served"; exit 1; }
if grep -q "$key" "$dir/out.log"; then echo "the key leaked into the log stream"; exit 1; fi
kill -TERM $pid
wait $pid
echo "smoke test passed: started, created an agent, served the dashboard, stopped with exit 0"
