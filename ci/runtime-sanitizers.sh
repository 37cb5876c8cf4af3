#!/bin/sh
# Builds libleash standalone (runtime/ only) under ThreadSanitizer and under
# AddressSanitizer+UBSan, in build-san/tsan and build-san/asan, and runs its tests.
# Exits non-zero if a build or a test fails, or a sanitizer reports anything.
# Usage: ci/runtime-sanitizers.sh [thread|address]   (default: both)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
which=${1:-all}

# TSan needs the address space layout it was built for; kernels with many bits of
# mmap randomisation (vm.mmap_rnd_bits > 28) make it die with "unexpected memory
# mapping". setarch -R turns randomisation off for the test run only.
run_tests() {
	dir=$1
	if setarch "$(uname -m)" -R true 2>/dev/null; then
		setarch "$(uname -m)" -R ctest --test-dir "$dir" --output-on-failure -j "$jobs" -L runtime
	else
		ctest --test-dir "$dir" --output-on-failure -j "$jobs" -L runtime
	fi
}

build_and_test() {
	name=$1 sanitize=$2
	dir="$root/build-san/$name"
	echo "== libleash with -fsanitize=$sanitize ($dir)"
	cmake -S "$root/runtime" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DLEASH_SANITIZE="$sanitize" >/dev/null
	cmake --build "$dir" -j "$jobs"
	run_tests "$dir"
}

# Fail on the first report, with stacks that name the code.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1 abort_on_error=1 strict_string_checks=1 ${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1 ${UBSAN_OPTIONS:-}"

case $which in
all)
	build_and_test tsan thread
	build_and_test asan address,undefined
	;;
thread) build_and_test tsan thread ;;
address) build_and_test asan address,undefined ;;
*)
	echo "usage: $0 [thread|address]" >&2
	exit 2
	;;
esac
echo "== libleash: sanitizer runs passed"
