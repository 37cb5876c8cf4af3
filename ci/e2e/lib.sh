# lib.sh - helpers the end-to-end scripts source after setting T (a scratch folder):
# fail, expect_rc (stdout -> $T/out, stderr -> $T/err), has, hasnt, eq; and finish.
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_rc WANT CMD...: runs CMD, checks its exit status.
expect_rc() {
  want=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  got=$?
  [ "$got" = "$want" ] || { fail "'$*' exited $got, want $want"; sed 's/^/  | /' "$T/err" | head -5; }
}
has() { grep -q -- "$2" "$1" || { fail "$1 lacks '$2'"; sed 's/^/  | /' "$1" | head -5; }; }
hasnt() { ! grep -q -- "$2" "$1" || fail "$1 has '$2'"; }
eq() { [ "$1" = "$2" ] || fail "$3: got '$1', want '$2'"; }
# many_tus DIR N: writes N small TUs (DIR/k0.c ...), each with one finding.
many_tus() {
  mkdir -p "$1"
  i=0
  while [ $i -lt "$2" ]; do
    printf '#include <curl/curl.h>\n#include <stdio.h>\nint g%d(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }\n' \
      $i >"$1/k$i.c"
    i=$((i + 1))
  done
}
# kill_after_tus DB K PID: waits until DB holds K translation units (30 s at most),
# then kills PID with SIGKILL; prints how many it saw.  The caller reaps PID (wait).
kill_after_tus() {
  n=0 tries=0
  while [ "$n" -lt "$2" ] && [ $tries -lt 600 ]; do
    sleep 0.05
    n=$(sqlite3 "$1" "SELECT count(*) FROM translation_units" 2>/dev/null || echo 0)
    tries=$((tries + 1))
  done
  kill -9 "$3"
  echo "$n"
}
# finish NAME: prints the summary and exits 0 when nothing failed.
finish() {
  [ "$fails" = 0 ] && echo "$1: all passed" || echo "$1: $fails failure(s)"
  [ "$fails" = 0 ]
  exit $?
}
