#!/bin/sh
# Benchmarks leash_pool against a plain mutex+condvar queue and GLib's GThreadPool
# (small tasks: throughput, and submit-to-start latency p50/p99), printing one table.
# Not a test: numbers depend on the machine. Usage: ci/bench/pool.sh [pool_bench args]
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-bench"
jobs=$(nproc 2>/dev/null || echo 2)

cmake -S "$root/runtime" -B "$build/runtime" -DCMAKE_BUILD_TYPE=Release \
	-DBUILD_TESTING=OFF >/dev/null
cmake --build "$build/runtime" -j "$jobs" --target leash_static >/dev/null
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -pthread -o "$build/pool_bench" "$root/ci/bench/pool_bench.c" \
	-I"$root/runtime/include" -I"$build/runtime/include" \
	"$build/runtime/libleash.a" $(pkg-config --cflags --libs glib-2.0) \
	$(pkg-config --libs libcurl 2>/dev/null || true) -ldl
"$build/pool_bench" "$@"
