#!/bin/sh
# leash on leash: analyses this project's own compilation database (the analyzer,
# libleash and its tests) and fails on any finding.  The fixtures are left out: the
# demo service has its hazards on purpose, and the demo's two programs (service and
# libleash twin) define the same structs, which one program-wide analysis would merge.
# Usage: self.sh path/to/leash BUILD_DIR
set -u
LEASH=$(realpath "$1")
BUILD=$(realpath "$2")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
cd "$ROOT" || exit 1
printf 'exclude: ["%s/fixtures/*"]\n' "$ROOT" >"$T/leash.yaml"
expect_rc 0 "$LEASH" check --no-db --no-color -q --config "$T/leash.yaml" -p "$BUILD"
grep -E '\[[a-z-]+\]$' "$T/out" >"$T/found"
[ -s "$T/found" ] && { fail "findings in leash's own code:"; sed 's/^/  | /' "$T/found"; }
grep -q 'analyzer/frontend/jobs.c' "$T/out" && fail "the suppressed slot refill in jobs.c was reported"
finish self
