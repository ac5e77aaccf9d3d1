#!/usr/bin/env bash
# Speed of `lodestar themes --semantic off` (by words; scripts/bench-semantic.sh times the sentence model),
# release build: generated answers (fixed seed, 5-30 words, demo vocabulary) at 10k, 20k, 50k and 100k texts;
# wall time and peak memory of each, and the time per n·log2(n) so the growth can be read off (flat means
# n log n, rising with n means worse).
#
#   scripts/bench-themes.sh [ROUNDS]      (default 3; needs GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
source scripts/lib.sh
require_tools bench-themes /usr/bin/time

build_release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf "%8s %10s %10s %16s\n" texts "median s" "peak MB" "µs per n·log2 n"
for n in 10000 20000 50000 100000; do
  "$bin" bench texts --count "$n" --out "$work/texts.txt" >/dev/null
  : >"$work/times"
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%e %M" -a -o "$work/times" "$bin" themes "$work/texts.txt" --format json --semantic off >/dev/null
  done
  sort -n "$work/times" | awk -v n="$n" '{ s[NR] = $1; if ($2 > peak) peak = $2 } END {
    m = (NR % 2) ? s[(NR + 1) / 2] : (s[NR / 2] + s[NR / 2 + 1]) / 2
    printf "%8d %10.2f %10.1f %16.3f\n", n, m, peak / 1024, m * 1e6 / (n * log(n) / log(2))
  }'
done
echo "targets: 20,000 texts under 2 s, 100,000 under 10 s, peak under 500 MB"
