#!/bin/sh
# End-to-end tests of the leash command line: exit codes, error messages, output
# formats, suppressions, compilation databases.  Usage: cli.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

cat >"$T/bad.c" <<'C'
#include <curl/curl.h>
int fetch(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
int broken(void) { return undeclared_thing + ; }
C
cd "$T" || exit 1

# A TU with errors: reports them, still analyses what parsed, exits 3.
expect_rc 3 "$LEASH" check --no-color bad.c
has err "bad.c:8:.*error"
has out "bad.c:6:9: warning: curl_easy_perform() on handle 'h'"
has out "^	return curl_easy_perform(h);"
has out "^	       ^"

# TUs that fail are noted in the report by file, whatever order the workers end in
# (the small one, analysed beside the heavy one, ends first).
printf 'int a(void) { return nope; }\n' >z_broken.c
expect_rc 3 "$LEASH" check --no-db -j2 --format json -o notes1.json bad.c z_broken.c
expect_rc 3 "$LEASH" check --no-db -j2 --format json -o notes2.json z_broken.c bad.c
notes=$(sqlite3 :memory: "select group_concat(json_extract(value, '\$.file'), ' ') from json_each(json_extract(readfile('notes1.json'), '\$.failed'))")
[ "$notes" = "bad.c z_broken.c" ] || fail "notes not by file: $notes"
cmp -s notes1.json notes2.json || fail "the report depends on the order of the files given"

# Findings exit 1; --fail-on error lets warnings pass; notes about creation site.
sed '/broken/d' bad.c >ok.c
expect_rc 1 "$LEASH" check --no-color ok.c
has out "ok.c:4:12: note: handle 'h' is created here, in fetch()"
expect_rc 0 "$LEASH" check --fail-on error ok.c
expect_rc 0 "$LEASH" check --rules suppression-without-reason ok.c
expect_rc 2 "$LEASH" check --rules no-such-rule ok.c
has err "unknown rule id 'no-such-rule'"

# JSON output, written atomically to -o.
expect_rc 1 "$LEASH" check --format json -o report.json ok.c
[ "$(sqlite3 :memory: "select json_valid(readfile('report.json'))")" = 1 ] || fail "report.json is not JSON"
[ "$(sqlite3 :memory: "select json_extract(readfile('report.json'), '\$.findings[0].rule')")" = http-call-without-timeout ] ||
  fail "json lacks the rule id"
[ "$(sqlite3 :memory: "select json_extract(readfile('report.json'), '\$.findings[0].location.line')")" = 6 ] ||
  fail "json has the wrong line"
ls report.json.tmp* >/dev/null 2>&1 && fail "a temporary report file was left behind"
expect_rc 2 "$LEASH" check -o /nonexistent-dir/r.txt ok.c
has err "/nonexistent-dir/r.txt: cannot write"
# -o on something that is not a regular file (/dev/null, a FIFO) writes into it: a
# rename over it would replace the device or pipe with a regular file.
mkfifo report.fifo
cat report.fifo >fifo.out &
expect_rc 1 "$LEASH" check --format json -o report.fifo ok.c
wait
[ -p report.fifo ] || fail "-o replaced a FIFO with a regular file"
grep -q http-call-without-timeout fifo.out || fail "-o into a FIFO lost the report"

# Suppressions: with a reason, silent; without, reported themselves.
sed 's|return curl_easy_perform(h);|return curl_easy_perform(h); // leash:ignore http-call-without-timeout caller holds a deadline|' ok.c >sup.c
expect_rc 0 "$LEASH" check sup.c
sed 's|return curl_easy_perform(h);|// leash:ignore http-call-without-timeout\n\treturn curl_easy_perform(h);|' ok.c >noreason.c
expect_rc 1 "$LEASH" check --no-color noreason.c
has out "noreason.c:6:5: warning: this leash:ignore of http-call-without-timeout gives no reason"
hasnt out "curl_easy_perform() on handle"
# Its severity is configured like any rule's.
printf 'rules:\n  suppression-without-reason: {severity: error}\n' >sev.yaml
expect_rc 1 "$LEASH" check --no-color --config sev.yaml noreason.c
has out "noreason.c:6:5: error: this leash:ignore of http-call-without-timeout gives no reason"

# Input errors: missing file, directory, bad config, bad compilation database.
expect_rc 2 "$LEASH" check missing.c
has err "missing.c: cannot read"
mkdir adir
expect_rc 2 "$LEASH" check adir
has err "adir: is a directory"
printf 'rules:\n  http-call-without-timeout: {severty: error}\n' >bad.yaml
expect_rc 2 "$LEASH" check --config bad.yaml ok.c
has err "bad.yaml:2:31: unknown key 'severty'"
printf 'rules:\n  http-call-without-timeout: off\n' >.leash.yaml
expect_rc 0 "$LEASH" check ok.c
rm .leash.yaml
mkdir db && printf '[{"directory": "/tmp", "file": "a.c",\n "command": }]' >db/compile_commands.json
expect_rc 2 "$LEASH" check -p db
has err "db/compile_commands.json:2:13: not valid JSON"
expect_rc 2 "$LEASH" check --format xml ok.c
expect_rc 2 "$LEASH" frobnicate

# Compilation database: -p, clangd-style discovery in build/, neighbour flags.
mkdir -p proj/src proj/build
cat >proj/src/a.c <<'C'
#include <curl/curl.h>
#ifdef WITH_FETCH
int a(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }
#endif
C
cp proj/src/a.c proj/src/b.c
printf '[{"directory": "%s/proj", "file": "src/a.c", "arguments": ["cc", "-DWITH_FETCH", "-c", "src/a.c", "-o", "a.o"]}]\n' "$T" \
  >proj/build/compile_commands.json
expect_rc 1 "$LEASH" check -p proj/build
has out "a.c:3:50: warning"
expect_rc 1 "$LEASH" check -v proj/src/a.c
has err "flags from database"
expect_rc 1 "$LEASH" check -v proj/src/b.c
has err "flags from neighbour"
has out "b.c:3:50: warning"

# Rules: every registered rule has its doc, and every reporting rule its fixtures.
expect_rc 0 "$LEASH" rules
cut -d' ' -f1 "$T/out" >rules.txt
[ -s rules.txt ] || fail "leash rules printed nothing"
while read -r id; do
  expect_rc 0 "$LEASH" rules explain "$id"
  has out "^# $id"
  [ -f "$ROOT/rules/$id.md" ] || fail "rules/$id.md missing"
  [ -d "$ROOT/fixtures/rules/$id" ] || fail "fixtures/rules/$id missing"
  n=$(grep -rlE "expect(@[-+][0-9]+)?: .*$id" "$ROOT/fixtures/rules/$id" 2>/dev/null | wc -l)
  neg=$(grep -rLE "expect(@[-+][0-9]+)?:" "$ROOT/fixtures/rules/$id" --include=*.c 2>/dev/null | wc -l)
  [ "$n" -ge 1 ] && [ "$neg" -ge 1 ] || fail "$id needs positive and negative fixtures ($n/$neg)"
done <rules.txt
expect_rc 2 "$LEASH" rules explain nope
expect_rc 0 "$LEASH" --version
has out "^leash [0-9]"

finish cli
