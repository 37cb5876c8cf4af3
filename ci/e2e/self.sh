#!/bin/sh
# leash on leash: analyses this project's own compilation database (the analyzer,
# libleash and its tests, both demos) and fails on any finding outside the demo
# service, whose hazards are there on purpose.  Usage: self.sh path/to/leash BUILD_DIR
set -u
LEASH=$(realpath "$1")
BUILD=$(realpath "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
cd "$ROOT" || exit 1
"$LEASH" check --no-db --no-color -q -p "$BUILD" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" = 1 ] || fail "leash on its own tree exited $rc, want 1 (the demo service's findings)"
grep -E '\[[a-z-]+\]$' "$T/out" | grep -v '^fixtures/demo/service/' >"$T/stray"
[ -s "$T/stray" ] && { fail "findings outside the demo service:"; sed 's/^/  | /' "$T/stray"; }
n=$(grep -cE '^fixtures/demo/service/.*\[[a-z-]+\]$' "$T/out")
[ "$n" = 6 ] || fail "the demo service gave $n findings, want 6 (one per rule)"
finish self
