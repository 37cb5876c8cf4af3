#!/bin/sh
# Benchmarks `leash lsp`: first diagnosis of a file and re-diagnosis after an edit,
# against `clang -fsyntax-only` of the same file with the same flags (targets: at most
# 2x and 0.3x).  Default file: memcached's largest (memcached.c) when ci/realworld.sh
# has fetched it to /work/realworld, else the demo service's largest file.
# Not a test: numbers depend on the machine.  Usage: ci/bench/lsp.sh [FILE [EDITS]]
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-bench"
jobs=$(nproc 2>/dev/null || echo 2)
file=${1:-}
if [ -z "$file" ]; then
  if [ -f /work/realworld/memcached-1.6.18/memcached.c ]; then
    file=/work/realworld/memcached-1.6.18/memcached.c
  else
    file=$(ls -S "$root"/fixtures/demo/service/*.c | head -n 1)
  fi
fi
clang=$(command -v clang-19 || command -v clang)

cmake -S "$root" -B "$build/leash" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build/leash" -j "$jobs" --target leash >/dev/null
# shellcheck disable=SC2046
cc -O2 -std=gnu11 -Wall -Werror -o "$build/lsp_bench" "$root/ci/bench/lsp_bench.c" $(pkg-config --cflags --libs jansson)
echo "== the file alone (program-wide facts from the open file only, or a .leash/findings.db above it)"
"$build/lsp_bench" "$build/leash/leash" "$clang" "$file" "${2:-10}"
# With the whole program's facts, as after `leash check -p DIR`: every edit runs the
# program-wide rules over all of them.
dir=$(dirname "$file")
while [ "$dir" != / ] && [ ! -f "$dir/compile_commands.json" ]; do dir=$(dirname "$dir"); done
if [ -f "$dir/compile_commands.json" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$build/leash/leash" check -q -p "$dir" --db "$tmp/findings.db" >/dev/null 2>&1 || true
  echo "== with the findings database of a full run of $dir"
  LSP_BENCH_DB="$tmp/findings.db" "$build/lsp_bench" "$build/leash/leash" "$clang" "$file" "${2:-10}"
fi
