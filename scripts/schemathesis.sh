#!/usr/bin/env bash
# Contract tests: schemathesis (https://schemathesis.readthedocs.io) against a live server and Resources/openapi.yaml.
# Generation is deterministic (--generation-deterministic): the same spec and server give the same requests.
#
# Builds lodestar, fills a demo database in a temporary folder (so reads find rounds, epics and metrics), serves it
# on 127.0.0.1 on a free port with every secret set, and runs schemathesis deterministically, at most
# SCHEMATHESIS_MAX_EXAMPLES (default 50) examples per operation and at most SCHEMATHESIS_TIME_LIMIT seconds
# (default 240). Runs every check schemathesis has (its default, named here as `all`): any 5xx; any status, content
# type, header or body the spec does not describe; a request the spec allows that is refused or one it forbids that
# is accepted; an unsupported method not answered 405 with Allow; a missing required header not refused; and any
# server that stops. Needs Python's schemathesis: python3 -m pip install schemathesis
#
# LODESTAR_BIN=path/to/lodestar   use that binary (its resources folder beside it) instead of building
# LODESTAR_ARTIFACTS=folder       where the JUnit report and the server log go (default test-artifacts/schemathesis)
# Exit status: 0 when every check passed; 1 on a failure; 2 when something needed is not installed.
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
repo_root=$PWD
source scripts/lib.sh

missing() { echo "schemathesis: $1 is not installed ($2)" >&2; exit 2; }
command -v python3 >/dev/null || missing python3 "apt-get install python3"
python3 -c 'import schemathesis' 2>/dev/null || missing "Python's schemathesis" "python3 -m pip install schemathesis"

lodestar_bin schemathesis "$caller_dir"
artifacts_dir test-artifacts/schemathesis
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-50}
time_limit=${SCHEMATHESIS_TIME_LIMIT:-240}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-schemathesis.XXXXXX")
server_pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [[ -f $tmp/server.log ]]; then cp "$tmp/server.log" "$artifacts/server.log" || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# From the repository root, so the demo finds surveys/.
if ! "$bin" demo --no-serve --db "$tmp/lodestar.sqlite" --reports "$tmp/reports" >"$tmp/demo.log" 2>&1; then
    cat "$tmp/demo.log" >&2
    echo "schemathesis: lodestar demo failed" >&2
    exit 1
fi

# One token opens both the admin and the ingest endpoints, so a single Authorization header exercises all of them.
token=schemathesis-token
export LODESTAR_ADMIN_TOKEN=$token LODESTAR_INGEST_TOKEN=$token LODESTAR_GITLAB_TOKEN=$token LODESTAR_GITHUB_SECRET=$token
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url=http://127.0.0.1:$port
"$bin" serve --db "$tmp/lodestar.sqlite" --reports "$tmp/reports" --host 127.0.0.1 --port "$port" --rate-limit 0 >"$tmp/server.log" 2>&1 &
server_pid=$!

# Up to about 15 s for /healthz to answer.
healthy() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$base_url/healthz" 2>/dev/null; }
for _ in $(seq 60); do
    healthy && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$tmp/server.log" >&2
        echo "schemathesis: lodestar serve stopped before answering" >&2
        exit 1
    fi
    sleep 0.25
done
healthy || { tail -n 20 "$tmp/server.log" >&2; echo "schemathesis: $base_url/healthz did not answer within 15 s" >&2; exit 1; }

echo "schemathesis: lodestar at $base_url, $(python3 -m schemathesis.cli --version 2>/dev/null || echo schemathesis), at most $max_examples examples per operation"
# The spec is the one the server serves, so a stale resources folder fails here too. The hooks sign GitHub bodies.
# Run from the temporary folder: schemathesis keeps a cache in ./.schemathesis.
status=0
cd "$tmp"
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH=$repo_root/scripts SCHEMATHESIS_HOOKS=schemathesis_hooks LODESTAR_GITHUB_SECRET=$token \
    timeout --kill-after=10 "$time_limit" python3 -m schemathesis.cli run "$base_url/openapi.yaml" \
    --url "$base_url" \
    --phases examples,coverage,fuzzing \
    --checks all \
    --max-examples "$max_examples" \
    --generation-deterministic \
    --workers 1 \
    --request-timeout 10 \
    --header "Authorization: Bearer $token" \
    --header "X-Gitlab-Token: $token" \
    --no-color \
    --report junit --report-junit-path "$artifacts/junit.xml" || status=$?

if ! kill -0 "$server_pid" 2>/dev/null; then
    tail -n 40 "$tmp/server.log" >&2
    echo "schemathesis: the server stopped during the run" >&2
    status=1
elif grep -q "Fatal error\|Crash\|Segmentation" "$tmp/server.log"; then
    echo "schemathesis: the server log shows a crash (see $artifacts/server.log)" >&2
    status=1
fi
case $status in
    0) echo "schemathesis: passed" ;;
    124 | 137) echo "schemathesis: did not finish within $time_limit s" >&2; status=1 ;;
    *) echo "schemathesis: failed (exit $status)" >&2 ;;
esac
exit "$status"
