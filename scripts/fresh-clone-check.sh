#!/usr/bin/env bash
# Checks the two set-up commands as a new user meets them: clones this repository's committed HEAD into a temporary
# folder and there runs scripts/test, then scripts/demo --no-serve (which builds the demo and fills its database),
# with no .build/ of this checkout's to lean on. A missing install step, or a file that exists here but was never
# committed, shows up here before it reaches a user.
#
# Not part of .ci/run: CI already starts from a fresh clone, so running this there would only repeat the clean
# build (six minutes and more on the 2-core machine) and the whole test suite, doubling CI's time for nothing.
#
# KEEP=1 keeps the clone (its path is printed). Exit status: the first failing command's.
set -euo pipefail
repository=$(cd "$(dirname "$0")/.." && pwd)
commit=$(git -C "$repository" rev-parse HEAD)
[[ -z $(git -C "$repository" status --porcelain --untracked-files=no) ]] \
  || echo "fresh-clone-check: uncommitted changes here are not checked (only $commit is)" >&2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lodestar-fresh.XXXXXX")
# shellcheck disable=SC2317  # called by the trap
cleanup() { if [[ -n ${KEEP:-} ]]; then echo "fresh-clone-check: the clone is kept in $tmp/lodestar" >&2; else rm -rf "$tmp"; fi; }
trap cleanup EXIT

git clone --quiet --no-checkout "$repository" "$tmp/lodestar"
git -C "$tmp/lodestar" checkout --quiet --detach "$commit"
cd "$tmp/lodestar"
echo "fresh-clone-check: $commit in $tmp/lodestar" >&2
scripts/test
scripts/demo --no-serve
echo "fresh-clone-check: scripts/test and scripts/demo --no-serve passed in a fresh clone of $commit" >&2
