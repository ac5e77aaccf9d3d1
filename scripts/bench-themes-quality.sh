#!/usr/bin/env bash
# Quality of `lodestar themes` on the labelled demo answers (12 themes, hand-written), next to scikit-learn's
# TF-IDF + k-means on the same texts: NMI and ARI with and without the true number of clusters, and whether two
# runs print the same bytes.
#
#   scripts/bench-themes-quality.sh      (needs python3 with scikit-learn: pip install scikit-learn)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_tools bench-themes-quality python3
python3 -c "import sklearn" 2>/dev/null || { echo "bench-themes-quality: scikit-learn is not installed (pip install scikit-learn)" >&2; exit 2; }

build_release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" bench corpus --out "$work/labelled.tsv" >/dev/null
python3 scripts/themes_quality.py "$bin" "$work/labelled.tsv"
