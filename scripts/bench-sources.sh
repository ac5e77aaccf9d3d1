#!/usr/bin/env bash
# Webhook sources benchmark (issue 18): for each source of /webhooks/<name> (or those named), distinct deliveries
# built from its fixture and authenticated as the tool does, release build, wrk with 32 connections on 127.0.0.1,
# one source at a time against a fresh database. Prints stored/s per source (target >= 5,000) and checks that the
# rows stored match the 2xx answers.
#
#   scripts/bench-sources.sh [DURATION_SECONDS] [SOURCE...]    (default 10 s and every source; needs wrk, sqlite3, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
shift || true
sources=("$@")
((${#sources[@]})) || sources=(pagerduty opsgenie servicenow jenkins circleci bitbucket argocd tekton)
port=${BENCH_PORT:-18082}
deliveries=${BENCH_DELIVERIES:-100000}
source scripts/lib.sh
require_tools bench-sources wrk sqlite3 curl python3
lodestar_bin bench-sources "$PWD" release

work=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
secret=bench-secret
status=0
for name in "${sources[@]}"; do
  python3 scripts/bench_sources.py "$name" "$deliveries" "$secret" "$work/$name.lua"
  db="$work/$name.sqlite"
  "$bin" db migrate --db "$db" >/dev/null
  env "LODESTAR_$(tr '[:lower:]' '[:upper:]' <<<"$name")_SECRET=$secret" LODESTAR_DEPLOY_WORKFLOW='deploy' \
    "$bin" serve --db "$db" --port "$port" --log-level warning >"$work/$name.log" 2>&1 &
  server=$!
  wait_for_server "$port"
  line=$(BENCH_REQUESTS="$work/$name.lua" wrk -t2 -c32 -d"${duration}s" --latency -s scripts/wrk/sources.lua "http://127.0.0.1:$port" | grep '^RESULT')
  kill "$server"; wait "$server" 2>/dev/null || true; server=
  rows=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM incident) + (SELECT count(*) FROM deployment) + (SELECT count(*) FROM change)")
  ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line")
  seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v r="$rows" -v s="$seconds" \
    'BEGIN { printf "POST /webhooks/%-10s %s rows=%d stored_per_s=%.0f (target >= 5000)\n", n, l, r, r / s }'
  if [ "$ok" -eq 0 ]; then echo "MISMATCH: no 2xx answers from $name (see $work/$name.log)" >&2; status=1
  elif [ "$rows" -lt "$ok" ] || [ "$rows" -gt "$((ok + 32))" ]; then echo "MISMATCH: $rows rows for $ok 2xx answers ($name)" >&2; status=1; fi
done
exit $status
