#!/usr/bin/env bash
# PostgreSQL against SQLite, in one run on one machine (issue 17, item 6), release build, medians over ROUNDS rounds:
#
#  a. stored answers/s through POST /api/v1/responses, wrk with 32 connections on 127.0.0.1, rate limit off, a fresh
#     database each round: one node on SQLite, one node on PostgreSQL, and two nodes on one PostgreSQL with the 32
#     connections split 16 + 16 (target: two nodes ≥ 1.5 × one node), with p99 latency (for two nodes the larger of
#     the two wrk runs' p99). After each run the rows stored must equal the 2xx answers (plus at most one request per
#     connection still in flight at wrk's deadline). Where the CPU went during each run is printed beside it: the
#     machine's busy share, and the CPU seconds per second of the servers, PostgreSQL and wrk.
#  b. `lodestar ingest` of BENCH_EVENTS (default 1,000,000) NDJSON events (`lodestar bench events`) into a fresh
#     database of each kind; the rows stored must agree.
#  c. `lodestar metrics --by service` over those events on each.
#  d. `lodestar report publish` for this month over a year (`lodestar bench survey` on top of the events) on each.
# Each figure is printed with the ratio PostgreSQL / SQLite.
#
# PostgreSQL is a throwaway server of this script's own (scripts/postgres.sh, state in a temporary folder, stopped on
# exit). scripts/postgres.sh turns fsync off; this script turns it back on (PostgreSQL's default, what a team's server
# runs: every commit waits for its WAL flush), unless BENCH_PG_FSYNC=off. SQLite runs as Lodestar opens it: WAL with
# synchronous = NORMAL, which does not flush on each commit.
#
#   scripts/bench-postgres.sh [ROUNDS]      (default 3; needs wrk, sqlite3, curl, python3 and GNU time:
#                                            apt-get install wrk sqlite3 time)
#   BENCH_SECONDS=10 (each wrk run), BENCH_EVENTS=1000000, LODESTAR_BIN=.build-release/release/lodestar (no build)
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
rounds=${1:-3}
duration=${BENCH_SECONDS:-10}
count=${BENCH_EVENTS:-1000000}
fsync=${BENCH_PG_FSYNC:-on}
connections=32
source scripts/lib.sh
require_tools bench-postgres wrk sqlite3 curl python3 /usr/bin/time

lodestar_bin bench-postgres "$caller_dir" release
work=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-bench-postgres.XXXXXX")
export LODESTAR_PG_STATE=$work/postgres.state
unset LODESTAR_PG_PORT
servers=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    for pid in "${servers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    scripts/postgres.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

url=$(scripts/postgres.sh start)
psql=$(ls -d /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
# shellcheck disable=SC1090
source "$LODESTAR_PG_STATE"  # $folder and $port of the server
pg_admin() { "$psql" -X -q -h "$folder" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
if ((EUID == 0)); then pg_admin() { runuser -u postgres -- "$psql" -X -q -h "$folder" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }; fi
pg_admin -c "ALTER SYSTEM SET fsync = $fsync" -c "SELECT pg_reload_conf()" >/dev/null
postmaster=$(head -n 1 "$folder/data/postmaster.pid")
# The bench survey and report want today's month; the answers go to a round of their own.
answer_month=2026-11
report_month=$(date -u +%Y-%m)
ticks_per_second=$(getconf CLK_TCK)

# fresh_database NAME KIND: sets $db to a new database: a file for sqlite, a database on the server for postgres.
fresh_database() {
    if [[ $2 == sqlite ]]; then
        db=$work/$1.sqlite
        rm -f "$db" "$db-wal" "$db-shm"
    else
        pg_admin -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 OWNER lodestar"
        db=${url/\/lodestar\?sslmode/\/$1?sslmode}
    fi
}

# count_rows DB SQL: one number from either kind of database.
count_rows() {
    if [[ $1 == postgres://* ]]; then "$psql" "$1" -X -A -t -c "$2"; else sqlite3 "$1" "$2"; fi
}

median() { sort -n "$work/$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ticks PID…: the CPU ticks (user + system) the processes have used so far; gone ones count 0.
ticks() {
    local pid total=0 fields
    for pid in "$@"; do
        fields=$(cut -d')' -f2 "/proc/$pid/stat" 2>/dev/null) || continue
        total=$((total + $(awk '{ print $12 + $13 }' <<<"$fields")))
    done
    echo "$total"
}
postgres_pids() { echo "$postmaster" $(pgrep -P "$postmaster" || true); }
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

# --- a. Stored answers per second ---

export BENCH_CONTENT_TYPE=application/json BENCH_COOKIE=""
export BENCH_BODY="{\"month\":\"$answer_month\",\"team\":\"payments\",\"answers\":{\"best\":\"Preview environments per pull request\",\"worst\":\"The integration tests are flaky and take 25 minutes\",\"change\":\"Cache the dependency downloads in CI\"},\"ratings\":{\"satisfaction\":4,\"easeOfShipping\":3,\"operationsShare\":30}}"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# answers NAME KIND NODES: one round: fresh database, NODES servers, $connections wrk connections split across them.
answers() {
    local name=$1 kind=$2 nodes=$3 n ports=() pids=() loaders=() before_servers before_pg busy0 total0 busy1 total1
    fresh_database "answers_${name//-/_}" "$kind"
    "$bin" survey open --db "$db" --survey platform-pulse --month "$answer_month" --mode open >/dev/null
    for n in $(seq "$nodes"); do
        ports+=("$(free_port)")
        "$bin" serve --db "$db" --port "${ports[-1]}" --rate-limit 0 --reports "$work/reports" --log-level warning \
            >>"$work/server.log" 2>&1 &
        pids+=($!)
        servers+=($!)
    done
    for n in "${ports[@]}"; do wait_for_server "$n"; done
    for n in "${ports[@]}"; do  # a warm-up answer each, so the pools are open before the counting starts
        curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' -d "$BENCH_BODY" "http://127.0.0.1:$n/api/v1/responses"
    done
    local before
    before=$(count_rows "$db" "SELECT count(*) FROM response")
    read -r busy0 total0 < <(machine_ticks)
    before_servers=$(ticks "${pids[@]}")
    before_pg=$(ticks $(postgres_pids))
    rm -f "$work"/wrk-*
    for n in $(seq "$nodes"); do
        /usr/bin/time -f "%U %S" -o "$work/wrk-$n.time" wrk -t$((2 / nodes)) -c$((connections / nodes)) -d"${duration}s" --latency \
            -s scripts/wrk/post.lua "http://127.0.0.1:${ports[n - 1]}/api/v1/responses" >"$work/wrk-$n.out" 2>&1 &
        loaders+=($!)
    done
    wait "${loaders[@]}"
    read -r busy1 total1 < <(machine_ticks)
    local servers_cpu pg_cpu wrk_cpu after ok=0 seconds=0 p99=0 line
    servers_cpu=$(($(ticks "${pids[@]}") - before_servers))
    pg_cpu=$(($(ticks $(postgres_pids)) - before_pg))
    wrk_cpu=$(cat "$work"/wrk-*.time | awk '{ s += $1 + $2 } END { print s }')
    after=$(count_rows "$db" "SELECT count(*) FROM response")
    for n in $(seq "$nodes"); do
        line=$(grep '^RESULT' "$work/wrk-$n.out") || { cat "$work/wrk-$n.out" >&2; exit 1; }
        ok=$((ok + $(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line")))
        seconds=$(awk -v a="$seconds" -v b="$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")" 'BEGIN { print (b > a) ? b : a }')
        p99=$(awk -v a="$p99" -v b="$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")" 'BEGIN { print (b > a) ? b : a }')
        grep -q ' other=0 ' <<<"$line" || { echo "bench-postgres: $name: answers other than 2xx: $line" >&2; exit 1; }
    done
    for n in "${pids[@]}"; do kill -TERM "$n"; wait "$n" || true; done
    servers=()
    local extra=$((after - before - ok))
    if ((extra < 0 || extra > connections)); then
        echo "MISMATCH: $name stored $((after - before)) rows for $ok 2xx answers" >&2
        exit 1
    fi
    awk -v ok="$ok" -v s="$seconds" >>"$work/answers-$name" 'BEGIN { printf "%.1f\n", ok / s }'
    echo "$p99" >>"$work/p99-$name"
    awk -v n="$name" -v ok="$ok" -v s="$seconds" -v p="$p99" -v busy=$((busy1 - busy0)) -v total=$((total1 - total0)) \
        -v sv="$servers_cpu" -v pg="$pg_cpu" -v w="$wrk_cpu" -v hz="$ticks_per_second" -v cores="$(nproc)" 'BEGIN {
        printf "  %-12s %7.0f stored/s  p99 %6.2f ms  CPU: machine %3.0f%% of %d cores; per second: lodestar %.2f, postgres %.2f, wrk %.2f\n",
            n, ok / s, p, 100 * busy / total, cores, sv / hz / s, pg / hz / s, w / s
    }'
}

echo "bench-postgres: $rounds rounds, $(nproc) cores, $bin"
echo "  PostgreSQL $("$psql" "$url" -X -A -t -c 'SHOW server_version') (fsync $fsync), SQLite $(sqlite3 --version | cut -d' ' -f1)"
echo "a. POST /api/v1/responses, $connections connections, ${duration} s a run"
for round in $(seq "$rounds"); do
    echo " round $round"
    answers sqlite sqlite 1
    answers postgres postgres 1
    answers postgres-2 postgres 2
done

# --- b. Ingest, c. metrics, d. report ---

"$bin" bench events --count "$count" --services 200 --days 365 --ndjson "$work/events.ndjson" >/dev/null

# measure NAME COMMAND…: runs the command, prints "NAME seconds peak_MB", appends seconds to $work/NAME.
measure() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r seconds kb <"$work/time"
    echo "$seconds" >>"$work/$name"
    awk -v n="$name" -v s="$seconds" -v kb="$kb" 'BEGIN { printf "  %-22s %7.2f s  peak %6.1f MB\n", n, s, kb / 1024 }'
}

events="SELECT (SELECT count(*) FROM change) + (SELECT count(*) FROM deployment) + (SELECT count(*) FROM incident)"
echo "b. ingest of $count NDJSON events"
for round in $(seq "$rounds"); do
    for kind in sqlite postgres; do
        fresh_database "events_$kind" "$kind"
        "$bin" db migrate --db "$db" >/dev/null
        measure "ingest-$kind" "$bin" ingest --db "$db" "$work/events.ndjson"
        declare "db_$kind=$db"
    done
done
rows_sqlite=$(count_rows "$db_sqlite" "$events")
rows_postgres=$(count_rows "$db_postgres" "$events")
echo "  rows: SQLite $rows_sqlite, PostgreSQL $rows_postgres"
[[ $rows_sqlite == "$rows_postgres" ]] || { echo "MISMATCH: the two databases hold different rows" >&2; exit 1; }

echo "c. metrics --by service"
for round in $(seq "$rounds"); do
    for kind in sqlite postgres; do
        db_name=db_$kind
        measure "metrics-$kind" "$bin" metrics --db "${!db_name}" --by service
    done
done

echo "d. report publish $report_month over 12 months (bench survey: 20 teams, 150 answers a month)"
for kind in sqlite postgres; do
    db_name=db_$kind
    "$bin" bench survey --db "${!db_name}" --months 12 --teams 20 --responses 150 --services 200 >/dev/null
done
for round in $(seq "$rounds"); do
    for kind in sqlite postgres; do
        db_name=db_$kind
        measure "report-$kind" "$bin" report publish --db "${!db_name}" --month "$report_month" --out "$work/reports-$kind"
    done
done
if cmp -s "$work/reports-sqlite/$report_month/report.json" "$work/reports-postgres/$report_month/report.json"; then
    echo "  report.json: the same bytes from both"
else
    echo "  report.json: the two differ (bench survey's answers may not be the same on both)"
fi

# --- The table ---

echo
printf "%-44s %12s %12s %10s\n" "median of $rounds rounds" SQLite PostgreSQL "PG/SQLite"
row() {  # row LABEL SQLITE POSTGRES FORMAT
    awk -v l="$1" -v s="$2" -v p="$3" -v f="$4" 'BEGIN { printf "%-44s " f " " f " %10.2f\n", l, s, p, p / s }'
}
row "stored answers/s, 1 node, 32 connections" "$(median answers-sqlite)" "$(median answers-postgres)" "%12.0f"
row "  p99 latency, ms" "$(median p99-sqlite)" "$(median p99-postgres)" "%12.2f"
row "stored answers/s, 2 nodes (16 + 16 connections)" "$(median answers-sqlite)" "$(median answers-postgres-2)" "%12.0f"
row "  p99 latency, ms (larger of the two nodes)" "$(median p99-sqlite)" "$(median p99-postgres-2)" "%12.2f"
row "ingest of $count events, s" "$(median ingest-sqlite)" "$(median ingest-postgres)" "%12.2f"
row "metrics --by service, s" "$(median metrics-sqlite)" "$(median metrics-postgres)" "%12.2f"
row "report publish (a year), s" "$(median report-sqlite)" "$(median report-postgres)" "%12.2f"
awk -v two="$(median answers-postgres-2)" -v one="$(median answers-postgres)" 'BEGIN {
    printf "two PostgreSQL nodes / one: %.2f (target >= 1.5)\n", two / one
}'
echo "(the two-node row's SQLite column is SQLite's one node: a SQLite file takes one server)"
