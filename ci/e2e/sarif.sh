#!/bin/sh
# SARIF output over the fixture suite and the demo: validated by Microsoft's SARIF
# multitool with its SARIF and GitHub rule sets (any result of level error fails),
# and checked for what code scanning relies on (rules, ruleIndex, repository-relative
# uris, fingerprints, suppressions, notifications for a TU that did not parse).
# Usage: sarif.sh path/to/leash
set -u
LEASH=$(realpath "$1")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$ROOT/ci/e2e/lib.sh"

VALIDATOR=$("$ROOT/ci/sarif-validator.sh") || { echo "FAIL: no SARIF validator"; exit 1; }

# validate FILE: runs the multitool; fails on any result of level error.
validate() {
  "$VALIDATOR" validate "$1" --rule-kind Gh Sarif -o "$T/val.sarif" --log ForceOverwrite >"$T/val.log" 2>&1
  [ -s "$T/val.sarif" ] || { fail "validator wrote nothing for $1"; cat "$T/val.log"; return; }
  node -e '
    const v = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const run = v.runs[0], rules = run.tool.driver.rules || [];
    const errs = (run.results || []).filter(r => (r.level || "warning") === "error");
    for (const r of errs) {
      const rule = rules.find(x => x.id === r.ruleId) || {};
      const fmt = ((rule.messageStrings || {})[r.message.id] || {}).text || r.message.id;
      console.log("  " + r.ruleId + ": " + fmt.replace(/\{(\d)\}/g, (_, i) => (r.message.arguments || [])[i]));
    }
    process.exit(errs.length ? 1 : 0);' "$T/val.sarif" || fail "$1 does not validate"
  rm -f "$T/val.sarif"
}

# The fixture suite and the demo, as one program, with a suppressed finding and a TU
# that does not parse.
cd "$ROOT" || exit 1
# (Fixtures that name pkg-config modules need those flags: their own tests give them.)
find fixtures/rules fixtures/demo/service -name '*.c' | sort | xargs grep -L 'pkg-config:' >"$T/inputs"
cat >"$T/broken.c" <<'C'
#include <curl/curl.h>
int quiet(void)
{
	CURL *h = curl_easy_init();
	return curl_easy_perform(h); // leash:ignore http-call-without-timeout the caller's multi loop bounds it
}
int broken(void) { return undeclared_thing + ; }
C
# shellcheck disable=SC2046
"$LEASH" check --no-db -q --format sarif -o "$T/suite.sarif" $(cat "$T/inputs") "$T/broken.c"
rc=$?
[ "$rc" = 3 ] || fail "the suite with a broken TU exited $rc, want 3"
validate "$T/suite.sarif"
"$LEASH" check --no-db -q --format json -o "$T/suite.json" $(cat "$T/inputs") "$T/broken.c"

node -e '
  const fs = require("fs");
  const s = JSON.parse(fs.readFileSync(process.argv[1])), j = JSON.parse(fs.readFileSync(process.argv[2]));
  const root = process.argv[3], errs = [];
  const ok = (c, m) => { if (!c) errs.push(m); };
  ok(s.version === "2.1.0" && /sarif-2\.1\.0/.test(s.$schema), "version and $schema");
  const run = s.runs[0], drv = run.tool.driver;
  ok(drv.name === "leash" && drv.version && drv.informationUri, "tool.driver name, version, informationUri");
  ok(drv.rules.length >= 2, "every rule in tool.driver.rules");
  for (const r of drv.rules)
    ok(r.id && r.name && r.shortDescription.text && r.fullDescription.text && r.help.text && r.helpUri &&
       r.defaultConfiguration.level && Array.isArray(r.properties.tags) && r.properties.precision,
       "rule " + r.id + " lacks metadata");
  const doc = drv.rules.find(r => r.id === "http-call-without-timeout");
  ok(doc && /^# http-call-without-timeout/.test(doc.help.markdown), "help.markdown is the rule doc");
  ok(run.originalUriBaseIds.SRCROOT.uri === "file://" + root + "/", "SRCROOT is the root, with a final slash");
  ok(run.results.length === j.findings.length, "as many results (" + run.results.length + ") as JSON findings (" +
     j.findings.length + ")");
  let suppressed = 0, related = 0;
  run.results.forEach((r, i) => {
    const f = j.findings[i], loc = r.locations[0].physicalLocation;
    ok(r.ruleId === f.rule && drv.rules[r.ruleIndex].id === r.ruleId, "ruleId/ruleIndex of result " + i);
    ok(r.level === f.severity, "level of result " + i);
    ok(loc.artifactLocation.uriBaseId === "SRCROOT" || !f.location.file.startsWith("fixtures"), "uriBaseId " + i);
    ok(!loc.artifactLocation.uri.startsWith("/") || loc.artifactLocation.uri.startsWith("file:"), "relative uri " + i);
    ok(loc.region.startLine === f.location.line && loc.region.startColumn >= 1 && loc.region.snippet.text,
       "region of result " + i);
    ok(r.partialFingerprints["leashFingerprint/v1"] === f.fingerprint, "fingerprint of result " + i);
    if (f.suppressed) {
      suppressed++;
      ok(r.suppressions && r.suppressions[0].kind === "inSource" &&
         r.suppressions[0].justification === f.suppression_reason, "suppression " + i);
    } else ok(!r.suppressions, "unsuppressed result " + i + " has suppressions");
    related += (r.relatedLocations || []).length;
  });
  ok(suppressed >= 1, "a suppressed finding");
  ok(related >= 1, "related locations");
  const inv = run.invocations[0];
  ok(inv.exitCode === 3 && inv.executionSuccessful === false, "invocation exit code 3");
  ok(inv.startTimeUtc <= inv.endTimeUtc, "start and end times");
  const n = inv.toolExecutionNotifications;
  ok(n.length === 1 && n[0].level === "error" && /broken\.c$/.test(n[0].locations[0].physicalLocation.artifactLocation.uri) &&
     /undeclared_thing/.test(n[0].message.text), "a notification for the broken TU");
  if (errs.length) { console.log(errs.join("\n")); process.exit(1); }
  console.log("sarif: " + run.results.length + " results, " + drv.rules.length + " rules, " + suppressed + " suppressed");
' "$T/suite.sarif" "$T/suite.json" "$ROOT" || fail "SARIF structure"

# Code flows: a finding whose reason is a path carries its steps in order, and every
# result names its function as a logical location.  Two fixtures whose paths are known.
# steps FILE: each code-flow step of that file's one result, "line<TAB>message".
steps() {
  node -e '
    const s = JSON.parse(require("fs").readFileSync(process.argv[1]));
    const rs = s.runs[0].results.filter(r => r.locations[0].physicalLocation.artifactLocation.uri.endsWith(process.argv[2]));
    if (rs.length !== 1) { console.log("results: " + rs.length); process.exit(1); }
    const r = rs[0], flows = r.codeFlows || [];
    if (flows.length !== 1 || flows[0].threadFlows.length !== 1) { console.log("no code flow"); process.exit(1); }
    const locs = flows[0].threadFlows[0].locations;
    locs.forEach((l, i) => {
      if (l.executionOrder !== i + 1) console.log("executionOrder " + l.executionOrder + " at " + i);
      console.log(l.location.physicalLocation.region.startLine + "\t" + l.location.message.text);
    });
    const ll = r.locations[0].logicalLocations || [];
    console.log("function\t" + (ll[0] || {}).name + " " + (ll[0] || {}).fullyQualifiedName + " " + (ll[0] || {}).kind);
  ' "$T/suite.sarif" "$1"
}
steps unbounded-spawn/handler_through_two_wrappers.c >"$T/spawn.steps" || fail "spawn code flow: $(cat "$T/spawn.steps")"
printf '%s\n' \
  "39	handle_task_conn() runs once per event of the accept() loop in serve_tasks()." \
  "33	handle_task_conn() calls spawn_task(), which starts a thread." \
  "21	spawn_task() passes the thread's function on to start_thread() here." \
  "13	the thread is started here, in start_thread()." \
  "function	handle_task_conn handle_task_conn function" >"$T/spawn.want"
diff -u "$T/spawn.want" "$T/spawn.steps" || fail "the accept loop -> handler -> wrapper -> pthread_create path"
steps http-call-without-timeout/handle_through_two_helpers_unset.c >"$T/http.steps" || fail "http code flow: $(cat "$T/http.steps")"
printf '%s\n' \
  "20	handle 'h' is created here, in handle_refund()." \
  "23	handle 'h' is passed to relay_order() here, with no timeout set on it." \
  "15	relay_order() passes the handle on to post_body() here." \
  "9	the transfer happens here, in post_body()." \
  "function	handle_refund handle_refund function" >"$T/http.want"
diff -u "$T/http.want" "$T/http.steps" || fail "the created -> passed -> performed path"
node -e '
  const s = JSON.parse(require("fs").readFileSync(process.argv[1])), rs = s.runs[0].results;
  const bad = rs.filter(r => !(r.locations[0].logicalLocations || []).length);
  const flows = rs.filter(r => r.codeFlows).length;
  if (bad.length || flows < 10) { console.log(bad.length + " results without logicalLocations; " + flows + " with code flows"); process.exit(1); }
' "$T/suite.sarif" || fail "logicalLocations on every result, code flows on the path findings"

# A clean run and `leash db show --format sarif` validate too.
"$LEASH" check --no-db -q --format sarif -o "$T/fixed.sarif" fixtures/demo/fixed/*.c
validate "$T/fixed.sarif"
"$LEASH" check --db "$T/f.db" -q fixtures/demo/service/*.c >/dev/null
"$LEASH" db --db "$T/f.db" show latest --format sarif -o "$T/show.sarif" || fail "db show --format sarif"
validate "$T/show.sarif"
# The database keeps the paths: `db show` gives the same code flows as the run.
"$LEASH" check --db "$T/p.db" -q fixtures/rules/unbounded-spawn/handler_through_two_wrappers.c >/dev/null
"$LEASH" db --db "$T/p.db" show latest --format sarif -o "$T/suite.sarif" || fail "db show of the path fixture"
steps unbounded-spawn/handler_through_two_wrappers.c >"$T/spawn.db.steps" || fail "db show: $(cat "$T/spawn.db.steps")"
diff -u "$T/spawn.want" "$T/spawn.db.steps" || fail "db show loses the path"

finish "sarif"
