#!/bin/sh
# Benchmarks `leash check` against the floor, `clang -fsyntax-only` over the same
# translation units with the same parallelism, side by side in one run:
#   leash cold (empty cache), leash warm (nothing changed), leash after one file
#   changed, clang -fsyntax-only (and of that one file), clang-tidy with one cheap
#   check, -j1 against -jN, and peak memory of one worker against clang's.
# Usage: ci/bench/check.sh [-j N] [PROJECT_DIR...]   (default: the trees ci/realworld.sh
# fetches; each needs a compile_commands.json).  Prints a table; not a test.
set -eu
jobs=$(nproc 2>/dev/null || echo 2)
if [ "${1:-}" = "-j" ]; then jobs=$2; shift 2; fi
here=$(cd "$(dirname "$0")/../.." && pwd)
leash=${LEASH:-$here/build/leash}
clang=${CLANG:-clang-19}
tidy=${CLANG_TIDY:-clang-tidy}
[ $# -gt 0 ] || set -- /work/realworld/memcached-1.6.18 /work/realworld/redis-7.0.15
[ -x "$leash" ] || { echo "bench: build leash first ($leash)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tab=$(printf '\t')
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# peak resident memory in MiB of a command (GNU time)
peak() { /usr/bin/time -f %M -o "$tmp/rss" "$@" >/dev/null 2>&1 || true; awk '{ printf "%.1f", $1 / 1024 }' "$tmp/rss"; }

# One line per TU: directory TAB clang arguments (compiler, -c, -o, -M* removed).
commands() { python3 "$here/ci/bench/tu_commands.py" "$1/compile_commands.json"; }

printf '%-10s %6s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s\n' project TUs floor_s cold_s cold/fl \
  warm_s warm/cold touch_s touch/fl1 j1/j$jobs tidy/fl rss_ratio
for dir in "$@"; do
  name=$(basename "$dir" | cut -d- -f1)
  commands "$dir" >"$tmp/cmds"
  n=$(wc -l <"$tmp/cmds")
  # the floor: clang -fsyntax-only over the same TUs, $jobs at a time
  t0=$(now)
  while IFS="$tab" read -r d a; do
    printf '%s\0' "cd '$d' && $clang -fsyntax-only -w $a"
  done <"$tmp/cmds" | xargs -0 -P "$jobs" -n 1 sh -c >/dev/null 2>&1 || true
  floor=$(elapsed "$t0" "$(now)")
  db="$tmp/$name.db"
  t0=$(now); "$leash" check -q -p "$dir" -j "$jobs" --db "$db" >/dev/null 2>&1 || true; cold=$(elapsed "$t0" "$(now)")
  warm=
  for k in 1 2 3; do
    t0=$(now); "$leash" check -q -p "$dir" -j "$jobs" --db "$db" >/dev/null 2>&1 || true; warm=$(least "$warm" "$(elapsed "$t0" "$(now)")")
  done
  # one file changed: the first TU, with a comment appended (restored afterwards)
  first=$(head -n 1 "$tmp/cmds")
  fdir=$(printf '%s' "$first" | cut -f1)
  fargs=$(printf '%s' "$first" | cut -f2)
  ffile=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[0]['file'])" "$dir/compile_commands.json")
  case "$ffile" in /*) ;; *) ffile="$fdir/$ffile" ;; esac
  # (single runs of a fraction of a second are noisy here: the least of three is taken,
  # each touching the file anew, so that each run has one file to analyse again)
  cp "$ffile" "$tmp/saved.c"
  touched=
  for k in 1 2 3; do
    printf '\n/* leash bench %s */\n' "$k" >>"$ffile"
    t0=$(now); "$leash" check -q -p "$dir" -j "$jobs" --db "$db" >/dev/null 2>&1 || true
    touched=$(least "$touched" "$(elapsed "$t0" "$(now)")")
  done
  cp "$tmp/saved.c" "$ffile"
  floor1=
  for k in 1 2 3; do
    t0=$(now); (cd "$fdir" && eval "$clang -fsyntax-only -w $fargs" >/dev/null 2>&1) || true
    floor1=$(least "$floor1" "$(elapsed "$t0" "$(now)")")
  done
  j1= jn=
  for k in 1 2; do
    t0=$(now); "$leash" check -q -p "$dir" -j 1 --no-db >/dev/null 2>&1 || true; j1=$(least "$j1" "$(elapsed "$t0" "$(now)")")
    t0=$(now); "$leash" check -q -p "$dir" -j "$jobs" --no-db >/dev/null 2>&1 || true; jn=$(least "$jn" "$(elapsed "$t0" "$(now)")")
  done
  t0=$(now)
  files=$(python3 -c "import json,sys; print(' '.join(sorted({e['file'] for e in json.load(open(sys.argv[1]))})))" "$dir/compile_commands.json")
  # shellcheck disable=SC2086
  (cd "$dir" && printf '%s\n' $files | xargs -P "$jobs" -n 1 "$tidy" -p "$dir" -checks='-*,misc-redundant-expression' --quiet >/dev/null 2>&1) || true
  tidy_s=$(elapsed "$t0" "$(now)")
  # memory: leash with one worker against clang on the largest TU
  big=$(python3 -c "import json,os,sys; d=json.load(open(sys.argv[1])); print(max(d, key=lambda e: os.path.getsize(os.path.join(e['directory'], e['file'])))['file'])" "$dir/compile_commands.json")
  big_line=$(python3 - "$dir/compile_commands.json" "$big" <<'PY'
import json, sys
for e in json.load(open(sys.argv[1])):
    if e["file"] == sys.argv[2]:
        print(e["directory"]); break
PY
)
  lrss=$(cd "$dir" && peak "$leash" check -q --no-db -j 1 -p "$dir" "$big")
  crss=$(grep -F "$(basename "$big")" "$tmp/cmds" | head -n 1 | cut -f2)
  crss=$(cd "$big_line" && peak sh -c "$clang -fsyntax-only -w $crss")
  printf '%-10s %6d %9.2f %9.2f %9s %9.2f %9s %9.2f %9s %9s %9s %9s\n' "$name" "$n" "$floor" "$cold" \
    "$(ratio "$cold" "$floor")" "$warm" "$(ratio "$warm" "$cold")" "$touched" "$(ratio "$touched" "$floor1")" \
    "$(ratio "$j1" "$jn")" "$(ratio "$tidy_s" "$floor")" "$(ratio "$lrss" "$crss")"
done
