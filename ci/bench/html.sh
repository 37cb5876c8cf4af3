#!/bin/sh
# Benchmarks `leash report --html`: the report of a run with N findings (default 5000,
# 100 in each of N/100 files, each with a related location), written into a new folder
# and then again over the report already there (every page rewritten).  Prints the
# wall time of each, the pages and the size.  Not a test: numbers depend on the machine.
# Usage: ci/bench/html.sh [N]
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-bench"
jobs=$(nproc 2>/dev/null || echo 2)
n=${1:-5000}
per=100
cmake -S "$root" -B "$build/leash" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build/leash" -j "$jobs" --target leash >/dev/null
leash="$build/leash/leash"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
files=$(( (n + per - 1) / per ))
i=0
while [ $i -lt "$files" ]; do
  awk -v f=$i -v per=$per 'BEGIN { print "#include <curl/curl.h>";
    for (k = 0; k < per; k++)
      printf "int f%d_%d(const char *u)\n{\n\tCURL *h = curl_easy_init();\n\tcurl_easy_setopt(h, CURLOPT_URL, u);\n\treturn curl_easy_perform(h);\n}\n", f, k }' >"f$i.c"
  i=$((i + 1))
done
"$leash" check --db bench.db -q f*.c >/dev/null || [ $? -eq 1 ]
ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(ms)
"$leash" report --db bench.db --html report
t1=$(ms)
"$leash" report --db bench.db --html report -q
t2=$(ms)
echo "findings:    $(sqlite3 bench.db 'SELECT count(*) FROM occurrences') in $files files"
echo "new folder:  $((t1 - t0)) ms"
echo "rewritten:   $((t2 - t1)) ms"
echo "pages:       $(ls report/findings | wc -l), $(du -sh report | cut -f1) in all, index $(du -h report/index.html | cut -f1)"
