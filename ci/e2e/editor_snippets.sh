#!/bin/sh
# Runs each editor snippet of the README's "Editors" section, extracted from the README
# itself (so the two cannot drift): the Neovim ones in headless Neovim (Debian's 0.7.2)
# with clangd and leash, which must both publish diagnostics on a C buffer; the Emacs
# ones in Emacs with eglot / lsp-mode (Debian's elpa-eglot, elpa-lsp-mode), which must
# register leash beside clangd; and for every snippet, the leash command it configures
# must answer LSP and diagnose the buffer.  A snippet whose editor or plugin is not
# installed is said to be skipped; a snippet the test does not know fails it.
# Usage: editor_snippets.sh path/to/leash   (exit 77: neither neovim nor clangd installed)
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/ci/e2e/editors"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
command -v nvim >/dev/null 2>&1 && command -v clangd >/dev/null 2>&1 ||
  { echo "editor_snippets: neovim or clangd not installed (ci/deps.sh --test)"; exit 77; }

# The snippets say `leash`: the one under test comes first on PATH.
mkdir -p "$T/bin" "$T/home" "$T/proj/src" "$T/snippets"
ln -s "$LEASH" "$T/bin/leash"
export PATH="$T/bin:$PATH" HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" \
       XDG_STATE_HOME="$T/home/.state" XDG_DATA_HOME="$T/home/.data"
cp "$ROOT/ci/e2e/lsp/fetch.c" "$T/proj/src/fetch.c"
sed 's/fetch_status/fetch_other/' "$ROOT/ci/e2e/lsp/fetch.c" >"$T/proj/src/other.c"
mkdir "$T/proj/.git"
printf '[{"directory": "%s/proj", "file": "src/fetch.c", "arguments": ["cc", "-c", "src/fetch.c"]},{"directory": "%s/proj", "file": "src/other.c", "arguments": ["cc", "-c", "src/other.c"]}]\n' \
  "$T" "$T" >"$T/proj/compile_commands.json"
FILE="$T/proj/src/fetch.c"

python3 "$HERE/snippets.py" "$ROOT/README.md" "$T/snippets" >"$T/list" || fail "no snippets in the README"
n=0
while read -r s; do
  n=$((n + 1))
  f="$T/snippets/$s"
  case "$s" in
  *-neovim.lua)
    if grep -q "require('lspconfig')" "$f"; then
      # nvim-lspconfig is no Debian package: run with it when it is installed.
      if nvim --headless -u NONE -c 'lua local ok = pcall(require, "lspconfig"); vim.cmd(ok and "qa!" or "cquit 1")' \
        </dev/null >/dev/null 2>&1; then
        FIXTURE="$FILE" FIXTURE2="$T/proj/src/other.c" nvim --headless -i NONE -n -u "$f" \
          -c "luafile $HERE/nvim_driver.lua" </dev/null >"$T/nvim.log" 2>&1 || fail "$s: $(cat "$T/nvim.log")"
      else
        echo "editor_snippets: $s skipped (nvim-lspconfig is not installed)"
      fi
    else
      FIXTURE="$FILE" FIXTURE2="$T/proj/src/other.c" nvim --headless -i NONE -n -u "$f" \
        -c "luafile $HERE/nvim_driver.lua" </dev/null >"$T/nvim.log" 2>&1 || fail "$s: $(cat "$T/nvim.log")"
      grep -h "nvim snippet" "$T/nvim.log"
    fi
    cmd="leash lsp"
    ;;
  *-vs-code.json)
    cmd=$(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert "c" in s["glspc.server.languageId"], "languageId lacks c"
print(" ".join([s["glspc.server.command"]] + s["glspc.server.commandArguments"]))' "$f") || { fail "$s: not the settings"; continue; }
    ;;
  *-helix.toml)
    cmd=$(python3 -c '
import sys, tomllib
t = tomllib.load(open(sys.argv[1], "rb"))
c = [l for l in t["language"] if l["name"] == "c"][0]
assert c["language-servers"] == ["clangd", "leash"], "c does not run clangd and leash"
ls = t["language-server"]["leash"]
print(" ".join([ls["command"]] + ls.get("args", [])))' "$f") || { fail "$s: not a Helix languages.toml"; continue; }
    ;;
  *-emacs-eglot.elisp)
    client=eglot
    grep -q "lsp-register-client" "$f" && client=lsp-mode
    if command -v emacs >/dev/null 2>&1; then
      LEASH_CLIENT=$client emacs --batch -q -l "$f" -l "$HERE/emacs_check.el" \
        >"$T/emacs.log" 2>&1 || fail "$s ($client): $(tail -3 "$T/emacs.log")"
      grep -h "emacs snippet" "$T/emacs.log"
    else
      echo "editor_snippets: $s skipped (emacs is not installed)"
    fi
    # The command after the multiplexer's last `--`, or lsp-mode's stdio command.
    cmd=$(python3 -c '
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"lsp-stdio-connection \x27\(([^)]*)\)", t) or re.search(r"\. \(([^)]*)\)\)", t)
words = re.findall(r"\"([^\"]+)\"", m.group(1))
print(" ".join(words[len(words) - 1 - words[::-1].index("--") + 1:] if "--" in words else words))' "$f") ||
      { fail "$s: no server command in it"; continue; }
    ;;
  *)
    fail "$s: a snippet this test does not know how to run"
    continue
    ;;
  esac
  # shellcheck disable=SC2086
  python3 "$HERE/lsp_check.py" "$FILE" http-call-without-timeout -- $cmd || fail "$s: its command '$cmd'"
done <"$T/list"
[ "$n" -ge 6 ] || fail "only $n snippets found in the README's Editors section"
finish editor_snippets
