#!/bin/sh
# valgrind's memcheck on a full `leash check` of the demo service: no definite leak and
# no memory error in leash's own code (libclang's are suppressed: ci/valgrind.supp).
# Forked children (one per translation unit) are checked too: a leak or an error there
# makes the child exit 99, which the run reports as a TU that could not be analysed.
# Usage: valgrind.sh path/to/leash BUILD_DIR   (exits 77, skipped, without valgrind)
set -u
LEASH=$(realpath "$1")
BUILD=$(realpath "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind: not installed, skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

cd "$ROOT" || exit 1
# leash exits 1 for findings; 99 is valgrind's.
expect_rc 1 valgrind -q --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
  --error-exitcode=99 --suppressions="$ROOT/ci/valgrind.supp" --log-file="$T/vg.%p" \
  "$LEASH" check --no-db --no-color -p "$BUILD" fixtures/demo/service/*.c
has "$T/out" "error: .*\[unbounded-spawn\]"
for f in "$T"/vg.*; do
  if [ -s "$f" ]; then
    fail "valgrind reports in $(basename "$f"):"
    head -40 "$f" | sed 's/^/  | /'
  fi
done
echo "valgrind: $(ls "$T"/vg.* | wc -l) process(es) checked"
finish "valgrind"
