#!/usr/bin/env bash
# End-to-end tests of the survey form, the reports and the lead's /admin pages in a real headless Chromium
# (browser-tests/).
#
# Builds a demo database in a temporary folder, serves it on a free port and runs the
# Python tests against it. Needs chromium, chromedriver and Python's selenium:
#   apt-get install chromium chromium-driver && python3 -m pip install selenium
#
# LODESTAR_BIN=path/to/lodestar   use that binary (its resources folder beside it) instead of building
# LODESTAR_ARTIFACTS=folder       where screenshots go (default test-artifacts/browser)
# Exit status: the tests' status; 2 when something needed is not installed.
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
source scripts/lib.sh

missing() { echo "browser-tests: $1 is not installed ($2)" >&2; exit 2; }
command -v python3 >/dev/null || missing python3 "apt-get install python3"
chromium_bin=$(command -v chromium || true)
[[ -n $chromium_bin ]] || missing chromium "apt-get install chromium"
chromedriver_bin=$(command -v chromedriver || true)
[[ -n $chromedriver_bin ]] || missing chromedriver "apt-get install chromium-driver"
python3 -c 'import selenium' 2>/dev/null || missing "Python's selenium" "python3 -m pip install selenium"

lodestar_bin browser-tests "$caller_dir"
artifacts_dir test-artifacts/browser

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-browser.XXXXXX")
server_pid=
tests_pid=
# shellcheck disable=SC2317  # called by the trap
cleanup() {
    # The tests run in their own process group, with the chromedriver and Chromium they start.
    if [[ -n $tests_pid ]] && kill -0 "$tests_pid" 2>/dev/null; then
        kill -TERM -- "-$tests_pid" 2>/dev/null || true
        wait "$tests_pid" 2>/dev/null || true
    fi
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
if ! "$bin" demo --no-serve --db "$tmp/demo.sqlite" --reports "$tmp/reports" >"$tmp/demo.log" 2>&1; then
    cat "$tmp/demo.log" >&2
    echo "browser-tests: lodestar demo failed" >&2
    exit 1
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base_url=http://127.0.0.1:$port
# The admin pages need a token to sign in with; a throwaway one for this run.
admin_token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
LODESTAR_ADMIN_TOKEN=$admin_token "$bin" serve --db "$tmp/demo.sqlite" --reports "$tmp/reports" --port "$port" --rate-limit 0 --semantic off >"$tmp/server.log" 2>&1 &
server_pid=$!

# Up to about 15 s for /healthz to answer.
healthy() { python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' "$base_url/healthz" 2>/dev/null; }
for _ in $(seq 60); do
    healthy && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$tmp/server.log" >&2
        echo "browser-tests: lodestar serve stopped before answering" >&2
        exit 1
    fi
    sleep 0.25
done
healthy || { tail -n 20 "$tmp/server.log" >&2; echo "browser-tests: $base_url/healthz did not answer within 15 s" >&2; exit 1; }

echo "browser-tests: lodestar at $base_url, Chromium $("$chromium_bin" --version 2>/dev/null | awk '{print $2}'), screenshots in $artifacts"
# In the background and in a process group of their own, so that an interrupt stops them,
# their browsers included, at once; at most 5 minutes in all.
mkdir "$tmp/browser"  # TMPDIR: Chromium's profiles and scratch folders go there, and are removed with it
TMPDIR=$tmp/browser PYTHONDONTWRITEBYTECODE=1 LODESTAR_ADMIN_TOKEN=$admin_token LODESTAR_BASE_URL=$base_url LODESTAR_BIN=$bin LODESTAR_DB=$tmp/demo.sqlite LODESTAR_ARTIFACTS=$artifacts \
    CHROMIUM_BIN=$chromium_bin CHROMEDRIVER_BIN=$chromedriver_bin \
    setsid timeout --kill-after=10 300 python3 -m unittest discover -s browser-tests -v &
tests_pid=$!
status=0
wait "$tests_pid" || status=$?
tests_pid=
exit "$status"
