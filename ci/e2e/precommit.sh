#!/bin/sh
# End-to-end test of the pre-commit hook with the real `pre-commit` framework: a
# throwaway repository uses leash's .pre-commit-hooks.yaml; a clean commit passes, a
# commit that relies on a helper in another (unstaged) file passes thanks to the
# program-wide facts in the findings database, a commit that adds a hazard is refused
# with the finding shown, and after `leash baseline` only new findings refuse a commit.
# Usage: precommit.sh path/to/leash   (exit 77, skipped, outside a git checkout)
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v pre-commit >/dev/null || { echo "precommit: pre-commit is not installed"; exit 77; }
rev=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null) || { echo "precommit: $ROOT is not a git checkout"; exit 77; }
git -C "$ROOT" cat-file -e "$rev:.pre-commit-hooks.yaml" 2>/dev/null ||
  { echo "precommit: .pre-commit-hooks.yaml is not committed at $rev"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export PRE_COMMIT_HOME="$T/cache" HOME="$T"
mkdir -p "$T/bin" && ln -s "$LEASH" "$T/bin/leash"
export PATH="$T/bin:$PATH"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

mkdir "$T/proj" && cd "$T/proj" || exit 1
git init -q . && git config user.email ci@example.invalid && git config user.name ci
git config commit.gpgsign false
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: leash\n' "$ROOT" "$rev" >.pre-commit-config.yaml
printf '.leash/\n' >.gitignore
printf '%s\n' '#include <curl/curl.h>' '/* Every handle of the service gets its limits here. */' \
  'void http_defaults(CURL *h)' '{' '	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 3000L);' '}' >http.c
printf '%s\n' '#include <curl/curl.h>' 'void http_defaults(CURL *h);' >http.h
pre-commit install >/dev/null 2>&1 || fail "pre-commit install failed"
leash check -q http.c >/dev/null 2>&1 # record the whole program once
git add .gitignore .pre-commit-config.yaml http.c http.h
git commit -q -m "helper" >"$T/log" 2>&1 || { fail "a clean commit was refused"; cat "$T/log"; }

# client.c is clean only because of http.c, which is not staged: the database brings it.
printf '%s\n' '#include "http.h"' 'int fetch(const char *url)' '{' '	CURL *h = curl_easy_init();' \
  '	http_defaults(h);' '	curl_easy_setopt(h, CURLOPT_URL, url);' '	return curl_easy_perform(h);' '}' >client.c
git add client.c
git commit -q -m "client" >"$T/log" 2>&1 || { fail "a commit relying on a helper in another file was refused"; cat "$T/log"; }

# A hazard is refused, with the finding shown.
ping() {
  printf '%s\n' '#include <curl/curl.h>' "int ping$1(const char *url)" '{' '	CURL *h = curl_easy_init();' \
    '	curl_easy_setopt(h, CURLOPT_URL, url);' '	return curl_easy_perform(h);' '}'
}
ping "" >ping.c
git add ping.c
if git commit -q -m "ping" >"$T/log" 2>&1; then
  fail "a commit adding a hazard was accepted"
else
  grep -q "ping.c:6:9: warning: curl_easy_perform() on handle 'h'" "$T/log" ||
    { fail "the refusal does not show the finding"; cat "$T/log"; }
fi

# With a baseline, known findings pass and only new ones refuse a commit.
leash baseline -q http.c client.c ping.c >/dev/null 2>&1
git commit -q -m "ping, baselined" >"$T/log" 2>&1 || { fail "a baselined finding refused the commit"; cat "$T/log"; }
ping 2 >>ping.c
git add ping.c
if git commit -q -m "ping2" >"$T/log" 2>&1; then
  fail "a new finding next to a baselined one was accepted"
else
  grep -q "ping.c:13:9:" "$T/log" || { fail "the refusal does not show the new finding"; cat "$T/log"; }
  grep -q "ping.c:6:9:" "$T/log" && fail "the baselined finding was shown as new"
fi

if [ "$fails" = 0 ]; then echo "precommit: all passed"; else echo "precommit: $fails failure(s)"; fi
[ "$fails" = 0 ]
