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
# finish NAME: prints the summary and exits 0 when nothing failed.
finish() {
  [ "$fails" = 0 ] && echo "$1: all passed" || echo "$1: $fails failure(s)"
  [ "$fails" = 0 ]
  exit $?
}
