#!/bin/sh
# Builds the libFuzzer targets (build-fuzz/, clang-19, ASan + UBSan) and runs each on
# its seed corpus: the YAML loader, the suppression parser, the LSP message reader,
# extraction on arbitrary C text and the binary facts decoder.  A crash, leak or timeout fails the run and leaves
# the input in build-fuzz/artifacts/ (commit it to ci/fuzz/corpus/<target>/ with the fix).
# Usage: ci/fuzz.sh [SECONDS] [TARGET...]   (default 600 seconds per target, every target)
#        ci/fuzz.sh --quick                 (the test suite: 20 s per parser, 5000 extraction runs)
set -eu
cd "$(dirname "$0")/.."
quick=0
secs=600
if [ "${1:-}" = "--quick" ]; then
  quick=1
  secs=20
  shift
elif [ -n "${1:-}" ]; then
  secs=$1
  shift
fi
case $secs in '' | *[!0-9]*) echo "ci/fuzz.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac

CC=${CC:-clang-19}
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER="$CC" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEASH_FUZZ=ON \
  -DLEASH_BUILD_TESTS=OFF -DLEASH_BUILD_DEMO=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

targets=${*:-"fuzz_config fuzz_suppress fuzz_lsp_frames fuzz_extract fuzz_facts_bin"}
mkdir -p build-fuzz/artifacts build-fuzz/corpus
# libclang's allocations live as long as the process; they are not ours to report.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:use_sigaltstack=0
export LSAN_OPTIONS=suppressions=$(pwd)/ci/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for t in $targets; do
  bin=build-fuzz/fuzz/$t
  if [ ! -x "$bin" ]; then
    echo "== $t: not built (is its source in the tree?), skipped"
    continue
  fi
  # New inputs go to build-fuzz/corpus/<target>; the committed seeds are only read.
  work=build-fuzz/corpus/$t
  mkdir -p "$work"
  limit="-max_total_time=$secs"
  if [ "$t" = fuzz_extract ]; then
    # Each input is a libclang parse (a few ms): fewer runs, and a per-input timeout.
    # Inputs stay under 1 KiB: about 2,000 nested unary operators overflow the stack of
    # libclang's parsing thread, a libclang limit that leash survives by parsing each TU
    # in a child process (ci/e2e/bad_input.sh tests it), but that would end the fuzzer.
    limit="$limit -timeout=30 -max_len=1024"
    [ $quick = 1 ] && limit="-runs=5000 -max_total_time=60 -timeout=30 -max_len=1024"
  fi
  echo "== $t ($limit)"
  log=build-fuzz/$t.log
  # shellcheck disable=SC2086
  if "$bin" $limit -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$t-" \
      "$work" "ci/fuzz/corpus/$t" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    echo "   $runs executions in ${took:-?} s, no crash, leak or timeout"
  else
    status=1
    echo "FAIL: $t found a problem; the input is in build-fuzz/artifacts/, the log in $log:"
    grep -E "ERROR|SUMMARY|Test unit written|#[0-9]+ 0x" "$log" | head -20
  fi
done
exit $status
