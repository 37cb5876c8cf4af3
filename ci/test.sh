#!/bin/sh
# Installs what is missing, builds leash and runs the whole test suite: the unit,
# fixture, demo and end-to-end tests, then the analyzer suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, a short run of each fuzz target
# (ci/fuzz.sh --quick) and libleash's suite under ThreadSanitizer.
# Usage: ci/test.sh   (from anywhere; build trees go to build/, build-asan/ and build-fuzz/)
set -eu
cd "$(dirname "$0")/.."
./ci/deps.sh --test
# The SARIF test validates with @microsoft/sarif-multitool, installed by npm into ci/.npm/.
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
./ci/sarif-validator.sh >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build and test (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build -j "$jobs" --output-on-failure

echo "== AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLEASH_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j "$jobs"
# libclang itself is not instrumented; leaks inside it are not ours to report.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(pwd)/ci/lsan.supp \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" --output-on-failure

echo "== fuzzing: each libFuzzer target briefly on its corpus (build-fuzz/)"
./ci/fuzz.sh --quick

if [ -x ci/runtime-sanitizers.sh ]; then
  echo "== libleash under ThreadSanitizer"
  ./ci/runtime-sanitizers.sh
fi
echo "== all tests passed"
