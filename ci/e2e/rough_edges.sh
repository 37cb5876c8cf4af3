#!/bin/sh
# End-to-end tests of what a new user runs into first: a note-level finding printed
# so clang-style parsers keep it apart, a misspelled id in leash:ignore, `{severity:
# off}`, a C++ file, paths in parse errors, the JSON report's version and failed TUs,
# where a YAML construct left open starts, unknown options, a clean run on a terminal,
# and suggested fixes that spell a field as the code does.
# Usage: rough_edges.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
cd "$T" || exit 1

# 1. A finding of severity note (a process-lifetime worker) printed after a warning: a
# `remark:` of its own, never a `note:` line that parsers attach to the warning.
cat >worker.c <<'C'
#include <curl/curl.h>
#include <pthread.h>
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stop, items;
int fetch(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }
static void *drain(void *arg)
{
	pthread_mutex_lock(&mu);
	while (!stop) {
		while (items == 0 && !stop)
			pthread_cond_wait(&cv, &mu);
		items--;
	}
	pthread_mutex_unlock(&mu);
	return arg;
}
int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, drain, NULL);
	pthread_detach(t);
	return fetch();
}
C
expect_rc 1 "$LEASH" check --no-db --no-color worker.c
has out "^worker.c:6:[0-9]*: warning: .*\[http-call-without-timeout\]$"
has out "^worker.c:12:[0-9]*: remark: .*\[consumer-without-closer\]$"
grep -E '^[^ 	]+:[0-9]+:[0-9]+: note: .*\[[a-z-]+\]$' out >/dev/null && fail "a finding printed as a note: line"
# ... while JSON and SARIF keep its severity.
expect_rc 1 "$LEASH" check --no-db --format json worker.c
has out '"severity": "note"'

# 2. A misspelled id in leash:ignore is reported, with the id it meant; the finding stays.
sed 's|return curl_easy_perform(h); }|return curl_easy_perform(h); } // leash:ignore http-call-without-timout retried by the caller|' \
  worker.c >typo.c
expect_rc 1 "$LEASH" check --no-db --no-color typo.c
has out "typo.c:6:[0-9]*: warning: this leash:ignore names 'http-call-without-timout', which is not a rule id, so it suppresses nothing; did you mean 'http-call-without-timeout'? \[suppression-of-unknown-rule\]"
has out "typo.c:6:[0-9]*: warning: curl_easy_perform() .*\[http-call-without-timeout\]"

# 3. `{severity: off}` turns a rule off, as the README says; `{severity: on}` keeps it.
mkdir sev && cp worker.c sev/
printf 'version: 1\nrules:\n  http-call-without-timeout: {severity: off}\n' >sev/.leash.yaml
cd sev && expect_rc 0 "$LEASH" check --no-db --no-color worker.c; cd "$T" || exit 1
hasnt out "http-call-without-timeout"
printf 'version: 1\nrules:\n  http-call-without-timeout: {severity: on}\n' >sev/.leash.yaml
cd sev && expect_rc 1 "$LEASH" check --no-db --no-color worker.c; cd "$T" || exit 1
has out "warning: curl_easy_perform()"

# 4. C++: a file given is refused in one line; a database of C and C++ has its C
# analysed; one of C++ only is refused.
printf 'class A { int x; };\n' >a.cpp
expect_rc 2 "$LEASH" check --no-db a.cpp
eq "$(cat err)" "leash: a.cpp: not C: leash analyses C translation units" "a .cpp file"
mkdir mixed && cp worker.c a.cpp mixed/
printf '[{"directory":"%s/mixed","file":"worker.c","command":"cc -c worker.c"},{"directory":"%s/mixed","file":"a.cpp","command":"c++ -c a.cpp"}]\n' \
  "$T" "$T" >mixed/compile_commands.json
expect_rc 1 "$LEASH" check --no-db --no-color -v -p mixed
has err "a.cpp: not C, left out"
has out "worker.c:6:"
printf '[{"directory":"%s/mixed","file":"a.cpp","command":"c++ -c a.cpp"}]\n' "$T" >mixed/compile_commands.json
expect_rc 2 "$LEASH" check --no-db -p mixed
has err "not C: every translation unit it lists is C++"

# 5. Parse errors use the paths findings use: relative to the current folder, however
# the file was named.
mkdir src && sed 's|^int main(void)$|int broken(void) { return undeclared_thing + ; }\nint main(void)|' worker.c >src/broken.c
expect_rc 3 "$LEASH" check --no-db --no-color "$T/src/broken.c"
has err "^src/broken.c:[0-9]*:[0-9]*: error: use of undeclared identifier 'undeclared_thing'"
hasnt err "$T/src"
has out "^src/broken.c:6:[0-9]*: warning:"

# 6. The JSON report has a format version and the TUs that failed.
expect_rc 3 "$LEASH" check --no-db --format json -o report.json src/broken.c worker.c
node -e '
  const j = JSON.parse(require("fs").readFileSync("report.json"));
  const ok = j.format_version === 2 && j.tool === "leash" && /^[0-9]+\.[0-9]+/.test(j.version) &&
    j.failed.length === 1 && j.failed[0].file === "src/broken.c" && /undeclared_thing/.test(j.failed[0].message) &&
    j.findings.every(f => Array.isArray(f.path));
  process.exit(ok ? 0 : 1);' || fail "JSON format_version and failed: $(cat report.json | head -c 400)"

# 7. A YAML construct left open: the error names where parsing failed and where it started.
mkdir yaml && cp worker.c yaml/
printf 'version: 1\nrules: {http-call-without-timeout: off,\n\n  unbounded-spawn: on\n' >yaml/.leash.yaml
cd yaml && expect_rc 2 "$LEASH" check --no-db worker.c; cd "$T" || exit 1
has err "^leash: .*\.leash\.yaml:5:1: did not find expected ',' or '}' while parsing a flow mapping started at line 2, column 8$"
eq "$(wc -l <err)" 1 "the YAML error is one line"

# 8. Unknown options and missing values say leash:, in one line.
for cmd in check baseline merge lsp; do
  expect_rc 2 "$LEASH" $cmd --no-such-option </dev/null
  eq "$(cat err)" "leash: $cmd: unknown option '--no-such-option' (see \`leash $cmd --help\`)" "$cmd --no-such-option"
done
expect_rc 2 "$LEASH" check --format
eq "$(cat err)" "leash: check: option '--format' needs a value (see \`leash check --help\`)" "check --format"
expect_rc 2 "$LEASH" check -Z
eq "$(cat err)" "leash: check: unknown option '-Z' (see \`leash check --help\`)" "check -Z"

# 9. A clean run says so in one line on a terminal's stderr, and nothing when stderr is not one.
printf '#include <unistd.h>\nint main(void) { return 0; }\n' >clean.c
expect_rc 0 "$LEASH" check --no-db clean.c
eq "$(cat err)" "" "a clean run with stderr not a terminal"
if command -v script >/dev/null 2>&1; then
  script -qec "'$LEASH' check --no-db clean.c >/dev/null" tty.log >/dev/null 2>&1 || fail "clean run on a terminal failed"
  has tty.log "^leash: no findings in 1 translation unit(s)"
  eq "$(grep -c '^leash' tty.log)" 1 "the clean run's terminal output is one line"
fi

# 10. The suggested fix of a finding on a field spells the field as the code does.
cat >fields.c <<'C'
#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
struct conn { CURL *curl; int fd; pthread_t th; redisContext *redis; };
static void *run(void *a) { return a; }
int go(struct conn *c, const struct sockaddr *sa)
{
	c->curl = curl_easy_init();
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	connect(c->fd, sa, sizeof(struct sockaddr_in));
	pthread_create(&c->th, NULL, run, c);
	c->redis = redisConnectWithTimeout("db", 6379, (struct timeval){.tv_sec = 1});
	redisCommand(c->redis, "PING");
	return curl_easy_perform(c->curl);
}
C
expect_rc 1 "$LEASH" check --no-db --no-color fields.c
has out "setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO"
has out "curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, 5000L), or leash_curl_apply(c->curl, ctx)"
has out "nothing in the program passes c->th to a join or detach"
has out "redisSetTimeout(c->redis, (struct timeval){.tv_sec = 5})"

finish rough_edges
