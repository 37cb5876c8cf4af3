#!/bin/sh
# Measures the memory and cost of leash's whole-program step as programs grow: on a
# real project (PostgreSQL 15 from Debian sources, see below) against clang, and on
# generated services of growing size (ci/bench/gen_service.py), printing one table:
#   TUs, functions, lines; leash check cold (empty cache) and warm, wall seconds and
#   peak resident MiB; leash merge of two shards (the whole-program step alone: facts
#   read from the databases, program built, rules run, findings recorded); and, for a
#   project, clang -fsyntax-only over the same TUs with the same parallelism (the
#   floor) and the peak resident memory of the largest single clang parse.
# Usage: ci/bench/scale.sh [-j N] [--sizes "1 2 4 10"] [--no-gen] [--no-floor] [PROJECT_DIR...]
#   PROJECT_DIR holds a compile_commands.json (for PostgreSQL:
#   `apt-get source postgresql-15`, `./configure --without-readline --without-icu
#   --without-zlib --without-openssl`, `bear -- make -j2 -s`).  LEASH=path picks the
#   binary (default build/leash), GEN_DIR where the generated programs go (default a
#   temporary folder), KEEP_FINDINGS=DIR keeps each merge's findings (JSON) there, to
#   compare two builds.  Not a test: the numbers depend on the machine.
set -eu
jobs=$(nproc 2>/dev/null || echo 2)
sizes="1 2 4 10"
gen=1
floor=1
while [ $# -gt 0 ]; do
  case "$1" in
  -j) jobs=$2; shift 2 ;;
  --sizes) sizes=$2; shift 2 ;;
  --no-gen) gen=0; shift ;;
  --no-floor) floor=0; shift ;; # leash only (the floor does not depend on leash)
  *) break ;;
  esac
done
here=$(cd "$(dirname "$0")/../.." && pwd)
leash=${LEASH:-$here/build/leash}
clang=${CLANG:-clang-19}
[ -x "$leash" ] || { echo "bench: build leash first ($leash)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gendir=${GEN_DIR:-$tmp/gen}
tab=$(printf '\t')

# "seconds MiB" of a command: wall time and peak resident memory (GNU time; the peak
# of the process and of each child it waited for, whichever is largest).
measure() {
  /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$tmp/t" | awk '{ printf "%.2f %.0f", $1, $2 / 1024 }' # after "exited with status 1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# One line per TU: directory TAB clang arguments (compiler, -c, -o, -M* removed).
commands() { python3 "$here/ci/bench/tu_commands.py" "$1/compile_commands.json"; }

# Lines of the TUs' own files (headers not counted).
count_lines() {
  python3 - "$1" <<'PY'
import json, os, sys
n = 0
for f in {os.path.join(e["directory"], e["file"]) for e in json.load(open(sys.argv[1]))}:
    try:
        n += sum(1 for _ in open(f, errors="replace"))
    except OSError:
        pass
print(n)
PY
}

# cold, warm, shards, merge on one project: prints "cold_s cold_MB warm_s warm_MB
# merge_s merge_MB"; the merge's findings are left in $tmp/merge.json
run_leash() {
  dir=$1
  rm -f "$tmp"/*.db "$tmp"/*.db-*
  cold=$(cd "$dir" && measure "$leash" check -q -p "$dir" -j "$jobs" --db "$tmp/full.db")
  warm=$(cd "$dir" && measure "$leash" check -q -p "$dir" -j "$jobs" --db "$tmp/full.db")
  # Two shards from the same cache (copies of the full run's database: each shard
  # finds its TUs' facts there and parses nothing), then the merge alone.
  cp "$tmp/full.db" "$tmp/s1.db"
  cp "$tmp/full.db" "$tmp/s2.db"
  (cd "$dir" && "$leash" check -q -p "$dir" -j "$jobs" --shard 1/2 --db "$tmp/s1.db" >/dev/null 2>&1) || true
  (cd "$dir" && "$leash" check -q -p "$dir" -j "$jobs" --shard 2/2 --db "$tmp/s2.db" >/dev/null 2>&1) || true
  merge=$(cd "$dir" && measure "$leash" merge "$tmp/s1.db" "$tmp/s2.db" -o "$tmp/m.db" --format json \
    --report "$tmp/merge.json")
  printf '%s %s %s\n' "$cold" "$warm" "$merge"
}

printf '%-12s %6s %9s %8s %8s %8s %8s %8s %8s %9s %8s %8s %8s\n' program TUs lines cold_s cold_MB \
  warm_s warm_MB merge_s merge_MB floor_s clang_MB cold/fl MB/clang
for dir in "$@"; do
  name=$(basename "$dir" | cut -c1-12)
  commands "$dir" >"$tmp/cmds"
  n=$(wc -l <"$tmp/cmds")
  lines=$(count_lines "$dir/compile_commands.json")
  # the floor, each parse's peak memory recorded on the way
  : >"$tmp/rss"
  fl=- crss=-
  if [ "$floor" = 1 ]; then
    t0=$(date +%s.%N)
    while IFS="$tab" read -r d a; do
      printf '%s\0' "cd '$d' && /usr/bin/time -f %M -a -o '$tmp/rss' $clang -fsyntax-only -w $a"
    done <"$tmp/cmds" | xargs -0 -P "$jobs" -n 1 sh -c >/dev/null 2>&1 || true
    fl=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    crss=$(awk '$1 + 0 > m { m = $1 + 0 } END { printf "%.0f", m / 1024 }' "$tmp/rss")
  fi
  run_leash "$dir" >"$tmp/row"
  read -r cs cm ws wm ms mm <"$tmp/row"
  peak=$(printf '%s\n%s\n' "$cm" "$mm" | sort -n | tail -n 1)
  printf '%-12s %6d %9d %8s %8s %8s %8s %8s %8s %9s %8s %8s %8s\n' "$name" "$n" "$lines" "$cs" "$cm" "$ws" "$wm" \
    "$ms" "$mm" "$fl" "$crss" "$(ratio "$cs" "$fl")" "$(ratio "$peak" "$crss")"
  [ -z "${KEEP_FINDINGS:-}" ] || cp "$tmp/merge.json" "$KEEP_FINDINGS/$name.json"
done
[ "$gen" = 1 ] || exit 0
for s in $sizes; do
  out=$(python3 "$here/ci/bench/gen_service.py" "$s" "$gendir/x$s")
  n=$(echo "$out" | cut -d' ' -f1)
  lines=$(echo "$out" | cut -d' ' -f3)
  run_leash "$gendir/x$s" >"$tmp/row"
  read -r cs cm ws wm ms mm <"$tmp/row"
  printf '%-12s %6d %9d %8s %8s %8s %8s %8s %8s %9s %8s %8s %8s\n' "gen-${s}x" "$n" "$lines" "$cs" "$cm" "$ws" "$wm" \
    "$ms" "$mm" - - - -
  [ -z "${KEEP_FINDINGS:-}" ] || cp "$tmp/merge.json" "$KEEP_FINDINGS/gen-${s}x.json"
done
