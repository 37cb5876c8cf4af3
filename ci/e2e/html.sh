#!/bin/sh
# End-to-end test of `leash report --html` in a real browser: a project analysed twice
# (a baseline, then a run where one finding is fixed and one is new), the report of
# the second run rendered by headless Chromium, and what it shows checked (the DOM:
# counts, the trend, the numbered path steps on their lines, the marks of suppressed,
# baselined and new findings, escaping; the screenshots: a real PNG showing the chart,
# the step numbers and the flagged line); the report of the first run into the same
# folder (stale pages removed), files gone since the run, an old database, bad input,
# and a report over a few thousand findings.
# Usage: ci/e2e/html.sh path/to/leash   (exit 77: chromium not installed)
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
[ -n "$CHROMIUM" ] || { echo "html: chromium not installed (ci/deps.sh --test installs it): skipped"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
export HOME="$T/home"
mkdir -p "$HOME"

# chromium FILE ARGS...: renders FILE (a page of a report) headless, with a profile of
# its own (one still shutting down would take the next call's page and print nothing).
chromium() {
  page=$1
  shift
  profile=$(mktemp -d "$T/chrome.XXXXXX")
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" \
    "$@" "file://$page" 2>"$T/chromium.log"
  rc=$?
  [ $rc = 0 ] || { echo "chromium exited $rc:"; tail -5 "$T/chromium.log"; }
  return $rc
}
# dom PAGE CHECK...: the rendered DOM of PAGE passes html_check.py's checks.
dom() {
  page=$1
  shift
  chromium "$page" --dump-dom >"$T/dom.html" || { fail "chromium --dump-dom $page"; return; }
  python3 "$ROOT/ci/e2e/html_check.py" dom "$T/dom.html" "$@" || fail "what $page shows (above)"
}
# shot PAGE PNG MIN_BYTES COLOUR...: a screenshot of PAGE is a real PNG with these colours.
shot() {
  page=$1 png=$2
  shift 2
  rm -f "$png"
  chromium "$page" --window-size=1280,900 --hide-scrollbars --screenshot="$png" >/dev/null ||
    { fail "chromium --screenshot $page"; return; }
  python3 "$ROOT/ci/e2e/html_check.py" png "$png" "$@" || fail "the screenshot of $page (above)"
}
# page_of FILE: the page of the finding the latest run has in FILE.
page_of() { echo "$T/report/findings/$(sqlite3 "$T/proj/.leash/findings.db" "SELECT fingerprint FROM findings WHERE file = '$1'").html"; }

cd "$T" || exit 1
mkdir -p proj/src
cd proj || exit 1
cat >src/net.h <<'C'
#include <curl/curl.h>
int fetch(const char *url);
C
cat >src/client.c <<'C'
#include "net.h"
int fetch(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	/* checked: a < b && c > "d" <script>alert(1)</script> */
	return curl_easy_perform(h);
}
C
cat >src/upload.c <<'C'
#include "net.h"
int post(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
C
cat >src/legacy.c <<'C'
#include "net.h"
int legacy(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h); // leash:ignore http-call-without-timeout the proxy in front enforces a deadline
}
C
cat >src/server.c <<'C'
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

static void *conn_main(void *arg)
{
	close((int)(intptr_t)arg);
	return NULL;
}

int serve(int lfd)
{
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			continue;
		pthread_t tid;
		pthread_create(&tid, NULL, conn_main, (void *)(intptr_t)fd);
		pthread_detach(tid);
	}
}

int main(void) { return serve(3); }
C
printf '#include "net.h"\nint report(void) { return 0; }\n' >src/report.c
sep='['
for f in client upload legacy server report; do
  printf '%s{"directory": "%s", "file": "src/%s.c", "arguments": ["cc", "-c", "src/%s.c"]}' "$sep" "$PWD" $f $f
  sep=','
done >compile_commands.json
echo ']' >>compile_commands.json

# --- run 1, the baseline; run 2: upload.c fixed, a new finding in report.c -----------
expect_rc 0 "$LEASH" baseline -p .
cat >src/upload.c <<'C'
#include "net.h"
int post(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
	return curl_easy_perform(h);
}
C
cat >src/report.c <<'C'
#include "net.h"
int report(const char *url)
{
	CURL *h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, url);
	return curl_easy_perform(h);
}
C
expect_rc 1 "$LEASH" check -p .
echo '/* edited after the run */' >>src/client.c
expect_rc 0 "$LEASH" report --html ../report
has "$T/out" "report of run 2 (4 finding(s), 1 new, 1 fixed) written to ../report/index.html"
[ -f ../report/index.html ] && [ -f ../report/style.css ] || fail "index.html and style.css written"
eq "$(ls ../report/findings | wc -l)" 4 "one page per finding"
eq "$(find ../report -name '*.tmp*' | wc -l)" 0 "no temporary file left"
grep -q '<script' ../report/index.html ../report/findings/*.html && fail "a report page has a script element"

# --- the index ----------------------------------------------------------------------------
dom "$T/report/index.html" \
  text '#n-open' 3  text '#n-new' 1  text '#n-fixed' 1  text '#n-baselined' 2  text '#n-suppressed' 1 \
  has '#card-new' 'new since run 1' \
  count 'table#by-rule tbody tr' 2 \
  text 'table#by-rule tr[data-name=http-call-without-timeout] td.open' 2 \
  text 'table#by-rule tr[data-name=http-call-without-timeout] td.new' 1 \
  text 'table#by-rule tr[data-name=http-call-without-timeout] td.baselined' 1 \
  text 'table#by-rule tr[data-name=http-call-without-timeout] td.suppressed' 1 \
  text 'table#by-rule tr[data-name=unbounded-spawn] td.open' 1 \
  count 'table#by-file tbody tr' 4 \
  text 'table#by-file tr[data-name=src/report.c] td.new' 1 \
  text 'table#by-file tr[data-name=src/legacy.c] td.suppressed' 1 \
  count 'table#findings tr.finding' 4 \
  count 'table#findings tr.finding.new' 1 \
  count 'table#findings tr.finding.suppressed' 1 \
  count 'table#findings tr.finding.baselined' 3 \
  has 'table#findings tr.new' 'src/report.c:6:9' \
  has 'table#findings tr.suppressed .marks' 'suppressed' \
  count 'table#findings tr.finding a[href]' 4 \
  count 'table#fixed tbody tr' 1 \
  has 'table#fixed tbody tr' 'src/upload.c:6' \
  count 'svg.trend polyline' 3 \
  count 'svg.trend circle.point-open' 2 \
  text '#trend-table tr[data-run=1] td.open' 3  text '#trend-table tr[data-run=1] td.new' 3 \
  text '#trend-table tr[data-run=2] td.new' 1  text '#trend-table tr[data-run=2] td.fixed' 1 \
  count 'script' 0
# the chart's three series, drawn
shot "$T/report/index.html" "$T/index.png" 20000 '#2f6fde:300' '#e8590c:300' '#2b8a3e:300'

# --- a finding with a path: each step's number on its line ------------------------------
server=$(page_of src/server.c)
dom "$server" \
  text 'h1 .rule' unbounded-spawn \
  has 'p.where' 'src/server.c:19:3 in serve()' \
  count 'p.marks .mark-baselined' 1  count 'p.marks .mark-new' 0  count 'p.marks .mark-suppressed' 0 \
  has '#message' 'starts a thread for every connection' \
  count 'ol#steps li' 2 \
  has 'ol#steps li[data-step=1]' 'this loop runs once per event' \
  has 'ol#steps li[data-step=2]' 'src/server.c:19' \
  text 'tr[data-line=14] td.gut' 1 \
  text 'tr[data-line=19] td.gut' 2 \
  count 'tr.has-step' 2 \
  count 'tr.flagged[data-line=19]' 1 \
  count 'tr.flagged' 1 \
  text 'tr[data-line=19] mark' pthread_create \
  has 'tr.bubble[data-step=1]' 'this loop runs once per event' \
  count 'tr[data-line=9]' 0 \
  count 'tr[data-line=10]' 1 \
  has 'section#fix' 'leash_pool_try_submit' \
  count 'p.file-note' 0
# the step numbers and the flagged line, drawn
shot "$server" "$T/server.png" 20000 '#7048e8:150' '#fff3bf:3000'

# the source escaped, and the note that the file changed since the run
dom "$(page_of src/client.c)" \
  count 'script' 0 \
  text 'tr[data-line=6] td.tx' '/* checked: a < b && c > "d" <script>alert(1)</script> */' \
  has 'p.file-note' 'has changed since run 2' \
  text 'tr[data-line=4] td.gut' 1  text 'tr[data-line=7] td.gut' 2
dom "$(page_of src/legacy.c)" \
  count 'p.marks .mark-suppressed' 1 \
  text 'p.marks .reason' 'the proxy in front enforces a deadline' \
  count 'p.marks .mark-baselined' 1
dom "$(page_of src/report.c)" \
  count 'p.marks .mark-new' 1  count 'p.marks .mark-baselined' 0  count 'p.file-note' 0

# --- the report of run 1 into the same folder: the pages of run 2 alone are removed ----
new_page=$(page_of src/report.c)
fixed_page=$T/report/findings/$(sqlite3 .leash/findings.db "SELECT fingerprint FROM findings WHERE file = 'src/upload.c'").html
expect_rc 0 "$LEASH" report --html ../report --run 1 -q
eq "$(cat "$T/out")" "" "-q prints nothing"
[ -f "$new_page" ] && fail "the page of a finding run 1 has not is left"
[ -f "$fixed_page" ] || fail "the page of the finding fixed in run 2 is in the report of run 1"
dom "$T/report/index.html" \
  count '#run[data-run=1]' 1 \
  text '#n-open' 3  text '#n-new' 3  text '#n-fixed' 0 \
  count 'table#fixed' 0 \
  count '#trend-table tbody tr' 1

# --- a file gone since the run -----------------------------------------------------------
rm src/report.c
expect_rc 0 "$LEASH" report --html ../report/
has "$T/out" "written to ../report/index.html"
dom "$new_page" \
  has 'p.file-note' 'not on disk any more' \
  count 'tr.line' 0 \
  has 'tr.bubble[data-step=1]' 'src/report.c:4:' \
  has 'tr.bubble[data-step=2]' 'src/report.c:6:'

# --- an old database (schema version 1) -------------------------------------------------
sqlite3 "$T/old.db" <"$ROOT/analyzer/tests/db_schema_v1.sql" >/dev/null
expect_rc 0 "$LEASH" report --html "$T/old" --db "$T/old.db"
dom "$T/old/index.html" \
  text '#n-open' 1 \
  has 'table#findings tr.finding' 'src/client.c:42:9'
# a finding with no path (recorded before paths were): its places unnumbered
dom "$T/old/findings/00000000000000a1.html" \
  has 'p.file-note' 'not on disk any more' \
  count 'ol#steps' 0 \
  count 'ul#also li' 2 \
  has 'ul#also li[data-place=1]' "handle 'h' is created here" \
  count 'tr.bubble .loc' 2  count 'tr.bubble .step' 0

# --- bad input: one line, exit 2 ----------------------------------------------------------
expect_rc 2 "$LEASH" report
has "$T/err" "^leash: report: give --html DIR"
expect_rc 2 "$LEASH" report --html ../bad --run 99
has "$T/err" "^leash: .leash/findings.db: no run '99'"
expect_rc 2 "$LEASH" report --html ../bad --run nine
has "$T/err" "no run 'nine'"
expect_rc 2 "$LEASH" report --html ../bad --db "$T/none.db"
has "$T/err" "^leash: $T/none.db: no findings database here"
echo "not a database" >"$T/text.db"
expect_rc 2 "$LEASH" report --html ../bad --db "$T/text.db"
has "$T/err" "^leash: $T/text.db: not a leash findings database"
expect_rc 2 "$LEASH" report --html src
has "$T/err" "^leash: src: not empty and not a leash report"
[ -f src/index.html ] && fail "a report written into a folder of something else"
expect_rc 2 "$LEASH" report --html src/client.c
has "$T/err" "^leash: src/client.c: exists and is not a folder"
expect_rc 2 "$LEASH" report --html ../bad --colour
has "$T/err" "^leash: report: unknown option '--colour'"
expect_rc 2 "$LEASH" report --html ../bad 2
has "$T/err" "unexpected argument '2'"
[ -e ../bad ] && fail "a refused report left a folder"

# --- a few thousand findings ----------------------------------------------------------------
mkdir "$T/big"
cd "$T/big" || exit 1
awk 'BEGIN { print "#include <curl/curl.h>";
  for (i = 0; i < 3000; i++)
    printf "int g%d(const char *u) { CURL *h = curl_easy_init(); curl_easy_setopt(h, CURLOPT_URL, u); return curl_easy_perform(h); }\n", i }' >big.c
expect_rc 1 "$LEASH" check --db big.db big.c
expect_rc 0 "$LEASH" report --db big.db --html out
has "$T/out" "report of run 1 (3000 finding(s), 3000 new, 0 fixed)"
eq "$(ls out/findings | wc -l)" 3000 "a page for each of 3000 findings"
dom "$T/big/out/index.html" text '#n-open' 3000 count 'table#findings tr.finding' 3000

finish html
