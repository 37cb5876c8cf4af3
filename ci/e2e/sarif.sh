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
find fixtures/rules fixtures/demo/service -name '*.c' | sort >"$T/inputs"
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

# A clean run and `leash db show --format sarif` validate too.
"$LEASH" check --no-db -q --format sarif -o "$T/fixed.sarif" fixtures/demo/fixed/*.c
validate "$T/fixed.sarif"
"$LEASH" check --db "$T/f.db" -q fixtures/demo/service/*.c >/dev/null
"$LEASH" db --db "$T/f.db" show latest --format sarif -o "$T/show.sarif" || fail "db show --format sarif"
validate "$T/show.sarif"

finish "sarif"
