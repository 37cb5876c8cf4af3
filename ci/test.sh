#!/bin/sh
# Installs what is missing, builds leash and runs the whole test suite: the unit,
# fixture, demo and end-to-end tests, then the analyzer suite again under
# AddressSanitizer + UndefinedBehaviorSanitizer, the threaded tests under
# ThreadSanitizer, a short run of each fuzz target (ci/fuzz.sh --quick) and
# libleash's suite under ThreadSanitizer.
# Usage: ci/test.sh   (from anywhere; build trees go to build/, build-asan/,
# build-tsan/ and build-fuzz/)
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
# use_sigaltstack=0: LLVM replaces the alternate signal stack of the first thread that
# installs its handlers (the language server parses on a worker) with a malloc'd one,
# which ASan then tries to munmap when that thread ends ("unable to unmap", a sanitizer
# runtime bug fixed upstream: it now unmaps only the stack it mapped itself).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:use_sigaltstack=0 LSAN_OPTIONS=suppressions=$(pwd)/ci/lsan.supp \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" --output-on-failure

echo "== the analyzer's own threads under ThreadSanitizer (build-tsan/)"
# Building a program runs its two halves on two threads, and the language server
# reads the database on a third while it parses: the tests that do both, with
# libclang parsing on the calling thread (it is not instrumented).
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEASH_SANITIZE=thread >/dev/null
cmake --build build-tsan -j "$jobs" --target test_program test_lsp
tsan_run() { if setarch "$(uname -m)" -R true 2>/dev/null; then setarch "$(uname -m)" -R "$@"; else "$@"; fi; }
LIBCLANG_NOTHREADS=1 TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  tsan_run ctest --test-dir build-tsan -R '^unit_test_(program|lsp)$' --output-on-failure

echo "== fuzzing: each libFuzzer target briefly on its corpus (build-fuzz/)"
./ci/fuzz.sh --quick

if [ -x ci/runtime-sanitizers.sh ]; then
  echo "== libleash under ThreadSanitizer"
  ./ci/runtime-sanitizers.sh
fi
echo "== all tests passed"
