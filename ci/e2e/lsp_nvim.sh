#!/bin/sh
# End to end with a real client: headless Neovim attaches clangd and `leash lsp` to one
# buffer (ci/e2e/lsp/fetch.c), checks both publish diagnostics and leash's line and
# code, applies leash's code action and checks the finding goes away.
# Usage: ci/e2e/lsp_nvim.sh path/to/leash   (exit 77: neovim or clangd not installed)
set -eu
leash=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
command -v nvim >/dev/null 2>&1 || { echo "lsp_nvim: nvim not installed (apt-get install neovim)"; exit 77; }
command -v clangd >/dev/null 2>&1 || { echo "lsp_nvim: clangd not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/home"
cp "$here/lsp/fetch.c" "$tmp/src/fetch.c"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" XDG_CACHE_HOME="$tmp/home/.cache" \
       XDG_STATE_HOME="$tmp/home/.state" XDG_DATA_HOME="$tmp/home/.data"
LEASH="$leash" FIXTURE="$tmp/src/fetch.c" \
  nvim --headless -u NONE -i NONE -n -c "luafile $here/lsp/test.lua" </dev/null
