# shellcheck shell=bash
# Shared by the scripts under scripts/: sourced, not run.

# require_tools NAME TOOL…: stops with a message naming the first tool that is missing.
require_tools() {
  local name=$1; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool is not installed (apt-get install $(basename "$tool"))" >&2; exit 2; }
  done
}

# build_release: builds the release binary in .build-release and sets $bin to it.
build_release() {
  swift build -c release --scratch-path .build-release --product lodestar >/dev/null
  bin=$(pwd)/.build-release/release/lodestar
}

# wait_for_server PORT: waits up to 10 s for /healthz to answer.
wait_for_server() {
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "the server on port $1 did not start" >&2; exit 1
}

# lodestar_bin NAME CALLER_DIR [release]: sets $bin to $LODESTAR_BIN (a relative path is taken from CALLER_DIR, where
# the script was started), else builds lodestar (debug, or release with "release"). Stops unless it is executable.
lodestar_bin() {
  local name=$1 caller_dir=$2 mode=${3:-debug}
  if [[ -n ${LODESTAR_BIN:-} ]]; then
    bin=$LODESTAR_BIN
    [[ $bin == /* ]] || bin=$caller_dir/$bin
  elif [[ $mode == release ]]; then
    build_release
  else
    swift build --product lodestar >/dev/null
    bin=$(pwd)/.build/debug/lodestar
  fi
  [[ -x $bin ]] || { echo "$name: $bin is not an executable lodestar binary" >&2; exit 2; }
}

# artifacts_dir DEFAULT: sets $artifacts to $LODESTAR_ARTIFACTS or DEFAULT, made absolute, and creates it.
artifacts_dir() {
  artifacts=${LODESTAR_ARTIFACTS:-$1}
  [[ $artifacts == /* ]] || artifacts=$(pwd)/$artifacts
  mkdir -p "$artifacts"
}
