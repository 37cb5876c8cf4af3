#!/bin/sh
# Installs what is missing, builds leash, and runs it on the bundled demo project:
# fixtures/demo/service/ (a small C service with every hazard) and, when present,
# its libleash-fixed twin fixtures/demo/fixed/ (no finding).
set -eu
cd "$(dirname "$0")/.."
./ci/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
echo "== leash check fixtures/demo/service (expect findings)"
rc=0
./build/leash check -p build fixtures/demo/service/*.c || rc=$?
[ "$rc" = 1 ] || { echo "demo: expected exit 1 (findings), got $rc" >&2; exit 1; }
if [ -d fixtures/demo/fixed ]; then
  echo "== leash check fixtures/demo/fixed (expect none)"
  ./build/leash check -p build fixtures/demo/fixed/*.c
  echo "no findings in the libleash-fixed twin"
fi
