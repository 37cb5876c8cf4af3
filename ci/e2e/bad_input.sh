#!/bin/sh
# End-to-end tests of hostile input and faults (README "Bad input"): each bad input gives
# the exit code of the table, one line naming the file and what is wrong (exit 2) or
# the TU's errors with the rest analysed (exit 3), and writes nothing half-way: an
# existing -o report and the findings database are left as they were.
# Usage: bad_input.sh path/to/leash   (about two minutes: a locked database waits 60 s)
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
cd "$T" || exit 1

cat >ok.c <<'C'
#include <curl/curl.h>
int fetch(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
C
# A findings database with one run, and a report from it: every refused run below must
# leave both exactly as they are.
expect_rc 1 "$LEASH" check --db state.db -o report.txt --no-color ok.c
has report.txt "ok.c:6:9: warning"
runs() { sqlite3 "$1" "SELECT count(*) || '/' || ifnull(max(id), 0) FROM runs"; }
state_runs=$(runs state.db)
report_sum=$(md5sum <report.txt)
untouched() { # WHAT
  eq "$(md5sum <report.txt)" "$report_sum" "$1: the -o report changed"
  eq "$(runs state.db)" "$state_runs" "$1: the findings database changed"
  ls report.txt.tmp* >/dev/null 2>&1 && fail "$1: a temporary report was left behind"
}
# refused WHAT PATTERN ARGS...: exit 2, one line matching PATTERN, nothing written.
refused() {
  what=$1 pattern=$2
  shift 2
  expect_rc 2 "$LEASH" check --db state.db -o report.txt "$@"
  has err "$pattern"
  [ "$(wc -l <"$T/err")" = 1 ] || { fail "$what: the error is not one line"; sed 's/^/  | /' "$T/err" | head -5; }
  untouched "$what"
}

# --- files -------------------------------------------------------------------------------
refused "missing file" "^leash: missing.c: cannot read: No such file or directory$" missing.c
mkdir adir
refused "directory" "^leash: adir: is a directory" adir
{ printf '\177ELF\002\001\001\000'; head -c 4096 /dev/urandom; } >bin.c
refused "binary file" "^leash: bin.c: not a C source file (binary data" bin.c
mkfifo fifo.c
refused "fifo" "^leash: fifo.c: not a regular file$" fifo.c
: >empty.c
expect_rc 0 "$LEASH" check --no-db -o empty.txt empty.c
[ -f empty.txt ] && [ ! -s empty.txt ] || fail "empty file: the report is not an empty file"
[ -s "$T/err" ] && fail "empty file: something on stderr: $(head -1 "$T/err")"

# --- a 20 MB generated file: a table and 40,000 small functions ---------------------------
awk 'BEGIN {
  print "struct conn { int fd; };\nlong recv(int, void *, unsigned long, int);"
  target = 20 * 1048576; size = 0
  print "static const unsigned short table[] = {"
  while (size < target * 3 / 4) {
    line = ""; for (k = 0; k < 16; k++) line = line sprintf("%5d,", (size + k * 7919) % 65536)
    print line; size += length(line) + 1
  }
  print "0 };"
  for (i = 0; size < target; i++) {
    line = sprintf("int f%d(struct conn *c, int a) { char b[8]; int x = a * %d + table[%d]; " \
                   "if (x > 3) return (int)recv(c->fd, b, 8, 0); return x; }", i, i, i % 1000)
    print line; size += length(line) + 1
  }
}' >big.c
[ "$(wc -c <big.c)" -ge 20971520 ] || fail "big.c is smaller than 20 MB"
start=$(date +%s)
expect_rc 0 "$LEASH" check --no-db big.c
took=$(($(date +%s) - start))
[ "$took" -le 300 ] || fail "a 20 MB file took ${took} s (more than 300 s)"
echo "bad_input: a 20 MB file analysed in ${took} s"
rm big.c

# --- deep nesting: 10,000 levels ------------------------------------------------------------
awk 'BEGIN { s = "int f(int a) { return "; for (i = 0; i < 10000; i++) s = s "("; s = s "a";
             for (i = 0; i < 10000; i++) s = s ")"; print s "; }" }' >paren.c
awk 'BEGIN { s = "int f(int a) { return a"; for (i = 0; i < 10000; i++) s = s " + a"; print s "; }" }' >chain.c
awk 'BEGIN { s = "int f(int a) { "; for (i = 0; i < 10000; i++) s = s "if (a) "; print s "return 1; return 0; }" }' >ifs.c
awk 'BEGIN { s = "int f(int a) { return "; for (i = 0; i < 10000; i++) s = s "- "; print s "a; }" }' >neg.c
# Parentheses: clang's own limit (-fbracket-depth, 256) stops them, as it does the compiler.
expect_rc 3 "$LEASH" check --no-db paren.c
has err "paren.c:1:[0-9]*: error: bracket nesting level exceeded maximum of 256"
# A left-deep chain of 10,000 additions is analysed (extraction bounds its own depth).
expect_rc 0 "$LEASH" check --no-db chain.c
# 10,000 nested ifs or unary minuses overflow libclang's stack (its crash recovery cannot
# catch that); the TU's child process dies, the other files are still analysed.
expect_rc 3 "$LEASH" check --no-db --no-color ifs.c neg.c chain.c ok.c
has err "ifs.c: error: "
has err "neg.c: error: "
has out "ok.c:6:9: warning: curl_easy_perform() on handle 'h'"
# The parentheses too, when their limit is raised past what the stack holds.
expect_rc 3 "$LEASH" check --no-db paren.c -- -fbracket-depth=20000
has err "paren.c: error: libclang crashed on this translation unit\|paren.c: error: the process analysing"

# --- a TU that crashes libclang: isolated, reported, recorded -------------------------------
printf 'int x;\n#pragma clang __debug crash\nint y;\n' >crash.c
expect_rc 3 "$LEASH" check --db crash.db --no-color -o crash.txt crash.c ok.c
has err "crash.c: error: libclang crashed on this translation unit"
has crash.txt "ok.c:6:9: warning"
eq "$(sqlite3 crash.db "SELECT group_concat(status, ',') FROM (SELECT status FROM translation_units ORDER BY path)")" \
  "failed,ok" "TU statuses after a libclang crash"
eq "$(sqlite3 crash.db "SELECT status || ':' || exit_code FROM runs")" "complete:3" "the run after a libclang crash"
# In-process (LEASH_ISOLATE=0), libclang's own crash recovery returns CXError_Crashed.
LEASH_ISOLATE=0 expect_rc 3 "$LEASH" check --no-db --no-color crash.c ok.c
has err "crash.c: error: libclang could not parse this translation unit (libclang crashed)"
has out "ok.c:6:9: warning"

# --- syntax errors: exit 3, the errors, and what parsed is analysed ---------------------------
{ cat ok.c; printf 'int broken(void) { return undeclared_thing + ; }\nstruct s { int a; ;\n'; } >syntax.c
expect_rc 3 "$LEASH" check --db syntax.db --no-color syntax.c
has err "syntax.c:8:[0-9]*: error"
has out "syntax.c:6:9: warning: curl_easy_perform() on handle 'h'"
eq "$(sqlite3 syntax.db "SELECT status FROM translation_units")" errors "TU status with syntax errors"

# --- compilation databases ----------------------------------------------------------------------
mkdir notjson empty names
printf '{"directory": "/tmp", "file": "a.c",' >notjson/compile_commands.json
refused "compdb not JSON" "^leash: notjson/compile_commands.json:1:[0-9]*: " -p notjson
printf '[]\n' >empty/compile_commands.json
refused "empty compdb" "^leash: empty/compile_commands.json: the compilation database lists no translation unit$" -p empty
printf '[{"directory": "%s", "file": "gone.c", "arguments": ["cc", "-c", "gone.c"]},\n {"directory": "%s", "file": "ok.c", "arguments": ["cc", "-c", "ok.c"]}]\n' \
  "$T" "$T" >names/compile_commands.json
expect_rc 3 "$LEASH" check --no-db --no-color -p names
has err "gone.c: error: cannot read: No such file or directory"
has out "ok.c:6:9: warning"

# --- configuration ------------------------------------------------------------------------------
printf 'rules: [unbounded-spawn]\n' >types.yaml
refused "config: wrong type" "^leash: types.yaml:1:8: 'rules' must be a mapping$" --config types.yaml ok.c
printf 'apis:\n  - {name: f, spawns: two}\n' >types2.yaml
refused "config: wrong type (number)" "^leash: types2.yaml:2:23: 'spawns' must be a whole number" --config types2.yaml ok.c
printf 'version: 1\nrulez: {}\n' >unknown.yaml
refused "config: unknown key" "^leash: unknown.yaml:2:1: unknown key 'rulez'" --config unknown.yaml ok.c
printf 'rules:\n  unbounded-spawn: off\n  unbounded-spawn: on\n' >dup.yaml
refused "config: duplicate key" "^leash: dup.yaml:3:3: duplicate key 'unbounded-spawn'" --config dup.yaml ok.c
printf 'rules:\n  no-such-rule: off\n' >ruleid.yaml
refused "config: bad rule id" "^leash: ruleid.yaml:2:3: unknown rule id 'no-such-rule'" --config ruleid.yaml ok.c
printf 'rules: {unbounded-spawn: off\n' >syntax.yaml
refused "config: not YAML" "^leash: syntax.yaml:2:1: " --config syntax.yaml ok.c
printf 'rules:\0\n' >nul.yaml
refused "config: binary" "^leash: nul.yaml:1:1: not a YAML text file" --config nul.yaml ok.c
refused "config: missing" "^leash: gone.yaml: cannot read" --config gone.yaml ok.c
expect_rc 2 "$LEASH" check --rules no-such-rule ok.c
has err "unknown rule id 'no-such-rule'"

# --- output: unwritable -o, refused before anything is analysed or recorded ----------------------
printf 'x' >afile
for out in /nonexistent-dir/r.txt afile/r.txt adir; do
  expect_rc 2 "$LEASH" check --db state.db -o "$out" ok.c
  has err "^leash: $out: cannot write: "
  [ "$(wc -l <"$T/err")" = 1 ] || fail "-o $out: the error is not one line"
  eq "$(runs state.db)" "$state_runs" "-o $out: the findings database changed"
done
eq "$(ls adir)" "" "-o adir wrote into the directory"

# --- bad databases: the -o report is left alone (the database side is in db.sh) ----------------
head -c 5000 /dev/urandom >garbage.db
expect_rc 2 "$LEASH" check --db garbage.db -o report.txt ok.c
has err "garbage.db: .*not a leash findings database"
untouched "corrupt database"
sqlite3 newer.db "PRAGMA application_id = 1818583411; PRAGMA user_version = 9; CREATE TABLE runs (id INTEGER)"
expect_rc 2 "$LEASH" check --db newer.db -o report.txt ok.c
has err "newer.db: findings database schema version 9 is newer"
untouched "newer database"

# --- a database locked by another process --------------------------------------------------------
# Held for a moment: the run waits for it and completes.
lock() { # DB SECONDS: another process holds a write transaction on DB
  { echo "BEGIN EXCLUSIVE; INSERT INTO runs (started_at, version, command, options, root) VALUES ('x', 'x', 'x', 'x', 'x');"
    sleep "$2"; echo "ROLLBACK;"; } | sqlite3 "$1" &
  locker=$!
  sleep 1
}
lock state.db 3
expect_rc 1 "$LEASH" check --db state.db --no-color ok.c
wait $locker
eq "$(sqlite3 state.db "SELECT status FROM runs ORDER BY id DESC LIMIT 1")" complete "the run that waited for a lock"
state_runs=$(runs state.db)
# Held past leash's busy timeout (60 s): exit 2, one line, nothing written.
lock state.db 70
expect_rc 2 "$LEASH" check --db state.db -o report.txt ok.c
has err "^leash: state.db: .*locked"
[ "$(wc -l <"$T/err")" = 1 ] || fail "locked database: the error is not one line"
wait $locker
untouched "locked database"
eq "$(sqlite3 state.db 'PRAGMA integrity_check')" ok "integrity after a lock"

# --- kill -9 mid-run: the previous -o report is intact (the database side is in db.sh) ----------
mkdir many
many_tus many 150
expect_rc 1 "$LEASH" check --no-db --format json -o kill.json many/k0.c
before=$(md5sum <kill.json)
"$LEASH" check -q --db kill.db --format json -o kill.json many/*.c >/dev/null 2>&1 &
pk=$!
kill_after_tus kill.db 5 $pk >/dev/null
wait $pk 2>/dev/null
eq "$(md5sum <kill.json)" "$before" "kill -9: the previous report changed"
[ "$(sqlite3 :memory: "select json_valid(readfile('kill.json'))")" = 1 ] || fail "kill -9: kill.json is not JSON"
ls kill.json.tmp* >/dev/null 2>&1 && fail "kill -9 during analysis left a temporary report"
expect_rc 1 "$LEASH" check -q --db kill.db --format json -o kill.json many/*.c
eq "$(sqlite3 :memory: "select json_array_length(readfile('kill.json'), '\$.findings')")" 150 "the run after kill -9"

finish "bad_input"
