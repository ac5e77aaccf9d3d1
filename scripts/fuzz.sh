#!/usr/bin/env bash
# Fuzzing: runs the libFuzzer targets of Fuzz/LodestarFuzz against the input parsers — webhooks (GitHub, GitLab,
# DevLake), ndjson (events API and `lodestar ingest` lines, plus the JSON the responses and epics APIs read), csv
# (`lodestar ingest --format csv`) and survey-yaml (survey definition files) — each for SECONDS.
#
#   scripts/fuzz.sh [TARGET|all] [SECONDS]     (default: all, 60 seconds a target; CI smoke run: scripts/fuzz.sh all 15)
#
# Builds a release binary instrumented with -sanitize=fuzzer in .build-fuzz. Each target starts from its seeds in
# Fuzz/corpus/TARGET plus what earlier runs found (.build-fuzz/corpus/TARGET, kept between runs), with the tokens in
# Fuzz/dictionaries. A crash, a hang (an input taking over FUZZ_TIMEOUT seconds, default 10) or runaway memory (over
# FUZZ_RSS_MB, default 2048) is written to FUZZ_ARTIFACTS (default: a new temporary directory) and makes the script
# exit 1 naming the input; replay one with: LODESTAR_FUZZ_TARGET=TARGET .build-fuzz/release/LodestarFuzz FILE
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(webhooks ndjson csv survey-yaml)
which=${1:-all}
seconds=${2:-60}
if [[ $which != all && ! " ${targets[*]} " =~ " $which " ]]; then
    echo "fuzz: unknown target '$which'; use one of ${targets[*]} or all" >&2
    exit 2
fi
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a whole number of seconds, got '$seconds'" >&2; exit 2; }
[[ $which == all ]] || targets=("$which")

# Inputs longer than the largest realistic payload only slow the search down.
max_len() {
    case $1 in
        webhooks) echo 16384 ;;
        ndjson) echo 8192 ;;
        *) echo 4096 ;;
    esac
}

# Tokens the parsers look for, so mutations reach past the first key comparison sooner.
dictionary() {
    case $1 in
        survey-yaml) echo Fuzz/dictionaries/survey-yaml.dict ;;
        *) echo Fuzz/dictionaries/json.dict ;;
    esac
}

artifacts=${FUZZ_ARTIFACTS:-$(mktemp -d -t lodestar-fuzz.XXXXXX)}
mkdir -p "$artifacts"
echo "fuzz: building the instrumented binary in .build-fuzz (the first build takes several minutes)"
# -Xcc instruments the C code too (libyaml inside Yams), so the fuzzer also follows coverage there.
if ! swift build -c release --scratch-path .build-fuzz --product LodestarFuzz \
    -Xswiftc -DLODESTAR_FUZZ -Xswiftc -sanitize=fuzzer -Xcc -fsanitize=fuzzer-no-link >"$artifacts/build.log" 2>&1; then
    grep -E 'error' "$artifacts/build.log" >&2 || tail -20 "$artifacts/build.log" >&2
    echo "fuzz: the build failed; see $artifacts/build.log" >&2
    exit 2
fi
bin=.build-fuzz/release/LodestarFuzz
found=()
for target in "${targets[@]}"; do
    corpus=.build-fuzz/corpus/$target
    mkdir -p "$corpus"
    log=$artifacts/$target.log
    echo "fuzz: $target for ${seconds}s (log $log)"
    status=0
    touch "$artifacts/.started-$target"
    # The Swift runtime's backtracer would handle the crash signal before libFuzzer could save the input.
    SWIFT_BACKTRACE=enable=no LODESTAR_FUZZ_TARGET=$target "$bin" \
        -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb="${FUZZ_RSS_MB:-2048}" \
        -max_len="$(max_len "$target")" -dict="$(dictionary "$target")" -artifact_prefix="$artifacts/$target-" -print_final_stats=1 \
        "$corpus" "Fuzz/corpus/$target" >"$log" 2>&1 || status=$?
    # The last progress line carries coverage and corpus size; the final stats the executions per second.
    grep -E '^#[0-9]+' "$log" | tail -1 | sed 's/^/    /' || true
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" | sed 's/^/    /' || true
    inputs=$(find "$artifacts" -maxdepth 1 -type f -name "$target-*" ! -name '*.trace' -newer "$artifacts/.started-$target" | sort)
    if [[ $status -ne 0 || -n $inputs ]]; then
        grep -E 'Fatal error|ERROR: libFuzzer|SUMMARY' "$log" | head -5 | sed 's/^/    /' || true
        if [[ -z $inputs ]]; then
            found+=("$target: libFuzzer exited with $status and saved no input; see $log")
        fi
        for input in $inputs; do
            found+=("$target: $input")
            # Replayed with the Swift backtracer on, to name the line that crashed (libFuzzer's report cannot).
            LODESTAR_FUZZ_TARGET=$target SWIFT_BACKTRACE=enable=yes,interactive=no timeout 60 "$bin" "$input" >"$input.trace" 2>&1 || true
            grep -m1 -E ' in .* at /' "$input.trace" | sed 's/^ */    crashed in /' || true
        done
    fi
done

if [[ ${#found[@]} -gt 0 ]]; then
    echo "fuzz: FAILED — inputs that crash, hang or exhaust memory:" >&2
    printf '    %s\n' "${found[@]}" >&2
    echo "replay with: LODESTAR_FUZZ_TARGET=TARGET $bin FILE" >&2
    exit 1
fi
echo "fuzz: no crash in ${targets[*]} (${seconds}s each); logs in $artifacts"
