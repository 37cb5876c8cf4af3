#!/bin/sh
# Prints the path of the SARIF validator (@microsoft/sarif-multitool 5.7.0's
# self-contained binary), installing it with npm into ci/.npm/ when missing.
# Usage: ci/sarif-validator.sh   (exit 2 when npm is missing or the install fails)
set -eu
dir="$(cd "$(dirname "$0")" && pwd)/.npm"
bin="$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$bin" ]; then
  command -v npm >/dev/null 2>&1 || { echo "sarif-validator.sh: npm is missing (apt-get install npm)" >&2; exit 2; }
  mkdir -p "$dir"
  echo "sarif-validator.sh: installing @microsoft/sarif-multitool@5.7.0 into $dir" >&2
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error @microsoft/sarif-multitool@5.7.0 >&2 ||
    { echo "sarif-validator.sh: npm install failed" >&2; exit 2; }
  [ -x "$bin" ] || chmod u+x "$bin"
fi
echo "$bin"
