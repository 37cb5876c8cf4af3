#!/bin/sh
# End-to-end test that partial runs never degrade the next run.  A project of four
# TUs (report.c is clean only because apply_timeouts(), in fetch.c, sets
# CURLOPT_TIMEOUT_MS) goes through a sequence of commits with the real `pre-commit`
# framework, each touching another file: every one must pass, a refused commit must
# leave nothing behind that refuses the next, and the language server must see every
# TU's facts between them.  Then: a run killed with SIGKILL is marked `interrupted` by
# the next one; `leash check` and `leash baseline` with no input find build/ the way
# clangd does; `leash baseline --run` takes a run's findings without analysing; the
# default database sits at the project root whatever folder the command runs in.
# Usage: partial_runs.sh path/to/leash   (exit 77, skipped, outside a git checkout)
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v pre-commit >/dev/null || { echo "partial_runs: pre-commit is not installed"; exit 77; }
command -v python3 >/dev/null || { echo "partial_runs: python3 is not installed"; exit 77; }
rev=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null) || { echo "partial_runs: $ROOT is not a git checkout"; exit 77; }
git -C "$ROOT" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null ||
  { echo "partial_runs: .pre-commit-hooks.yaml is not committed at $rev"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
export PRE_COMMIT_HOME="$T/cache" HOME="$T"
mkdir -p "$T/bin" && ln -s "$LEASH" "$T/bin/leash"
export PATH="$T/bin:$PATH"
P="$T/proj"
DB="$P/.leash/findings.db"
q() { sqlite3 "$DB" "$1"; }

mkdir "$P" && cd "$P" || exit 1
git init -q . && git config user.email ci@example.invalid && git config user.name ci
git config commit.gpgsign false
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: leash\n' "$ROOT" "$rev" >.pre-commit-config.yaml
printf '.leash/\nbuild/\n' >.gitignore
printf '%s\n' '#include <curl/curl.h>' 'void apply_timeouts(CURL *h);' 'int send_report(const char *url);' \
  'int log_line(const char *s);' >fetch.h
printf '%s\n' '#include "fetch.h"' '/* Every handle of the service gets its limits here. */' \
  'void apply_timeouts(CURL *h)' '{' '	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 3000L);' '}' >fetch.c
printf '%s\n' '#include "fetch.h"' 'int send_report(const char *url)' '{' '	CURL *h = curl_easy_init();' \
  '	apply_timeouts(h);' '	curl_easy_setopt(h, CURLOPT_URL, url);' '	return curl_easy_perform(h);' '}' >report.c
printf '%s\n' '#include <stdio.h>' '#include "fetch.h"' 'int log_line(const char *s) { return puts(s); }' >log.c
printf '%s\n' '#include "fetch.h"' 'int main(int argc, char **argv)' '{' '	(void)argc;' \
  '	log_line("start");' '	return send_report(argv[1]);' '}' >main.c
mkdir build
{
  printf '['
  sep=''
  for f in fetch.c report.c log.c main.c; do
    printf '%s\n {"directory": "%s", "file": "%s", "arguments": ["cc", "-I.", "-c", "%s"]}' "$sep" "$P" "$f" "$f"
    sep=','
  done
  printf '\n]\n'
} >build/compile_commands.json

comment() { printf '/* %s */\n' "$2" >>"$1"; }
commit() { # commit MESSAGE FILE...: stages the files and commits through the hook
  msg=$1; shift
  git add "$@" && git commit -q -m "$msg" >"$T/log" 2>&1
}

cat >"$T/lsp.py" <<'EOF'
import json, subprocess, sys
leash, root, path = sys.argv[1], sys.argv[2], sys.argv[3]
p = subprocess.Popen([leash, "lsp", "-v"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(sys.argv[4], "w"))
def send(m):
    b = json.dumps(m).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(b) + b)
    p.stdin.flush()
def recv():
    n = 0
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit("leash lsp closed its output")
        if line in (b"\r\n", b"\n"):
            break
        if line.lower().startswith(b"content-length:"):
            n = int(line.split(b":")[1])
    return json.loads(p.stdout.read(n))
uri = "file://" + path
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://" + root, "capabilities": {}}})
while recv().get("id") != 1:
    pass
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri, "languageId": "c", "version": 1, "text": open(path).read()}}})
while True:
    m = recv()
    if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
        print(len(m["params"]["diagnostics"]))
        for d in m["params"]["diagnostics"]:
            print(d.get("code"), d["range"]["start"]["line"] + 1, d["message"])
        break
send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
while recv().get("id") != 2:
    pass
send({"jsonrpc": "2.0", "method": "exit"})
p.wait(timeout=30)
EOF
# The language server sees every TU between the commits: report.c is clean because
# of fetch.c.  (lsp.py: LEASH ROOT FILE LOG opens FILE and prints how many diagnostics
# leash publishes for it, then each.)
lsp_sees() { # lsp_sees N: report.c has no diagnostic, with the facts of N TUs
  timeout 60 python3 "$T/lsp.py" "$LEASH" "$P" "$P/report.c" "$T/lsp.err" >"$T/lsp.out" 2>&1 ||
    { fail "the language server session failed"; cat "$T/lsp.out"; }
  eq "$(head -n 1 "$T/lsp.out")" 0 "diagnostics of report.c in the editor ($1 TUs)"
  has "$T/lsp.err" "facts of $1 translation unit(s)"
}

pre-commit install >/dev/null 2>&1 || fail "pre-commit install failed"
expect_rc 0 leash check -p build
eq "$(q "SELECT count(*) FROM translation_units WHERE run_id = (SELECT max(id) FROM runs)")" 4 "TUs of the full run"
commit "start" .gitignore .pre-commit-config.yaml fetch.h fetch.c report.c log.c main.c ||
  { fail "the first commit was refused"; cat "$T/log"; }

# The sequence of the issue: fetch.c, then report.c, then both, then log.c.
comment fetch.c "retries are the caller's"
commit "fetch: comment" fetch.c || { fail "a comment-only commit to fetch.c was refused"; cat "$T/log"; }
lsp_sees 4
comment report.c "one handle per report"
commit "report: comment" report.c || { fail "a comment-only commit to report.c was refused"; cat "$T/log"; }
comment fetch.c "and the limits are the service's"
comment report.c "reports are small"
commit "both: comments" fetch.c report.c || { fail "a commit to fetch.c and report.c was refused"; cat "$T/log"; }
comment log.c "stdout is line-buffered"
commit "log: comment" log.c || { fail "a comment-only commit to log.c was refused"; cat "$T/log"; }
comment report.c "the caller retries"
commit "report: again" report.c || { fail "a second comment-only commit to report.c was refused"; cat "$T/log"; }
hasnt "$T/log" "no full run"
lsp_sees 4

# A refused commit (the timeout dropped from fetch.c, so report.c's call has none) is
# counted in `leash db runs`; once it is given up, the next commit is judged against
# the files as they are, not against the refused ones.
cp fetch.c "$T/fetch.c.good"
printf '%s\n' '#include "fetch.h"' 'void apply_timeouts(CURL *h)' '{' '	(void)h;' '}' >fetch.c
comment report.c "refused"
if commit "drop the timeout" fetch.c report.c; then
  fail "a commit that drops the timeout report.c relies on was accepted"
else
  has "$T/log" "report.c:7:9: warning: curl_easy_perform() on handle 'h'"
fi
leash db runs >"$T/runs" 2>&1
last=$(tail -n 1 "$T/runs")
case "$last" in
*pre-commit*complete*" 1 "*) ;;
*) fail "db runs does not count the refused pre-commit run's finding: $last" ;;
esac
eq "$(q "SELECT count(*) FROM occurrences WHERE run_id = (SELECT max(id) FROM runs)")" 1 "findings of the refused run"
git reset -q
cp "$T/fetch.c.good" fetch.c
git checkout -q report.c
comment report.c "after the refusal"
commit "report: after a refusal" report.c || { fail "the commit after a refused one was refused"; cat "$T/log"; }

# A change no run recorded (committed without the hook) is part of the rest of the
# program as the files are: the timeout gone from fetch.c refuses report.c's commit,
# and once it is back, report.c's next commit passes.
comment fetch.c "checked"
commit "fetch: checked" fetch.c || { fail "a comment-only commit to fetch.c was refused"; cat "$T/log"; }
cp fetch.c "$T/fetch.c.good"
printf '%s\n' '#include "fetch.h"' '/* unchecked */' 'void apply_timeouts(CURL *h)' '{' '	(void)h;' '}' >fetch.c
git add fetch.c && git commit -q --no-verify -m "drop the timeout, unchecked" || fail "a commit with --no-verify failed"
comment report.c "judged with fetch.c as it is"
if commit "report: against the unchecked fetch.c" report.c; then
  fail "a commit was judged against fetch.c as a run recorded it, not as it is"
else
  has "$T/log" "report.c:7:9: warning: curl_easy_perform() on handle 'h'"
fi
git reset -q && git checkout -q report.c
cp "$T/fetch.c.good" fetch.c
git add fetch.c && git commit -q --no-verify -m "the timeout back, unchecked" || fail "a commit with --no-verify failed"
comment report.c "and with fetch.c back"
commit "report: against fetch.c back" report.c || { fail "a commit after fetch.c was put back was refused"; cat "$T/log"; }

# A TU added to the compilation database without the hook is part of the rest of the
# program: its helper makes a new caller's commit clean.
printf '%s\n' '#include "fetch.h"' 'void strict_timeouts(CURL *h)' '{' '	curl_easy_setopt(h, CURLOPT_TIMEOUT, 2L);' '}' \
  >strict.c
sed -i 's|^]$|, {"directory": "'"$P"'", "file": "strict.c", "arguments": ["cc", "-I.", "-c", "strict.c"]}\n]|' \
  build/compile_commands.json
git add strict.c && git commit -q --no-verify -m "strict, unchecked" || fail "a commit with --no-verify failed"
printf '%s\n' '#include "fetch.h"' 'void strict_timeouts(CURL *h);' 'int send_strict(const char *url)' '{' \
  '	CURL *h = curl_easy_init();' '	strict_timeouts(h);' '	curl_easy_setopt(h, CURLOPT_URL, url);' \
  '	return curl_easy_perform(h);' '}' 'int main(int argc, char **argv) { return argc > 1 ? send_strict(argv[1]) : 0; }' \
  >strict_report.c
sed -i 's|^]$|, {"directory": "'"$P"'", "file": "strict_report.c", "arguments": ["cc", "-I.", "-c", "strict_report.c"]}\n]|' \
  build/compile_commands.json
commit "strict report" strict_report.c || { fail "a commit relying on a TU no run recorded was refused"; cat "$T/log"; }

# The language server, after all these commits.
lsp_sees 6

# A run killed with SIGKILL is `interrupted` once the next run starts; what it
# committed is kept.
many_tus "$P/many" 40
{
  printf '['
  sep=''
  for f in many/*.c; do
    printf '%s\n {"directory": "%s", "file": "%s", "arguments": ["cc", "-c", "%s"]}' "$sep" "$P" "$f" "$f"
    sep=','
  done
  printf '\n]\n'
} >"$T/many.json"
mkdir -p "$T/manydb" && cp "$T/many.json" "$T/manydb/compile_commands.json"
leash check -q -j 1 -p "$T/manydb" --db "$T/killed.db" >/dev/null 2>&1 &
pid=$!
seen=$(kill_after_tus "$T/killed.db" 3 $pid)
wait $pid 2>/dev/null
[ "$seen" -ge 3 ] || fail "the killed run committed $seen TUs before the kill"
eq "$(sqlite3 "$T/killed.db" "SELECT status FROM runs WHERE id = 1")" running "the killed run before the next"
expect_rc 1 leash check -q -j 2 -p "$T/manydb" --db "$T/killed.db"
eq "$(sqlite3 "$T/killed.db" "SELECT status FROM runs WHERE id = 1")" interrupted "the killed run after the next"
[ "$(sqlite3 "$T/killed.db" "SELECT count(*) FROM translation_units WHERE run_id = 1")" -ge 3 ] ||
  fail "the interrupted run lost the TUs it committed"
eq "$(sqlite3 "$T/killed.db" "SELECT status FROM runs WHERE id = 2")" complete "the run after the killed one"
leash db --db "$T/killed.db" runs >"$T/out" 2>&1
has "$T/out" "interrupted"

# No input in a project root: the compilation database is build/compile_commands.json.
expect_rc 0 leash check
eq "$(q "SELECT count(*) FROM translation_units WHERE run_id = (SELECT max(id) FROM runs)")" 6 "TUs of \`leash check\` with no input"
expect_rc 0 leash baseline
has "$T/out" "baseline of 0 finding(s)"
# `leash baseline --run`: a run's findings become the baseline, nothing is analysed.
printf '%s\n' '#include <curl/curl.h>' 'int ping(const char *url)' '{' '	CURL *h = curl_easy_init();' \
  '	curl_easy_setopt(h, CURLOPT_URL, url);' '	return curl_easy_perform(h);' '}' \
  'int main(int argc, char **argv) { return argc > 1 ? ping(argv[1]) : 0; }' >ping.c
sed -i 's|^]$|, {"directory": "'"$P"'", "file": "ping.c", "arguments": ["cc", "-c", "ping.c"]}\n]|' build/compile_commands.json
expect_rc 1 leash check
run=$(q "SELECT max(id) FROM runs")
before=$(q "SELECT count(*) FROM translation_units")
expect_rc 0 leash baseline --run latest
has "$T/out" "baseline of 1 finding(s) recorded in .* (run $run)"
eq "$(q "SELECT count(*) FROM translation_units")" "$before" "TUs recorded by \`leash baseline --run\`"
expect_rc 0 leash check --new-only
expect_rc 2 leash baseline --run 99999
has "$T/err" "no run '99999'"
partial=$(q "SELECT max(id) FROM runs WHERE command = 'pre-commit'")
expect_rc 2 leash baseline --run "$partial"
has "$T/err" "not a run over the whole program"

# The default database is at the project root, whatever folder the command runs in.
mkdir -p "$P/sub"
cd "$P/sub" || exit 1
n=$(q "SELECT count(*) FROM runs")
expect_rc 1 leash check -p ../build
eq "$(q "SELECT count(*) FROM runs")" $((n + 1)) "runs in the root's database after a run in sub/"
[ -e "$P/sub/.leash" ] && fail "a database was made in sub/"
expect_rc 1 leash check ../ping.c
eq "$(q "SELECT count(*) FROM runs")" $((n + 2)) "runs in the root's database after a run on a file from sub/"
expect_rc 0 leash db runs
has "$T/out" "baseline"
printf 'version: 1\n' >"$P/sub/.leash.yaml"
expect_rc 1 leash check -p ../build
[ -e "$P/sub/.leash/findings.db" ] || fail "the database is not beside the .leash.yaml of sub/"
[ -e "$P/sub/.leash" ] && rm -rf "$P/sub/.leash" "$P/sub/.leash.yaml"

finish partial_runs
