#!/bin/sh
# Installs the build tree into a temporary prefix as the README's "Install" says, then
# checks what lands there: bin/leash that runs and links its rule pages to the docs
# installed beside it, the rule docs, libleash built into a program with
# find_package(leash) and with pkg-config (<leash/leash.h> alone, leash_curl_apply
# included), leash finding nothing in that program; and the repository's action.yml
# run step by step against the installed leash.
# Usage: install.sh path/to/build-dir [SANITIZERS]   (a libleash built with -fsanitize=S
#        links into programs built with it too: the test programs are)
set -u
BUILD=$(realpath "$1")
SAN=${2:+-fsanitize=$2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"
P="$T/prefix"

cmake --install "$BUILD" --prefix "$P" >"$T/install.log" 2>&1 || { fail "cmake --install"; cat "$T/install.log"; }
for f in bin/leash include/leash/leash.h include/leash/curl.h include/leash/version.h share/doc/leash/README.md \
  share/doc/leash/runtime/README.md share/doc/leash/rules/unbounded-spawn.md; do
  [ -e "$P/$f" ] || fail "not installed: $f"
done
pc=$(find "$P" -name leash.pc | head -1)
cfg=$(find "$P" -name leashConfig.cmake | head -1)
[ -n "$pc" ] || fail "no leash.pc installed"
[ -n "$cfg" ] || fail "no leashConfig.cmake installed"
# The front end, where the installed leash finds it (<prefix>/<libdir>/leash/).
fe=$(find "$P" -name leash-frontend.so | head -1)
[ -n "$fe" ] || fail "no leash-frontend.so installed"
case $fe in "$P"/lib*/leash/leash-frontend.so) ;; *) fail "leash-frontend.so installed as $fe" ;; esac
"$P/bin/leash" --version >"$T/out" 2>&1 || fail "the installed leash does not run"
has "$T/out" "^leash [0-9]"

# Rule links of the installed leash open the pages installed beside it.
cd "$T" || exit 1
cp "$ROOT/ci/e2e/install/main.c" .
printf '#include <curl/curl.h>\nint f(void) { CURL *h = curl_easy_init(); return curl_easy_perform(h); }\n' >hazard.c
"$P/bin/leash" check --no-db --format sarif -o hazard.sarif hazard.c
python3 - "$T/hazard.sarif" "$P" <<'PY' || fail "helpUri and informationUri of the installed leash"
import json, os, sys, urllib.parse
s, prefix = json.load(open(sys.argv[1])), sys.argv[2]
drv = s["runs"][0]["tool"]["driver"]
want = "file://" + prefix + "/share/doc/leash/"
assert drv["informationUri"] == want + "README.md", drv["informationUri"]
for r in drv["rules"]:
    assert r["helpUri"] == want + "rules/" + r["id"] + ".md", r["helpUri"]
    assert os.path.isfile(urllib.parse.unquote(r["helpUri"][len("file://"):])), r["helpUri"]
PY

# ... and so do the language server's (codeDescription).
LSP_HREF_PREFIX="file://$P/share/doc/leash/rules/" python3 "$ROOT/ci/e2e/editors/lsp_check.py" hazard.c \
  http-call-without-timeout -- "$P/bin/leash" lsp >"$T/out" 2>&1 || fail "$(cat "$T/out")"

# libleash with find_package(leash) ...
cmake -S "$ROOT/ci/e2e/install" -B "$T/fp" -DCMAKE_PREFIX_PATH="$P" -DCMAKE_C_FLAGS="$SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="$SAN" >"$T/fp.log" 2>&1 &&
  cmake --build "$T/fp" >>"$T/fp.log" 2>&1 || { fail "find_package(leash) build"; tail -20 "$T/fp.log"; }
LD_LIBRARY_PATH="$(dirname "$(find "$P" -name 'libleash.so*' | head -1)")" "$T/fp/uses_leash" >"$T/out" 2>&1 ||
  fail "the find_package program: $(cat "$T/out")"
has "$T/out" "uses_leash: ok (curl helper: "
# ... and with pkg-config.
libdir=$(dirname "$(dirname "$pc")")
# shellcheck disable=SC2046
cc $SAN -o "$T/pc_prog" main.c $(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs leash) >"$T/pc.log" 2>&1 ||
  { fail "pkg-config build"; cat "$T/pc.log"; }
LD_LIBRARY_PATH="$libdir" "$T/pc_prog" >"$T/out" 2>&1 || fail "the pkg-config program: $(cat "$T/out")"
has "$T/out" "uses_leash: ok (curl helper: "
grep -q "curl helper: yes" "$T/out" || [ ! -f "$P/include/leash/curl.h" ] || fail "leash.h did not bring leash_curl_apply"
# The installed leash sees libleash's annotations as the fixes: nothing to report.
"$P/bin/leash" check --no-db --no-color main.c -- -I"$P/include" >"$T/out" 2>"$T/err"
eq "$?" 0 "leash check of the libleash program"
eq "$(cat "$T/out")" "" "findings in the libleash program"

# The GitHub Action, step by step with its default inputs (and leash on PATH: the
# install step only says its version), on a project with a finding.
mkdir -p "$T/repo/build" && cp hazard.c "$T/repo/"
printf '[{"directory": "%s/repo", "file": "hazard.c", "arguments": ["cc", "-c", "hazard.c"]}]\n' "$T" \
  >"$T/repo/build/compile_commands.json"
python3 - "$ROOT/action.yml" "$T/steps" <<'PY' || fail "action.yml"
import os, re, sys, yaml
a = yaml.safe_load(open(sys.argv[1]))
assert a["runs"]["using"] == "composite" and a["name"] and a["description"]
inputs = {k: str(v.get("default", "")) for k, v in a["inputs"].items()}
os.makedirs(sys.argv[2])
uses = [s["uses"] for s in a["runs"]["steps"] if "uses" in s]
assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses), uses
for i, s in enumerate(a["runs"]["steps"]):
    if "run" not in s:
        continue
    assert s.get("shell") == "bash", s["name"]
    # ${{ inputs.x }} from the defaults; ${{ steps.check.outputs.exit-code }} from the run.
    text = re.sub(r"\$\{\{ inputs\.([a-z-]+) \}\}", lambda m: inputs[m.group(1)], s["run"])
    text = text.replace("${{ steps.check.outputs.exit-code }}", "$EXIT_CODE")
    assert "${{" not in text, text
    open("%s/%d-%s.sh" % (sys.argv[2], i, s.get("id", "step")), "w").write(text)
PY
cd "$T/repo" || exit 1
export PATH="$P/bin:$PATH" GITHUB_ACTION_PATH="$ROOT" RUNNER_TEMP="$T" GITHUB_OUTPUT="$T/gh_output"
: >"$GITHUB_OUTPUT"
bash -e "$T/steps/0-step.sh" >"$T/out" 2>&1 || fail "the install step with leash on PATH: $(cat "$T/out")"
has "$T/out" "^leash [0-9]"
bash -e "$T/steps/1-check.sh" >"$T/out" 2>&1 || fail "the run step: $(cat "$T/out")"
has "$GITHUB_OUTPUT" "^exit-code=1$"
[ -s leash.sarif ] && grep -q '"ruleId": "http-call-without-timeout"' leash.sarif || fail "the run step wrote no SARIF with the finding"
EXIT_CODE=1 bash -e "$T/steps/3-step.sh" >"$T/out" 2>&1 && fail "the fail step passed with findings"
has "$T/out" "leash exited 1"

finish install
