#!/usr/bin/env bash
# Two `lodestar serve` nodes on one PostgreSQL, end to end on 127.0.0.1 (about a minute): issue 17's multi-node check.
#
# A throwaway PostgreSQL of its own (scripts/postgres.sh with a state file in a temporary folder, stopped on exit),
# survey rounds opened with the CLI, nodes A and B started on two ports with the rate limit off. Then, one line each
# (scripts/multinode.py does the requests and reads PostgreSQL with psql):
#  1. load: 8 threads per node post answers to both nodes at once; node A gets SIGKILL midway. Every id answered
#     201 is stored exactly once, nothing twice, what is stored unanswered was cut off at A by the kill, and node B
#     answered every request 201 before and after the kill. Node A is then started again on the same database.
#  2. invite tokens: each token of an invite-only round is sent to A and B at the same moment: one 201, one 4xx.
#  3. webhooks: a signed GitHub delivery sent to A and then to B (and others to both at once) is stored once; the
#     second copy stores nothing.
#  4. anonymity: with fewer than k answers (given through both nodes) GET /api/v1/epics on both nodes quotes
#     nothing; once the month has k answers, both quote (the control that the check can see quotes at all).
#
#   scripts/multinode.sh     (debug build with swift build; LODESTAR_BIN=path/to/lodestar uses that binary instead)
# Exits 0 only when every check holds.
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_tools multinode python3 curl

lodestar_bin multinode "$caller_dir"
psql=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[[ -n $psql ]] || psql=$(command -v psql) || true

work=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-multinode.XXXXXX")
export LODESTAR_PG_STATE=$work/postgres.state
unset LODESTAR_PG_PORT
node_a=
node_b=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    for pid in $node_a $node_b; do kill -KILL "$pid" 2>/dev/null || true; done
    scripts/postgres.sh stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$SECONDS
url=$(scripts/postgres.sh start)
[[ -n $psql ]] || psql=$(ls -d /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)  # postgres.sh installed it
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port_a=$(free_port)
port_b=$(free_port)
export LODESTAR_GITHUB_SECRET=multinode-secret
helper() { python3 scripts/multinode.py "$@" --nodes "$port_a,$port_b"; }

this_month=$(date -u +%Y-%m)
invite_month=$(date -u -d "$this_month-15 -1 month" +%Y-%m)
quiet_month=$(date -u -d "$this_month-15 -2 month" +%Y-%m)
"$bin" survey open --db "$url" --survey platform-pulse --month "$this_month" --mode open >/dev/null
"$bin" survey open --db "$url" --survey platform-pulse --month "$invite_month" --mode invite >/dev/null
"$bin" survey open --db "$url" --survey platform-pulse --month "$quiet_month" --mode open >/dev/null
"$bin" survey invite --db "$url" --month "$invite_month" --count 10 --format json >"$work/tokens.json"

# start_node NAME PORT: starts a node in the background and sets $pid to it.
start_node() {
    "$bin" serve --db "$url" --port "$2" --rate-limit 0 --reports "$work/reports" --log-level warning >>"$work/$1.log" 2>&1 &
    pid=$!
}
start_node a "$port_a"
node_a=$pid
disown "$node_a"  # the helper kills it: no "Killed" notice from this shell
start_node b "$port_b"
node_b=$pid
wait_for_server "$port_a"
wait_for_server "$port_b"
echo "multinode: PostgreSQL $("$psql" "$url" -X -A -t -c 'SHOW server_version'), nodes A :$port_a and B :$port_b ($bin)"

failed=0
# 1. Load across both nodes; the helper sends SIGKILL to node A itself, midway.
helper load --db "$url" --psql "$psql" --lodestar "$bin" --month "$this_month" --seconds 8 --workers 8 \
    --kill-pid "$node_a" --kill-after 4 || failed=1
for _ in $(seq 50); do kill -0 "$node_a" 2>/dev/null || break; sleep 0.1; done
start_node a "$port_a"
node_a=$pid
wait_for_server "$port_a"

# 2. and 3.
helper invites --db "$url" --psql "$psql" --tokens "$work/tokens.json" || failed=1
helper webhooks --db "$url" --psql "$psql" --count 5 || failed=1

# 4. Four answers, two through each node: under k = 5, so no quote on either; two more make six, and both quote.
answer() {
    curl -fs -o /dev/null -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$1/api/v1/responses" \
        -d "{\"month\":\"$quiet_month\",\"answers\":{\"best\":\"Quick code review, answer $2\",\"worst\":\"Flaky integration tests, answer $2\",\"change\":\"Faster CI runners, answer $2\"}}"
}
markers=()
for n in 1 2 3 4; do
    answer "$([[ $((n % 2)) == 1 ]] && echo "$port_a" || echo "$port_b")" "$n"
    markers+=("answer $n")
done
"$bin" epics generate --db "$url" --month "$quiet_month" --semantic off >/dev/null
helper anonymity --month "$quiet_month" --expect withheld --markers "${markers[@]}" || failed=1
answer "$port_a" 5
answer "$port_b" 6
"$bin" epics generate --db "$url" --month "$quiet_month" --semantic off --force >/dev/null
helper anonymity --month "$quiet_month" --expect quoted || failed=1

# Both nodes stop cleanly on SIGTERM.
for node in a b; do
    pid=$([[ $node == a ]] && echo "$node_a" || echo "$node_b")
    kill -TERM "$pid"
    status=0
    wait "$pid" || status=$?
    [[ $node == a ]] && node_a= || node_b=
    [[ $status == 0 ]] || { echo "FAIL: node ${node^^} exited $status on SIGTERM" >&2; failed=1; }
    if grep -q -i -E 'fatal|crash' "$work/$node.log"; then
        echo "FAIL: node ${node^^} logged:" >&2
        grep -i -E 'fatal|crash' "$work/$node.log" | head -n 5 >&2
        failed=1
    fi
done
echo "multinode: $((SECONDS - started)) s, $([[ $failed == 0 ]] && echo passed || echo FAILED)"
exit "$failed"
