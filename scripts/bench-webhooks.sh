#!/usr/bin/env bash
# Webhook benchmark: signed GitHub deployment_status deliveries to POST /webhooks/github, release build, wrk with
# 32 connections on 127.0.0.1. Every delivery is distinct, so the deployments stored per second are the figure;
# afterwards the rows stored must equal the 2xx answers.
#
#   scripts/bench-webhooks.sh [DURATION_SECONDS]    (default 10; needs wrk, sqlite3, curl, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
port=${BENCH_PORT:-18081}
deliveries=${BENCH_DELIVERIES:-150000}
source scripts/lib.sh
require_tools bench-webhooks wrk sqlite3 curl python3

build_release
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.sqlite"
secret=bench-secret

python3 - "$work/requests.lua" "$deliveries" "$secret" <<'PY'
import hashlib, hmac, json, sys
path, count, secret = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
def lua(text):
    return '"' + text.replace('\\', '\\\\').replace('"', '\\"') + '"'
with open(path, "w") as out:
    # Lua allows 65,536 constants a function: the entries go in chunks, each in its own function.
    out.write("local r = {}\n")
    for n in range(count):
        if n % 5000 == 0:
            out.write("%s;(function()\n" % ("end)()\n" if n else ""))
        body = json.dumps({
            "action": "created",
            "deployment_status": {"id": 900000 + n, "state": "success" if n % 9 else "failure", "environment": "production",
                                  "created_at": "2026-11-02T10:15:00Z", "updated_at": "2026-11-02T10:15:00Z"},
            "deployment": {"id": 100000 + n, "sha": hashlib.sha1(str(n).encode()).hexdigest(), "ref": "main", "task": "deploy",
                           "environment": "production", "created_at": "2026-11-02T10:05:00Z"},
            "repository": {"id": 1296269, "name": "service-%03d" % (n % 200), "full_name": "acme/service-%03d" % (n % 200)},
            "sender": {"login": "deploy-bot", "id": 1},
        }, separators=(",", ":"))
        signature = "sha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        headers = '{["X-GitHub-Event"]="deployment_status",["X-GitHub-Delivery"]="d-%d",["X-Hub-Signature-256"]="%s"}' % (n, signature)
        out.write('r[#r+1]={path="/webhooks/github",headers=%s,body=%s}\n' % (headers, lua(body)))
    out.write("end)()\nreturn r\n")
PY

"$bin" db migrate --db "$db" >/dev/null
LODESTAR_GITHUB_SECRET=$secret "$bin" serve --db "$db" --port "$port" --log-level warning >"$work/server.log" 2>&1 &
server=$!
wait_for_server "$port"

line=$(BENCH_REQUESTS="$work/requests.lua" wrk -t2 -c32 -d"${duration}s" --latency -s scripts/wrk/sources.lua "http://127.0.0.1:$port" | grep '^RESULT')
rows=$(sqlite3 "$db" "SELECT count(*) FROM deployment")
ok=$(sed -E 's/.* ok=([0-9]+).*/\1/' <<<"$line")
seconds=$(sed -E 's/.* seconds=([0-9.]+).*/\1/' <<<"$line")
awk -v l="$line" -v r="$rows" -v s="$seconds" 'BEGIN { printf "POST /webhooks/github  %s rows=%d stored_per_s=%.0f (target >= 5000)\n", l, r, r / s }'
if [ "$ok" -gt "$deliveries" ]; then echo "note: more requests than prepared deliveries; redeliveries stored nothing" >&2
elif [ "$rows" -lt "$ok" ] || [ "$rows" -gt "$((ok + 32))" ]; then echo "MISMATCH: $rows rows for $ok 2xx answers" >&2; exit 1; fi
