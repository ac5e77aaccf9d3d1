#!/usr/bin/env bash
# Ingest and metrics benchmark (issue: pipeline data in, DORA metrics out), release build.
#
#  1. Generates 1,000,000 pipeline events for 200 services over a year with a fixed seed, as NDJSON and the same
#     rows as CSV (`lodestar bench events`).
#  2. Side by side, ROUNDS times: the sqlite3 shell's `.import` of the CSV into an equivalent table, and
#     `lodestar ingest` of the NDJSON into a fresh database. Reports wall time and peak resident memory of each,
#     the medians, and the ratio of the medians.
#  3. `lodestar metrics --by service` over the ingested database, ROUNDS times, median wall time; beside it, as a
#     gauge of how busy the shared machine is, the sqlite3 shell reading every column the metrics read.
#
#   scripts/bench-ingest.sh [ROUNDS]      (default 3; needs sqlite3 and GNU time: apt-get install sqlite3 time)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
count=${BENCH_EVENTS:-1000000}
source scripts/lib.sh
require_tools bench-ingest sqlite3 /usr/bin/time

build_release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" bench events --count "$count" --services 200 --days 365 --ndjson "$work/events.ndjson" --csv "$work/events.csv"
ls -l "$work/events.ndjson" "$work/events.csv" | awk '{printf "  %s %.1f MB\n", $NF, $5 / 1048576}'

# The reference table: the same columns, typed as Lodestar stores them, without Lodestar's upserts and checks.
schema='CREATE TABLE events (type TEXT NOT NULL, id TEXT, service TEXT NOT NULL, sha TEXT, shas TEXT, parent TEXT,
  environment TEXT, result TEXT, authoredAt TEXT, committedAt TEXT, prMergedAt TEXT, startedAt TEXT, finishedAt TEXT,
  openedAt TEXT, resolvedAt TEXT, title TEXT, rootCause TEXT);'

# measure NAME COMMAND…: runs the command, prints "NAME seconds peak_MB", appends seconds to $work/NAME.
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r seconds kb <"$work/time"
  echo "$seconds" >>"$work/$name"
  awk -v n="$name" -v s="$seconds" -v kb="$kb" 'BEGIN { printf "  %-18s %6.2f s  peak %6.1f MB\n", n, s, kb / 1024 }'
}

median() { sort -n "$work/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for round in $(seq "$rounds"); do
  echo "round $round"
  rm -f "$work/ref.sqlite" "$work/lodestar.sqlite"*
  sqlite3 "$work/ref.sqlite" "PRAGMA journal_mode=WAL; $schema" >/dev/null
  measure sqlite3-import sqlite3 "$work/ref.sqlite" ".import --csv --skip 1 $work/events.csv events"
  "$bin" db migrate --db "$work/lodestar.sqlite" >/dev/null
  measure lodestar-ingest "$bin" ingest --db "$work/lodestar.sqlite" "$work/events.ndjson"
done
rows=$(sqlite3 "$work/lodestar.sqlite" "SELECT (SELECT count(*) FROM change) + (SELECT count(*) FROM deployment) + (SELECT count(*) FROM incident)")
reference=$(sqlite3 "$work/ref.sqlite" "SELECT count(*) FROM events")
echo "rows: lodestar $rows, sqlite3 $reference"

scan="SELECT sum(length(service) + length(sha) + coalesce(authoredAt, 0) + committedAt + coalesce(length(parent), 0)) FROM change;
  SELECT sum(length(service) + length(environment) + length(shas) + finishedAt + length(result) + length(id)) FROM deployment;"
for round in $(seq "$rounds"); do
  measure metrics-by-service "$bin" metrics --db "$work/lodestar.sqlite" --by service
  measure sqlite3-scan sqlite3 "$work/lodestar.sqlite" "$scan"
done

import=$(median sqlite3-import)
ingest=$(median lodestar-ingest)
metrics=$(median metrics-by-service)
scanned=$(median sqlite3-scan)
awk -v i="$import" -v l="$ingest" -v m="$metrics" -v s="$scanned" 'BEGIN {
  printf "median: sqlite3 .import %.2f s, lodestar ingest %.2f s, ratio %.2f (target <= 1.5); metrics --by service %.2f s (target < 1; sqlite3 scan of the same columns %.2f s)\n", i, l, l / i, m, s
}'
