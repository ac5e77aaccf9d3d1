#!/usr/bin/env bash
# Mixed load: 70% survey form posts (with the CSRF cookie and token), 30% signed GitHub deployment_status
# webhooks, 64 connections on 127.0.0.1, release build, rate limit off, LOAD_SECONDS (default 60) seconds.
# Then the same load again, killed with SIGKILL half-way, and a restart on the same database.
#
# Every write carries a marker (scripts/wrk/mixed.lua); scripts/durability.py checks afterwards that every write
# answered 2xx is stored exactly once, that nothing was answered 5xx and that `PRAGMA integrity_check` is ok.
# wrk runs one thread per connection so that each answer is matched to its request; the webhooks are signed in
# LuaJIT as they are made (scripts/wrk/hmac.lua, checked against Python's hmac first).
#
#   scripts/load.sh                (needs wrk, python3, curl: apt-get install wrk)
#   LOAD_SECONDS=20 scripts/load.sh
#   LODESTAR_BIN=.build-release/release/lodestar scripts/load.sh     (that binary, without building)
# Prints requests/s, p50/p99 latency, 5xx and acknowledged against stored writes; exits 1 on a lost or
# duplicated write, a 5xx, a failed integrity check or p99 at or over 50 ms.
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
seconds=${LOAD_SECONDS:-60}
kill_seconds=${LOAD_KILL_SECONDS:-10}
connections=64
source scripts/lib.sh
require_tools load wrk python3 curl

lodestar_bin load "$caller_dir" release
work=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-load.XXXXXX")
server=
wrk_pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    for pid in $wrk_pid $server; do kill -KILL "$pid" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
db=$work/load.sqlite
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export LOAD_SECRET=load-secret LOAD_OUT=$work

# The signing in Lua must agree with Python's before its webhooks mean anything.
expected=$(python3 -c 'import hashlib, hmac; print(hmac.new(b"load-secret", b"{\"a\": 1}" * 50, hashlib.sha256).hexdigest())')
printf 'dofile("scripts/wrk/hmac.lua")\nfunction done() io.write("HMAC ", hmac_sha256_hex("load-secret", string.rep([[{"a": 1}]], 50)), "\\n") end\n' >"$work/check.lua"

start_server() {
    LODESTAR_GITHUB_SECRET=$LOAD_SECRET "$bin" serve --db "$db" --port "$port" --rate-limit 0 --reports "$work/reports" \
        --log-level warning >>"$work/server.log" 2>&1 &
    server=$!
    wait_for_server "$port"
}

"$bin" survey open --db "$db" --survey platform-pulse --month 2026-11 --mode open >/dev/null
start_server
signed=$(wrk -t1 -c1 -d1s -s "$work/check.lua" "http://127.0.0.1:$port/healthz" | sed -n 's/^HMAC //p')
[[ $signed == "$expected" ]] || { echo "load: scripts/wrk/hmac.lua signs wrongly ($signed, expected $expected)" >&2; exit 1; }

# The form needs its CSRF cookie and the same token in the body: fetched once, as a browser would.
page=$(curl -fs -c "$work/cookies" "http://127.0.0.1:$port/survey")
LOAD_CSRF=$(sed -nE 's/.*name="csrf" value="([^"]+)".*/\1/p' <<<"$page" | head -n 1)
LOAD_COOKIE=$(awk '$6 == "lodestar_csrf" {print $6 "=" $7}' "$work/cookies")
[[ -n $LOAD_CSRF && -n $LOAD_COOKIE ]] || { echo "load: no CSRF token on GET /survey" >&2; exit 1; }
export LOAD_CSRF LOAD_COOKIE

# load PHASE RUN SECONDS: one wrk run; leaves PHASE.sent, PHASE.acked and PHASE.json for durability.py.
load() {
    local phase=$1 run=$2 duration=$3 line
    LOAD_PHASE=$phase LOAD_RUN=$run wrk -t"$connections" -c"$connections" -d"${duration}s" --timeout 10s --latency \
        -s scripts/wrk/mixed.lua "http://127.0.0.1:$port" >"$work/$phase.wrk" 2>&1 || true
    line=$(grep '^RESULT' "$work/$phase.wrk") || { cat "$work/$phase.wrk" >&2; exit 1; }
    cat "$work/$phase"-*.sent >"$work/$phase.sent"
    cat "$work/$phase"-*.acked >"$work/$phase.acked"
    python3 - "$work/$phase.json" "$phase" "$line" <<'PY'
import json, sys
path, phase, line = sys.argv[1], sys.argv[2], sys.argv[3]
fields = dict(item.split("=") for item in line.split()[1:])
json.dump({"phase": phase, "statuses": {"2xx": int(fields["ok"]), "4xx": int(fields["4xx"]), "5xx": int(fields["5xx"])},
           "errors": {"socket": int(fields["socket_errors"])}, "result": fields}, open(path, "w"))
PY
    echo "$phase: $line"
}

echo "load: $seconds s, $connections connections, 70% POST /survey, 30% POST /webhooks/github, release build, $(nproc) cores"
load load 1 "$seconds"
p99=$(sed -nE 's/.*"p99_ms": "([0-9.]+)".*/\1/p' "$work/load.json")
failed=0
python3 scripts/durability.py verify --db "$db" --out "$work" --interrupted load || failed=1

# SIGKILL half-way through a second run, a restart on the same database, and a short run against it.
load killed 2 "$kill_seconds" &
wrk_pid=$!
sleep $((kill_seconds / 2))
kill -KILL "$server"
wait "$server" 2>/dev/null || true
wait "$wrk_pid"
wrk_pid=
start_server
load restarted 3 3
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=
[[ $status == 0 ]] || { echo "FAIL: the server exited $status on SIGTERM" >&2; failed=1; }
echo "after SIGKILL and restart:"
python3 scripts/durability.py verify --db "$db" --out "$work" --interrupted load killed restarted || failed=1

if awk -v p="$p99" 'BEGIN { exit !(p >= 50) }'; then
    echo "FAIL: p99 $p99 ms, target under 50 ms" >&2
    failed=1
fi
echo "load: $([[ $failed == 0 ]] && echo passed || echo FAILED) (p99 ${p99} ms, target < 50 ms)"
exit "$failed"
