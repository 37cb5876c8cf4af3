#!/bin/sh
# End-to-end test of a team's own APIs: the README's `.leash.yaml` example, taken from
# README.md as written, declares http_client_get `blocks: 1` and
# http_client_set_deadline `timeout: 1` on an opaque handle; the same functions
# declared with LEASH_BLOCKS/LEASH_TIMEOUT mean the same; an `apis:` entry that names
# a function no translation unit has is said with -v, on a reused evaluation too.
# Usage: user_apis.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

mkdir -p "$T/proj/src" "$T/proj/third_party" "$T/annotated"
# The first yaml block after the README's configuration heading.
awk '/^## Configuration: `.leash.yaml`/ { inside = 1 }
     inside && /^```yaml/ { copy = 1; next }
     copy && /^```/ { exit }
     copy { print }' "$ROOT/README.md" >"$T/proj/.leash.yaml"
grep -q "name: http_client_get" "$T/proj/.leash.yaml" || fail "README's .leash.yaml example not found"

# The calls, on a handle with no deadline and on one with a deadline: after the
# declarations, which each part below gives its own way.
cat >"$T/calls.c" <<'C'

int fetch_profile(const char *id)
{
	http_client *h = http_client_new("http://users");
	return http_client_get(h, id);
}

int fetch_order(const char *id)
{
	http_client *h = http_client_new("http://orders");
	http_client_set_deadline(h, 1500);
	return http_client_get(h, id);
}
C
cat - "$T/calls.c" >"$T/proj/src/profile.c" <<'C'
typedef struct http_client http_client;
http_client *http_client_new(const char *base);
int http_client_get(http_client *h, const char *path);
int http_client_set_deadline(http_client *h, int ms);
C
sed 's/fetch_profile/vendored_fetch/; s/fetch_order/vendored_order/' "$T/proj/src/profile.c" >"$T/proj/third_party/vendored.c"
cd "$T/proj" || exit 1

# YAML: the call on the handle with no deadline is reported, the other is not, and the
# excluded folder gives nothing.
expect_rc 1 "$LEASH" check --no-color --no-db src/profile.c third_party/vendored.c
has "$T/out" "profile.c:9:9: warning: http_client_get() blocks on handle 'h'.*\[client-call-without-timeout\]"
hasnt "$T/out" "profile.c:16"
hasnt "$T/out" "vendored.c"
eq "$(grep -c 'client-call-without-timeout\]' "$T/out")" 1 "findings with the README's .leash.yaml"

# Without the entries the program says nothing of http_client_get.
printf "version: 1\n" >empty.yaml
expect_rc 0 "$LEASH" check --no-color --no-db --config empty.yaml src/profile.c

# A misspelled entry configures nothing: -v says so (its file and line), on the first
# run and on the next one, whose evaluation is reused; without -v it is silent.
cp .leash.yaml good.yaml
printf '  - {name: http_client_gett, blocks: 1}\n' >>.leash.yaml
line=$(grep -n "http_client_gett" .leash.yaml | cut -d: -f1)
expect_rc 1 "$LEASH" check -v --no-color --db run.db src/profile.c
has "$T/err" "\.leash\.yaml:$line: API 'http_client_gett' is not declared or called in any translation unit"
hasnt "$T/err" "API 'http_client_get' is not"
hasnt "$T/err" "API 'http_client_set_deadline' is not"
expect_rc 1 "$LEASH" check -v --no-color --db run.db src/profile.c
has "$T/err" "evaluation reused"
has "$T/err" "API 'http_client_gett' is not declared or called"
expect_rc 1 "$LEASH" check --no-color --db run.db src/profile.c
hasnt "$T/err" "http_client_gett"
cp good.yaml .leash.yaml

# Annotations: the same vocabulary on the declarations, no .leash.yaml at all; and the
# README's LEASH_BLOCKS wrapper on a CURL * is the HTTP rule's.
cd "$T/annotated" || exit 1
cat - "$T/calls.c" >profile.c <<'C'
#include <curl/curl.h>
#include <leash/annotate.h>

typedef struct http_client http_client;
http_client *http_client_new(const char *base);
int http_client_get(http_client *h, const char *path) LEASH_BLOCKS(1);
int http_client_set_deadline(http_client *h, int ms) LEASH_TIMEOUT(1);
int my_fetch(CURL *h, const char *url) LEASH_BLOCKS(1);

int fetch_page(const char *url)
{
	CURL *h = curl_easy_init();
	return my_fetch(h, url);
}
C
expect_rc 1 "$LEASH" check --no-color --no-db profile.c -- "-I$ROOT/runtime/include"
has "$T/out" "profile.c:13:9: warning: .*my_fetch.*\[http-call-without-timeout\]"
has "$T/out" "profile.c:19:9: warning: http_client_get() blocks on handle 'h'.*\[client-call-without-timeout\]"
hasnt "$T/out" "profile.c:26"
eq "$(grep -c 'without-timeout\]' "$T/out")" 2 "findings by annotation"

# kinds: a project's own wait for the next request (a queue of its framework) is an
# event wait once .leash.yaml says so: the loop around it runs once per request, and
# the lookup in it is per request.
mkdir -p "$T/kinds" && cd "$T/kinds" || exit 1
cat >server.c <<'C'
#include <netdb.h>
#include <stddef.h>

struct request { const char *host; };
struct request *next_request(void *queue);
void answer(struct request *rq, const struct addrinfo *ai);

void serve(void *queue)
{
	for (;;) {
		struct request *rq = next_request(queue);
		struct addrinfo *ai = NULL;
		if (rq && getaddrinfo(rq->host, "443", NULL, &ai) == 0) {
			answer(rq, ai);
			freeaddrinfo(ai);
		}
	}
}

int main(void)
{
	serve(NULL);
	return 0;
}
C
expect_rc 0 "$LEASH" check --no-color --no-db server.c
printf 'version: 1\nkinds:\n  event-wait: [next_request]\n' >.leash.yaml
expect_rc 1 "$LEASH" check --no-color --no-db server.c
has "$T/out" "server.c:13:.*getaddrinfo() runs once per event of the loop at line 10 (it waits in next_request())"
printf 'version: 1\nkinds:\n  event-wait: next_request\n' >.leash.yaml
expect_rc 2 "$LEASH" check --no-color --no-db server.c
has "$T/err" "\.leash\.yaml:3:15: .*a kind's function names"

finish user_apis
