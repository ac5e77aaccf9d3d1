#!/usr/bin/env bash
# Durability and graceful shutdown, end to end against a real server on 127.0.0.1 (under a minute).
#
# 1. SIGKILL: 16 clients post survey forms (GET /survey for the CSRF cookie and token, then POST), answers to
#    POST /api/v1/responses and signed GitHub and GitLab deployment webhooks, each write with a marker of its own;
#    the server is killed with SIGKILL in the middle and started again on the same database.
# 2. SIGTERM: more of the same on fresh connections, plus requests that have sent half their body, when the server
#    gets SIGTERM. Those must all be answered 2xx; any other request is answered or refused, never cut off after
#    it was stored. The server must exit 0 and leave no write-ahead log behind.
# 3. scripts/durability.py reads the database (read-only): every write answered 2xx is stored exactly once, no 5xx,
#    `PRAGMA integrity_check` is ok. It prints one line per phase and a summary; the exit status is 1 on any failure.
#
#   scripts/durability.sh      (builds with swift build; LODESTAR_BIN=path/to/lodestar uses that binary instead)
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_tools durability python3 curl

lodestar_bin durability "$caller_dir"

work=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-durability.XXXXXX")
server=
helpers=()
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    for pid in "${helpers[@]}" $server; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
db=$work/durability.sqlite
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export LODESTAR_GITHUB_SECRET=durability-secret LODESTAR_GITLAB_TOKEN=durability-token
helper() { python3 scripts/durability.py "$@" --port "$port" --out "$work"; }

start_server() {
    "$bin" serve --db "$db" --port "$port" --rate-limit 0 --reports "$work/reports" --log-level warning >>"$work/server.log" 2>&1 &
    server=$!
    wait_for_server "$port"
}

# stopped_within SECONDS: waits for the server to exit; its status is in $status. Fails if it is still running.
stopped_within() {
    for _ in $(seq $(($1 * 10))); do
        kill -0 "$server" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$server" 2>/dev/null; then
        echo "FAIL: the server did not stop within $1 s of SIGTERM" >&2
        exit 1
    fi
    status=0
    wait "$server" || status=$?
    server=
}

started=$SECONDS
"$bin" survey open --db "$db" --survey platform-pulse --month 2026-11 --mode open >/dev/null

# 1. SIGKILL in the middle of the load, then a restart on the same database.
start_server
helper drive --phase killed --seconds 6 --workers 16 >/dev/null &
helpers+=($!)
sleep 3
kill -KILL "$server"
wait "$server" 2>/dev/null || true
server=
wait "${helpers[-1]}"
start_server

# 2. SIGTERM with requests in flight.
helper drive --phase sigterm --seconds 4 --workers 8 --fresh-connections >/dev/null &
helpers+=($!)
helper slow --phase slow --count 8 --hold 1.5 >/dev/null &
helpers+=($!)
for _ in $(seq 100); do [[ -e $work/slow.ready ]] && break; sleep 0.1; done
[[ -e $work/slow.ready ]] || { echo "FAIL: the slow requests did not start" >&2; exit 1; }
sleep 0.3
term_sent=$(date +%s.%N)
kill -TERM "$server"
stopped_within 20
term_took=$(awk -v a="$term_sent" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
for pid in "${helpers[@]}"; do wait "$pid"; done
helpers=()

failed=0
echo "SIGTERM: exit status $status after ${term_took} s (the slow requests held their bodies for 1.5 s)"
[[ $status == 0 ]] || { echo "FAIL: the server exited $status on SIGTERM, not 0" >&2; failed=1; }
if [[ -s $db-wal ]]; then
    echo "FAIL: the write-ahead log was left with $(stat -c %s "$db-wal") bytes after SIGTERM" >&2
    failed=1
else
    echo "SIGTERM: write-ahead log $([[ -e $db-wal ]] && echo empty || echo removed)"
fi

# 3. What the database kept.
python3 scripts/durability.py verify --db "$db" --out "$work" --interrupted killed --graceful sigterm slow || failed=1
if grep -q -i -E 'fatal|crash' "$work/server.log"; then
    grep -i -E 'fatal|crash' "$work/server.log" | head -n 5 >&2
    failed=1
fi
echo "durability: $((SECONDS - started)) s, $([[ $failed == 0 ]] && echo passed || echo FAILED)"
exit "$failed"
