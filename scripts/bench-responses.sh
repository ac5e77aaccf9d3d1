#!/usr/bin/env bash
# Measures stored survey responses per second through POST /api/v1/responses and POST /survey:
# release build, open round, rate limit off, wrk with 32 connections on 127.0.0.1. After each run the rows in
# the database must equal the 2xx answers wrk counted. Also reports the idle server's resident memory.
#
#   scripts/bench-responses.sh [DURATION_SECONDS]     (default 20; needs wrk and sqlite3: apt-get install wrk sqlite3)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20}
connections=32
port=${BENCH_PORT:-18080}
source scripts/lib.sh
require_tools bench-responses wrk sqlite3 curl

build_release
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.sqlite"

"$bin" survey open --db "$db" --survey platform-pulse --month 2026-11 --mode open >/dev/null
"$bin" serve --db "$db" --port "$port" --rate-limit 0 --log-level warning >"$work/server.log" 2>&1 &
server=$!
wait_for_server "$port"
sleep 2
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
awk -v kb="$idle_kb" 'BEGIN { printf "idle resident memory: %.1f MB\n", kb / 1024 }'

rows() { sqlite3 "$db" "SELECT count(*) FROM response"; }

# run NAME PATH: one wrk run against PATH; prints its figures and checks rows == 2xx.
run() {
  local name=$1 path=$2 before after line ok
  before=$(rows)
  line=$(wrk -t2 -c"$connections" -d"${duration}s" --latency -s scripts/wrk/post.lua "http://127.0.0.1:$port$path" | grep '^RESULT')
  after=$(rows)
  ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line")
  seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
  awk -v n="$name" -v l="$line" -v ok="$ok" -v s="$seconds" -v r="$((after - before))" \
    'BEGIN { printf "%-24s %s stored_per_s=%.0f rows_added=%d\n", n, l, ok / s, r }'
  # wrk stops counting at the deadline while up to one request per connection is still in flight; those may
  # still be stored, so rows may exceed the 2xx count by at most the connection count, never fall short of it.
  local extra=$((after - before - ok))
  if [ "$extra" -lt 0 ] || [ "$extra" -gt "$connections" ]; then
    echo "MISMATCH: $name stored $((after - before)) rows for $ok 2xx answers" >&2; exit 1
  fi
}

export BENCH_CONTENT_TYPE=application/json BENCH_COOKIE=""
export BENCH_BODY='{"month":"2026-11","team":"payments","answers":{"best":"Preview environments per pull request","worst":"The integration tests are flaky and take 25 minutes","change":"Cache the dependency downloads in CI"},"ratings":{"satisfaction":4,"easeOfShipping":3,"operationsShare":30}}'
run "POST /api/v1/responses" /api/v1/responses

# The form needs its CSRF cookie and the same token in the body: fetch them once, as a browser would.
page=$(curl -fs -c "$work/cookies" "http://127.0.0.1:$port/survey")
csrf=$(sed -nE 's/.*name="csrf" value="([^"]+)".*/\1/p' <<<"$page" | head -n 1)
cookie=$(awk '$6 == "lodestar_csrf" {print $6 "=" $7}' "$work/cookies")
[ -n "$csrf" ] && [ -n "$cookie" ] || { echo "bench-responses: no CSRF token on GET /survey" >&2; exit 1; }
export BENCH_CONTENT_TYPE=application/x-www-form-urlencoded BENCH_COOKIE="$cookie"
export BENCH_BODY="csrf=$csrf&month=2026-11&team=payments&answers.best=Preview+environments&answers.worst=Flaky+integration+tests&answers.change=Cache+dependencies+in+CI&ratings.satisfaction=4&ratings.easeOfShipping=3&ratings.operationsShare=30"
run "POST /survey" /survey
