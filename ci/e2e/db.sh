#!/bin/sh
# End-to-end tests of the findings database: recording and the facts cache, `leash db`
# runs/show/diff/sql, baselines and --new-only, migration from schema version 1, bad
# databases, two runs at once, and a run killed with SIGKILL.  Usage: db.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

q() { sqlite3 "$1" "$2"; }

cd "$T" || exit 1
mkdir src
cat >src/net.h <<'C'
#include <curl/curl.h>
void net_defaults(CURL *h);
C
cat >src/net.c <<'C'
#include "net.h"
void net_defaults(CURL *h) { curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); }
C
cat >src/client.c <<'C'
#include "net.h"
int fetch(const char *url)
{
	CURL *h = curl_easy_init();
	net_defaults(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
C

# --- recording, default location, the facts cache -----------------------------------
expect_rc 1 "$LEASH" check --no-color src/client.c src/net.c
[ -f .leash/findings.db ] || fail "no .leash/findings.db"
DB=.leash/findings.db
eq "$(q $DB 'PRAGMA journal_mode')" wal "journal mode"
eq "$(q $DB 'PRAGMA user_version')" 4 "schema version"
eq "$(q $DB "SELECT count(*) FROM runs WHERE status = 'complete' AND exit_code = 1")" 1 "complete runs"
eq "$(q $DB "SELECT group_concat(status) FROM translation_units")" "ok,ok" "TU statuses"
eq "$(q $DB "SELECT count(*) FROM facts_cache")" 2 "cached facts"
eq "$(q $DB "SELECT rule || ':' || file || ':' || line FROM open_findings")" "http-call-without-timeout:src/client.c:7" \
  "open finding"
eq "$(q $DB "SELECT count(*) FROM evaluations")" 1 "evaluation cached"
expect_rc 1 "$LEASH" check -v --no-color src/client.c src/net.c
has err "client.c (cached)"
has err "program-wide evaluation reused"
has out "client.c:7:9: warning"
eq "$(q $DB "SELECT group_concat(status) FROM translation_units WHERE run_id = 2")" "cached,cached" "cached TUs"
# A change to an included header invalidates the TUs that include it; a comment leaves
# their facts as they were, so the evaluation is still reused (early cutoff).
echo '/* more */' >>src/net.h
expect_rc 1 "$LEASH" check -v --no-color src/client.c src/net.c
hasnt err "(cached)"
has err "program-wide evaluation reused"
# The TU's new facts and the ones before (a later run over other files may take them
# as the rest of the program, when the file is put back as it was); no more.
eq "$(q $DB "SELECT count(*) FROM facts_cache")" 4 "facts cache keeps two entries per TU"
# In a database of its own (the run numbers below stay as they are): a change that
# moves code changes the facts, so the program is evaluated again; --rules and the
# configuration are part of the evaluation's key too.
EV="--db ev.db"
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation computed"
cp src/client.c client.c.saved
{ echo '/* a line */'; cat client.c.saved; } >src/client.c
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation computed"
has out "client.c:8:9: warning"
expect_rc 0 "$LEASH" check $EV -v --no-color --rules thread-never-joined src/client.c src/net.c
has err "program-wide evaluation computed"
hasnt out "client.c:8:9: warning"
cp client.c.saved src/client.c
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation reused"
has out "client.c:7:9: warning"
printf 'rules:\n  http-call-without-timeout:\n    severity: error\n' >.leash.yaml
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation computed"
has out "client.c:7:9: error"
rm .leash.yaml
# A rebuilt leash (other rules' code, the same facts format) evaluates anew: its
# executable is part of the key.  A copy with one byte more stands for the rebuild;
# the first leash's evaluation is still there for it.
cp "$LEASH" leash.rebuilt && printf '\n' >>leash.rebuilt
expect_rc 1 ./leash.rebuilt check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation computed"
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "program-wide evaluation reused"
# Files read by one run and older than two seconds are stamped: the next run does not
# read them again while their size, times and inode stay.  A write that keeps the size
# and puts the modification time back still changes the change time: read again.
sleep 3
expect_rc 1 "$LEASH" check $EV --no-color src/client.c src/net.c
[ "$(q ev.db "SELECT count(*) FROM file_stamps WHERE path LIKE '%/src/net.h'")" = 1 ] || fail "net.h stamped"
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
has err "client.c (cached)"
cp -p src/net.h net.h.saved
sed 's/more/MORE/' net.h.saved >src/net.h
touch -r net.h.saved src/net.h
expect_rc 1 "$LEASH" check $EV -v --no-color src/client.c src/net.c
hasnt err "client.c (cached)"
# A run over every TU of a compilation database forgets the stamps of files that no
# TU includes any more (here a header removed with its include).
mkdir proj
printf '#include "a.h"\nint f(void) { return A; }\n' >proj/a.c
printf '#define A 1\n' >proj/a.h
printf '[{"directory": "%s", "file": "a.c", "arguments": ["cc", "-c", "a.c"]}]\n' "$PWD/proj" \
  >proj/compile_commands.json
sleep 3
expect_rc 0 "$LEASH" check --db pr.db -p proj
[ "$(q pr.db "SELECT count(*) FROM file_stamps WHERE path LIKE '%/proj/a.h'")" = 1 ] || fail "a.h stamped"
printf 'int f(void) { return 1; }\n' >proj/a.c
rm proj/a.h
sleep 3
expect_rc 0 "$LEASH" check --db pr.db -p proj
[ "$(q pr.db "SELECT count(*) FROM file_stamps WHERE path LIKE '%/proj/a.h'")" = 0 ] || fail "a.h's stamp kept"
[ "$(q pr.db "SELECT count(*) FROM file_stamps WHERE path LIKE '%/proj/a.c'")" = 1 ] || fail "a.c's stamp dropped"
expect_rc 0 "$LEASH" check --no-db --no-color --rules suppression-without-reason src/client.c
eq "$(q $DB "SELECT count(*) FROM runs")" 3 "--no-db records nothing"
mkdir nodb && (cd nodb && "$LEASH" check --no-db ../src/net.c >/dev/null 2>&1; [ ! -e .leash ]) || fail "--no-db created .leash"

# --- leash db runs / show / diff / sql ------------------------------------------------
expect_rc 0 "$LEASH" db runs
has out "^3 .* check .* complete .* 1 .* 2 .* 1"
expect_rc 0 "$LEASH" db show latest
has out "src/client.c:7:9: warning: curl_easy_perform() on handle 'h'"
has out "^	return curl_easy_perform(h);"
expect_rc 0 "$LEASH" db show 1 --format json -o show.json
[ "$(sqlite3 :memory: "select json_extract(readfile('show.json'), '\$.findings[0].location.line')")" = 7 ] ||
  fail "db show --format json"
expect_rc 0 "$LEASH" db show 1 --format sarif
has out '"ruleId": "http-call-without-timeout"'
expect_rc 2 "$LEASH" db show 99
has err "no run '99'"
sed -i 's|curl_easy_setopt(h, CURLOPT_URL, url);|curl_easy_setopt(h, CURLOPT_URL, url);\n\tcurl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);|' src/client.c
cat >src/upload.c <<'C'
#include "net.h"
int upload(CURL *h) { return curl_easy_perform(h); }
int put(void) { CURL *h = curl_easy_init(); return upload(h); }
C
expect_rc 1 "$LEASH" check src/client.c src/net.c src/upload.c
expect_rc 0 "$LEASH" db diff 3 4
has out "^new src/upload.c:"
has out "^fixed src/client.c:7:9: warning"
has out "run 3 -> 4: 1 new, 1 fixed"
expect_rc 0 "$LEASH" db diff 3 4 --format json
[ "$(sqlite3 :memory: "select json_array_length(readfile('$T/out'), '\$.fixed')")" = 1 ] || fail "db diff json"
eq "$(q $DB "SELECT first_run || '-' || last_run FROM findings WHERE file = 'src/client.c'")" "1-3" "first/last run"
expect_rc 0 "$LEASH" db sql "SELECT count(*) AS n FROM runs"
has out "^n$"
has out "^4$"
expect_rc 0 "$LEASH" db sql "SELECT id FROM runs ORDER BY id" --format json
has out '"id": 4'
before=$(md5sum <$DB)
for bad in "DELETE FROM runs" "INSERT INTO runs (started_at, version, command, options, root) VALUES (1,1,1,1,1)" \
           "PRAGMA user_version = 7" "SELECT 1; DROP TABLE runs" "CREATE TABLE x (a)" "ATTACH 'other.db' AS o"; do
  expect_rc 2 "$LEASH" db sql "$bad"
  has err "db sql: "
done
eq "$(md5sum <$DB)" "$before" "db sql changed the database"
eq "$(q $DB 'SELECT count(*) FROM runs')" 4 "runs after refused writes"
expect_rc 2 "$LEASH" db sql "SELECT nope FROM runs"
expect_rc 2 "$LEASH" db frob
expect_rc 2 "$LEASH" db --db missing.db runs
has err "missing.db: no findings database"
[ ! -e missing.db ] || fail "db runs created missing.db"

# The README's example queries all run.
awk '/^## Findings database/{on=1} on && /^```sql/{f=1; n++; next} f && /^```/{f=0; next} f{print > ("readme-q" n ".sql")}' \
  "$ROOT/README.md"
nq=$(ls readme-q*.sql 2>/dev/null | wc -l)
[ "$nq" -ge 5 ] || fail "README's database section has $nq example queries"
for f in readme-q*.sql; do
  sqlite3 -bail $DB <"$f" >/dev/null 2>"$T/qerr" || { fail "README query $f: $(cat "$T/qerr")"; continue; }
  expect_rc 0 "$LEASH" db sql "$(cat "$f")"
done

# --- baselines -------------------------------------------------------------------------
expect_rc 0 "$LEASH" baseline src/client.c src/net.c src/upload.c
has out "baseline of 1 finding(s) recorded"
eq "$(q $DB "SELECT count(*) FROM findings WHERE baselined")" 1 "baselined findings"
expect_rc 0 "$LEASH" check --new-only src/client.c src/net.c src/upload.c
hasnt out "warning"
# Lines inserted above the finding move it; it is not new.
printf '/* licence\n * header\n */\n#include <stdio.h>\n\n' | cat - src/upload.c >tmp.c && mv tmp.c src/upload.c
expect_rc 0 "$LEASH" check --new-only src/client.c src/net.c src/upload.c
hasnt out "warning"
expect_rc 1 "$LEASH" check src/client.c src/net.c src/upload.c
has out "src/upload.c:8:"
cat >>src/upload.c <<'C'
int post(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }
C
expect_rc 1 "$LEASH" check --new-only --no-color src/client.c src/net.c src/upload.c
has out "src/upload.c:9:"
hasnt out "src/upload.c:8:"
expect_rc 2 "$LEASH" check --new-only --no-db src/client.c

# --- migration from schema version 1 -------------------------------------------------------
sqlite3 old.db <"$ROOT/analyzer/tests/db_schema_v1.sql" >/dev/null
eq "$(q old.db 'PRAGMA user_version')" 1 "old database version"
expect_rc 0 "$LEASH" db --db old.db runs
has out "^1 .*check .*complete"
eq "$(q old.db 'PRAGMA user_version')" 4 "migrated version"
eq "$(q old.db "SELECT fingerprint || ':' || baselined FROM open_findings")" "00000000000000a1:0" "old finding kept"
eq "$(q old.db "SELECT count(*) FROM translation_units")" 2 "old TUs kept"
expect_rc 0 "$LEASH" db --db old.db show 1
has out "src/client.c:42:9: warning: curl_easy_perform() on handle 'h' with no total timeout"
has out "src/client.c:38:12: note: handle 'h' is created here"
expect_rc 1 "$LEASH" check --db old.db src/upload.c
eq "$(q old.db "SELECT count(*) FROM runs WHERE status = 'complete'")" 2 "a run added to the migrated database"

# --- the commit a run analysed, read from .git: a branch, packed refs, a worktree ------------
if command -v git >/dev/null; then
  mkdir repo && (cd repo && git init -q && git config user.email ci@example.invalid && git config user.name ci &&
    git config commit.gpgsign false && cp ../src/net.c . && git add net.c && git commit -q -m one) ||
    fail "git repository"
  commit_of() { q "$1" "SELECT vcs_commit FROM runs ORDER BY id DESC LIMIT 1"; }
  (cd repo && "$LEASH" check --db ../vcs.db net.c >/dev/null 2>&1)
  eq "$(commit_of vcs.db)" "$(git -C repo rev-parse HEAD)" "commit of a branch"
  (cd repo && git pack-refs --all && echo '/* two */' >>net.c && git commit -qam two && git pack-refs --all)
  (cd repo && "$LEASH" check --db ../vcs.db net.c >/dev/null 2>&1)
  eq "$(commit_of vcs.db)" "$(git -C repo rev-parse HEAD)" "commit from packed refs"
  (cd repo && git worktree add -q ../tree HEAD~1 2>/dev/null) || fail "git worktree"
  (cd tree && "$LEASH" check --db ../vcs.db net.c >/dev/null 2>&1)
  eq "$(commit_of vcs.db)" "$(git -C tree rev-parse HEAD)" "commit of a worktree"
  mkdir -p plain && cp src/net.c plain/ && (cd plain && GIT_CEILING_DIRECTORIES=$(pwd)/.. \
    "$LEASH" check --db ../vcs.db net.c >/dev/null 2>&1)
  eq "$(commit_of vcs.db)" "" "no repository, no commit"
fi

# --- bad databases: exit 2, one line naming the file, nothing written ----------------------
check_refused() { # FILE WHAT
  before=$(md5sum <"$1")
  expect_rc 2 "$LEASH" check --db "$1" src/net.c
  has err "$1"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "$2: the error is not one line"
  eq "$(md5sum <"$1")" "$before" "$2: the file changed"
  [ ! -e "$1-wal" ] || [ ! -s "$1-wal" ] || fail "$2: a WAL was written"
}
head -c 5000 /dev/urandom >garbage.db
check_refused garbage.db "random bytes"
has err "not a leash findings database"
head -c 4096 $DB >truncated.db
dd if=/dev/zero of=truncated.db bs=1 count=64 seek=100 conv=notrunc 2>/dev/null
check_refused truncated.db "a damaged database"
sqlite3 other.db "CREATE TABLE notes (t TEXT); INSERT INTO notes VALUES ('x')"
check_refused other.db "another application's database"
has err "not a leash findings database"
sqlite3 newer.db "PRAGMA application_id = 1818583411; PRAGMA user_version = 9; CREATE TABLE runs (id INTEGER)"
check_refused newer.db "a newer schema"
has err "newer.db: findings database schema version 9 is newer"
expect_rc 2 "$LEASH" db --db newer.db runs
expect_rc 2 "$LEASH" check --db /nonexistent-dir/f.db src/net.c
has err "/nonexistent-dir/f.db: cannot open the findings database"
mkdir adir.db
expect_rc 2 "$LEASH" check --db adir.db src/net.c
has err "adir.db"
# The default location cannot be made (.leash is a file here).
expect_rc 2 sh -c "mkdir -p f && cd f && printf x >.leash && '$LEASH' check ../src/net.c"
has err ".leash/findings.db: cannot"

# --- two runs at once, and a run killed mid-way --------------------------------------------
mkdir many
i=0
while [ $i -lt 60 ]; do
  printf '#include <curl/curl.h>\nint f%d(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }\n' $i \
    >many/m$i.c
  i=$((i + 1))
done
"$LEASH" check -q --db par.db many/*.c >/dev/null 2>par1.err &
p1=$!
"$LEASH" check -q --db par.db many/*.c >/dev/null 2>par2.err &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
[ "$r1" = 1 ] && [ "$r2" = 1 ] || { fail "concurrent runs exited $r1 and $r2"; cat par1.err par2.err | head -5; }
eq "$(q par.db 'PRAGMA integrity_check')" ok "integrity after concurrent runs"
eq "$(q par.db "SELECT group_concat(n) FROM (SELECT count(*) AS n FROM translation_units GROUP BY run_id)")" "60,60" \
  "TUs of each concurrent run"
eq "$(q par.db "SELECT group_concat(n) FROM (SELECT count(*) AS n FROM occurrences GROUP BY run_id)")" "60,60" \
  "findings of each concurrent run"
eq "$(q par.db "SELECT count(*) FROM runs WHERE status = 'complete'")" 2 "complete concurrent runs"

many_tus many 200
"$LEASH" check -q --db kill.db many/k*.c >/dev/null 2>&1 &
pk=$!
n=$(kill_after_tus kill.db 10 $pk)
wait $pk 2>/dev/null
after=$(q kill.db "SELECT count(*) FROM translation_units")
[ "$n" -ge 10 ] && [ "$after" -ge "$n" ] && [ "$after" -lt 200 ] ||
  fail "killed run: $n committed TUs seen before the kill, $after after (want >= $n, < 200)"
eq "$(q kill.db 'PRAGMA integrity_check')" ok "integrity after kill -9"
eq "$(q kill.db "SELECT status FROM runs")" running "the killed run stays running"
eq "$(q kill.db "SELECT count(*) FROM facts_cache")" "$after" "facts committed with their TUs"
expect_rc 1 "$LEASH" check -q -v --db kill.db many/k*.c
eq "$(grep -c '(cached)' "$T/err")" "$after" "the next run reuses what the killed one committed"
eq "$(q kill.db "SELECT count(*) FROM translation_units WHERE run_id = 2")" 200 "the next run is whole"

finish "db"
