#!/bin/sh
# End-to-end tests of parallel analysis (-j) and its isolation: a TU that crashes
# libclang, and one that outlives --timeout, fail alone (exit 3) while the others are
# analysed and reported; -j1 and -jN, cold and warm runs give the same findings.
# Usage: jobs.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
count() { grep -c -- "$2" "$1"; }

cd "$T" || exit 1
for n in 1 2 3; do
  cat >"good$n.c" <<C
#include <curl/curl.h>
int fetch$n(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
C
done
# 10,000 nested ifs: libclang overflows its stack on it (its crash recovery cannot help).
awk 'BEGIN { printf "int f(int a) {\n"; for (i = 0; i < 10000; i++) printf "if (a) "; printf "a++;\nreturn a; }\n" }' >crash.c

# A crash costs its TU only, with any number of jobs.
for j in 1 2 4; do
  expect_rc 3 "$LEASH" check --no-db --no-color -j "$j" good1.c crash.c good2.c good3.c
  has err "crash.c: error: libclang crashed on this translation unit"
  [ "$(count out '\[http-call-without-timeout\]')" = 3 ] || fail "-j $j: the three good TUs were not all reported"
done

# A TU that takes longer than --timeout is stopped and reported; the others are not.
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "static int g%d(int a) { int b = a * %d; for (int i = 0; i < a; i++) b += i ^ %d; return b; }\n", i, i, i }' >slow.c
expect_rc 3 "$LEASH" check --no-db --no-color -j 2 --timeout 1 good1.c slow.c good2.c
has err "slow.c: error: analysing this translation unit took longer than 1 s"
[ "$(count out '\[http-call-without-timeout\]')" = 2 ] || fail "--timeout: the good TUs were not reported"
expect_rc 2 "$LEASH" check --no-db -j 0 good1.c
has err "is not a number of jobs"
expect_rc 2 "$LEASH" check --no-db --timeout soon good1.c

# Same findings whatever the parallelism, and from the cache as from a cold run.
demo="$ROOT/fixtures/demo/service"
"$LEASH" check --no-db --format json -j 1 "$demo"/*.c >j1.json 2>/dev/null
"$LEASH" check --no-db --format json -j 3 "$demo"/*.c >j3.json 2>/dev/null
cmp -s j1.json j3.json || fail "-j 1 and -j 3 differ on the demo"
"$LEASH" check --db cache.db --format json -j 2 "$demo"/*.c >cold.json 2>/dev/null
"$LEASH" check --db cache.db --format json -j 2 -v "$demo"/*.c >warm.json 2>warm.err
cmp -s cold.json warm.json || fail "a warm run differs from the cold run"
[ "$(count warm.err '(cached)')" = "$(ls "$demo"/*.c | wc -l)" ] || fail "the warm run re-parsed something"
cmp -s j1.json cold.json || fail "a run with the database differs from one without"
has_line() { grep -q -- "$2" "$1" || fail "$1 lacks '$2'"; }
has_line warm.err "program-wide evaluation reused"
# The rules over cached facts alone (the cached evaluation dropped), and over cached
# facts plus one TU parsed again whose facts changed: exactly a cold run's findings.
sqlite3 cache.db "DELETE FROM evaluations"
"$LEASH" check --db cache.db --format json -j 2 -v "$demo"/*.c >warm2.json 2>warm2.err
has_line warm2.err "program-wide evaluation computed"
cmp -s cold.json warm2.json || fail "the rules over cached facts differ from a cold run"
# Cached facts that cannot be read are parsed again, the same findings reported, and
# the cache repaired: the next run reads every TU from it.
sqlite3 cache.db "UPDATE facts_cache SET facts = x'00' WHERE rowid = (SELECT min(rowid) FROM facts_cache); DELETE FROM evaluations"
"$LEASH" check --db cache.db --format json -j 2 -v "$demo"/*.c >repaired.json 2>repaired.err
cmp -s cold.json repaired.json || fail "a run with an unreadable cache entry differs from the cold run"
[ "$(count repaired.err '(cached)')" = "$(ls "$demo"/*.c | wc -l)" ] || fail "the digest lookup did not count the entry as cached"
sqlite3 cache.db "DELETE FROM evaluations"
"$LEASH" check --db cache.db --format json -j 2 -v "$demo"/*.c >after.json 2>after.err
cmp -s cold.json after.json || fail "the run after the repair differs from the cold run"
grep -- '^leash: \[' repaired.err | grep -qv '(cached)' || fail "the unreadable entry was not parsed again"
! grep -- '^leash: \[' after.err | grep -qv '(cached)' || fail "the unreadable entry was not replaced"
mkdir tree && cp "$demo"/*.c "$demo"/*.h tree/ 2>/dev/null
"$LEASH" check --db tree.db --format json -j 2 tree/*.c >/dev/null 2>&1
one=$(ls tree/*.c | head -n 1)
printf '\nstatic int leash_e2e_extra(int a) { return a + 1; }\n' >>"$one"
"$LEASH" check --db tree.db --format json -j 2 -v tree/*.c >mixed.json 2>mixed.err
has_line mixed.err "program-wide evaluation computed"
[ "$(count mixed.err '(cached)')" = "$(( $(ls tree/*.c | wc -l) - 1 ))" ] || fail "not exactly one TU parsed again"
"$LEASH" check --no-db --format json -j 2 tree/*.c >fresh.json 2>/dev/null
cmp -s mixed.json fresh.json || fail "cached plus fresh facts differ from a cold run"

finish jobs
