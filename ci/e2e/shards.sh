#!/bin/sh
# `leash check --shard K/N` + `leash merge`: N shards give exactly the findings of one
# run (same JSON report, byte for byte), each TU lands in exactly one shard, and bad
# shard sets are refused.
# Usage: shards.sh path/to/leash demo BUILD_DIR   (the demo service, -p BUILD_DIR)
#        shards.sh path/to/leash fixtures          (every one-file rule fixture as one
#                                                   program: some 300 TUs, with the
#                                                   shapes of all the rules)
set -u
LEASH=$(realpath "$1")
WHAT=$2
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

case "$WHAT" in
demo)
  cd "$ROOT" || exit 1
  set -- -p "$(realpath "$3")" fixtures/demo/service/*.c
  counts="1 2 3 4"
  ;;
fixtures)
  cd "$ROOT" || exit 1
  # A compilation database of the fixtures that need no flags (those naming
  # pkg-config modules get theirs in their own tests).
  {
    printf '['
    sep=''
    for f in fixtures/rules/*/*.c; do
      grep -q 'pkg-config:' "$f" && continue
      printf '%s\n{"directory": "%s", "file": "%s", "arguments": ["cc", "-c", "%s"]}' "$sep" "$ROOT" "$f" "$f"
      sep=','
    done
    printf ']\n'
  } >"$T/compile_commands.json"
  set -- -p "$T"
  counts="3 4"
  ;;
*)
  echo "usage: shards.sh LEASH demo BUILD_DIR | LEASH fixtures" >&2
  exit 2
  ;;
esac

"$LEASH" check -q --no-db --format json -o "$T/one.json" "$@"
rc_one=$?
[ "$rc_one" -le 1 ] || fail "the single run exited $rc_one"
"$LEASH" check -q --db "$T/all.db" "$@" >/dev/null
total=$(sqlite3 "$T/all.db" "SELECT count(*) FROM translation_units")
[ "$total" -ge 2 ] || fail "only $total translation unit(s)"

for n in $counts; do
  k=1
  while [ $k -le "$n" ]; do
    "$LEASH" check -q --shard "$k/$n" --db "$T/s$n-$k.db" "$@" &
    k=$((k + 1))
  done
  wait
  sqlite3 "$T/all.db" "SELECT 0" >/dev/null
  sum=0
  k=1
  while [ $k -le "$n" ]; do
    c=$(sqlite3 "$T/s$n-$k.db" "SELECT count(*) FROM translation_units")
    sum=$((sum + c))
    sqlite3 "$T/s$n-$k.db" "SELECT path FROM translation_units" >>"$T/paths$n"
    k=$((k + 1))
  done
  [ "$sum" = "$total" ] || fail "$n shards analysed $sum TUs, one run $total"
  [ "$(sort "$T/paths$n" | uniq -d | wc -l)" = 0 ] || fail "$n shards: a TU is in two shards"
  "$LEASH" merge "$T"/s"$n"-*.db -o "$T/m$n.db" --format json --report "$T/m$n.json"
  rc=$?
  [ "$rc" = "$rc_one" ] || fail "merge of $n shards exited $rc, the single run $rc_one"
  cmp -s "$T/one.json" "$T/m$n.json" || { fail "merge of $n shards differs from one run"; diff "$T/one.json" "$T/m$n.json" | head -10; }
  "$LEASH" db --db "$T/m$n.db" show latest --format json -o "$T/show$n.json"
  cmp -s "$T/one.json" "$T/show$n.json" || fail "the merged database does not hold the findings of one run"
  echo "shards: $n shards of $total TUs: $(grep -c '"rule"' "$T/m$n.json") finding(s), same as one run"
done

# Shard slices are stable from one run to the next.
"$LEASH" check -q --shard 2/3 --db "$T/again.db" "$@"
[ "$(sqlite3 "$T/again.db" "SELECT group_concat(path) FROM translation_units")" = \
  "$(sqlite3 "$T/s3-2.db" "SELECT group_concat(path) FROM translation_units")" ] || fail "shard 2/3 changed"

# Bad shard sets and options.
expect_rc 2 "$LEASH" merge "$T/s3-1.db" "$T/s3-3.db" -o "$T/bad.db"
has "$T/err" "shard 2/3 is missing"
expect_rc 2 "$LEASH" merge "$T/s3-1.db" "$T/s3-2.db" "$T/s3-3.db" "$T/again.db" -o "$T/bad.db"
has "$T/err" "shard 2/3 is given twice"
expect_rc 2 "$LEASH" merge "$T/s3-1.db" "$T/s4-2.db" -o "$T/bad.db"
expect_rc 2 "$LEASH" merge "$T/s3-1.db" "$T/s3-2.db" "$T/s3-3.db"
head -c 3000 /dev/urandom >"$T/junk.db"
expect_rc 2 "$LEASH" merge "$T/junk.db" -o "$T/bad.db"
has "$T/err" "junk.db: not a leash findings database"
expect_rc 2 "$LEASH" merge "$T/nothere.db" -o "$T/bad.db"
has "$T/err" "nothere.db"
[ ! -e "$T/bad.db" ] || fail "a refused merge created its output"
expect_rc 2 "$LEASH" check --shard 0/3 "$@"
expect_rc 2 "$LEASH" check --shard 4/3 "$@"
expect_rc 2 "$LEASH" check --shard 1/3 --no-db "$@"

finish "shards ($WHAT)"
