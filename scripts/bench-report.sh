#!/usr/bin/env bash
# Report benchmark (issue: the monthly progress report), release build: publishing one month over 12 months of
# history — 20 teams answering the survey, 200 services, 1,000,000 pipeline events. Reports the wall time and
# peak memory of `lodestar report publish` (ROUNDS times, median) and the size of the HTML. The machines are shared
# and noisy, so each round also times `lodestar metrics --by service` on the same database, and the ratio of the two
# medians is printed as a figure that holds when the machine is slow.
#
#   scripts/bench-report.sh [ROUNDS]      (default 5; needs GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
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
: >"$work/metrics"
for round in $(seq "$rounds"); do
  /usr/bin/time -f "%e %M" -a -o "$work/times" "$bin" report publish --db "$work/lodestar.sqlite" --month "$month" --out "$work/reports" >/dev/null
  /usr/bin/time -f "%e" -a -o "$work/metrics" "$bin" metrics --db "$work/lodestar.sqlite" --by service >/dev/null
  printf "  round %d: %.2f s, peak %.1f MB (metrics --by service: %.2f s)\n" "$round" \
    "$(tail -1 "$work/times" | cut -d' ' -f1)" "$(tail -1 "$work/times" | awk '{ print $2 / 1024 }')" "$(tail -1 "$work/metrics")"
done
median() { sort -n | awk '{ s[NR] = $1 } END { print (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2 }'; }
report=$(cut -d' ' -f1 "$work/times" | median)
metrics=$(median <"$work/metrics")
awk -v r="$report" -v m="$metrics" 'BEGIN { printf "metrics --by service: median %.2f s; report publish / metrics = %.2f\n", m, r / m }'
sort -n "$work/times" | awk '{ s[NR] = $1; if ($2 > peak) peak = $2 } END {
  m = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
  printf "report publish: median %.2f s, peak %.1f MB\n", m, peak / 1024
}'
ls -l "$work/reports/$month" | awk 'NR > 1 { printf "  %-12s %6.1f KB\n", $NF, $5 / 1024 }'
echo "targets: under 1 s; index.html under 300 KB"
