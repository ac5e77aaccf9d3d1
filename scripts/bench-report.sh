#!/usr/bin/env bash
# Report benchmark (issue: the monthly progress report), release build: publishing one month over 12 months of
# history — 20 teams answering the survey, 200 services, 1,000,000 pipeline events. Reports the wall time and
# peak memory of `lodestar report publish` (ROUNDS times, median) and the size of the HTML.
#
#   scripts/bench-report.sh [ROUNDS]      (default 3; needs GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
count=${BENCH_EVENTS:-1000000}
source scripts/lib.sh
require_tools bench-report /usr/bin/time

build_release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$bin" bench events --count "$count" --services 200 --days 365 --ndjson "$work/events.ndjson"
"$bin" ingest --db "$work/lodestar.sqlite" "$work/events.ndjson" >/dev/null
"$bin" bench survey --db "$work/lodestar.sqlite" --months 12 --teams 20 --responses 150 --services 200
month=$(date -u +%Y-%m)

: >"$work/times"
for round in $(seq "$rounds"); do
  /usr/bin/time -f "%e %M" -a -o "$work/times" "$bin" report publish --db "$work/lodestar.sqlite" --month "$month" --out "$work/reports" >/dev/null
  tail -1 "$work/times" | awk -v r="$round" '{ printf "  round %d: %.2f s, peak %.1f MB\n", r, $1, $2 / 1024 }'
done
sort -n "$work/times" | awk '{ s[NR] = $1; if ($2 > peak) peak = $2 } END {
  m = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
  printf "report publish: median %.2f s, peak %.1f MB\n", m, peak / 1024
}'
ls -l "$work/reports/$month" | awk 'NR > 1 { printf "  %-12s %6.1f KB\n", $NF, $5 / 1024 }'
echo "targets: under 1 s; index.html under 300 KB"
