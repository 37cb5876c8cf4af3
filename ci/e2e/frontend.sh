#!/bin/sh
# End-to-end tests of the front end's split (README "How it works"): leash links no
# libclang, and only the processes that parse load leash-frontend.so (the workers, the
# compilation database's reader, `LEASH_ISOLATE=0`), never the one that holds the
# program's facts; a front end that cannot be loaded is one line and exit 2.
# Usage: frontend.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
cd "$T" || exit 1

# The executable needs neither libclang nor LLVM.
ldd "$LEASH" >ldd.txt 2>&1 || fail "ldd $LEASH"
hasnt ldd.txt "libclang[-.]"
hasnt ldd.txt "libLLVM[-.]"

cat >a.c <<'C'
#include <curl/curl.h>
int fetch(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }
C
sed 's/fetch/fetch_b/' a.c >b.c
printf '[{"directory": "%s", "file": "a.c", "arguments": ["cc", "-c", "a.c"]},
 {"directory": "%s", "file": "b.c", "arguments": ["cc", "-c", "b.c"]}]\n' "$T" "$T" >compile_commands.json

# A cold run, what each process loads in ld/ld.<pid> (LD_DEBUG's lines start with the
# pid of the process; a forked child writes to its parent's file until it closes it, as
# the workers do).  The run's own process, the one that holds the facts, maps no
# libclang; the compilation database's reader loads the module.
mkdir ld
LD_DEBUG=files LD_DEBUG_OUTPUT="$T/ld/ld" "$LEASH" check --no-color -j2 -p . --db full.db >out 2>err &
pid=$!
wait $pid
eq "$?" 1 "the cold run's exit status"
has out "a.c:2:.*\[http-call-without-timeout\]"
[ -f "ld/ld.$pid" ] || fail "no LD_DEBUG output of the run's own process"
grep "^ *$pid:" "ld/ld.$pid" >own.txt
has own.txt "file=libc.so"
hasnt own.txt "file=libclang"
hasnt own.txt "leash-frontend.so"
grep -v "^ *$pid:" "ld/ld.$pid" >children.txt
has children.txt "file=.*leash-frontend.so"

# What parses nothing never loads the front end: a warm run of files with their flags
# given (no database to read, every TU cached), and the merge of shards.
expect_rc 1 "$LEASH" check --no-color --db warm.db a.c b.c -- -I.
LEASH_FRONTEND=/nonexistent/leash-frontend.so expect_rc 1 "$LEASH" check --no-color --db warm.db a.c b.c -- -I.
has out "a.c:2:.*\[http-call-without-timeout\]"
expect_rc 0 "$LEASH" check -q -p . --shard 1/2 --db s1.db
expect_rc 0 "$LEASH" check -q -p . --shard 2/2 --db s2.db
LEASH_FRONTEND=/nonexistent/leash-frontend.so expect_rc 1 "$LEASH" merge s1.db s2.db -o m.db --format json --report m.json
has m.json "http-call-without-timeout"
LEASH_FRONTEND=/nonexistent/leash-frontend.so expect_rc 0 "$LEASH" --version

# In this process (LEASH_ISOLATE=0): the same findings.
expect_rc 1 "$LEASH" check --no-db --no-color a.c b.c
cp out isolated.txt
LEASH_ISOLATE=0 expect_rc 1 "$LEASH" check --no-db --no-color a.c b.c
cmp -s out isolated.txt || fail "LEASH_ISOLATE=0 gives other findings"

# A front end that cannot be loaded: one line naming it and why, exit 2, wherever it
# was needed (a worker of two, the database's reader, this process, the language server).
bad=/nonexistent/leash-frontend.so
msg="leash: $bad: cannot load leash's front end: cannot open shared object file: No such file or directory"
LEASH_FRONTEND=$bad expect_rc 2 "$LEASH" check --no-db -j2 a.c b.c
eq "$(cat err)" "$msg" "a worker without its front end"
LEASH_FRONTEND=$bad expect_rc 2 "$LEASH" check --no-db -p .
eq "$(cat err)" "$msg" "the compilation database's reader without its front end"
LEASH_FRONTEND=$bad LEASH_ISOLATE=0 expect_rc 2 "$LEASH" check --no-db a.c
eq "$(cat err)" "$msg" "LEASH_ISOLATE=0 without the front end"
LEASH_FRONTEND=$bad expect_rc 2 "$LEASH" lsp </dev/null
eq "$(cat err)" "$msg" "the language server without its front end"
# A library that is not leash's front end.
libc=$(ldd "$LEASH" | sed -n 's/.*=> \(\/[^ ]*libc\.so[^ ]*\).*/\1/p' | head -1)
if [ -n "$libc" ]; then
  LEASH_FRONTEND=$libc expect_rc 2 "$LEASH" check --no-db a.c
  eq "$(cat err)" "leash: $libc: cannot load leash's front end: it has no lx_frontend_api_v1" "another library"
fi

finish frontend
