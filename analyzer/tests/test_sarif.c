/* test_sarif.c - the SARIF emitter on hand-made findings: repository-relative and
 * percent-encoded uris, UTF-16 columns, rule metadata and its fallbacks, messages,
 * suppressions, notifications. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "reports/findings.h"

static char root[256];
static char file[512];

static int setup(void **state)
{
  snprintf(root, sizeof(root), "/tmp/leash-test-sarif-XXXXXX");
  assert_non_null(mkdtemp(root));
  char dir[300];
  snprintf(dir, sizeof(dir), "%s/src dir", root);
  assert_int_equal(mkdir(dir, 0777), 0);
  snprintf(file, sizeof(file), "%s/caf\xc3\xa9.c", dir);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  /* "é" is 2 bytes, 1 UTF-16 unit; the emoji 4 bytes, 2 units. */
  fputs("int x;\n\tconst char *s = \"\xc3\xa9\xf0\x9f\x98\x80\"; run(s);\n", f);
  fclose(f);
  return 0;
}

static int teardown(void **state)
{
  char cmd[600];
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
  return system(cmd) == 0 ? 0 : -1;
}

static json_t *emit(const lx_findings *f, const lx_rule_meta *rules, size_t nrules, lx_sources *src)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  lx_notification note = {file, "translation unit could not be analysed", LX_SEV_ERROR};
  lx_emit_opts o = {.root = root, .sources = src, .rules = rules, .nrules = nrules, .version = "1.2.3",
                    .information_uri = "https://example.org/leash", .start_utc = "2026-01-01T00:00:00.000Z",
                    .end_utc = "2026-01-01T00:00:01.000Z", .exit_code = 3, .notes = &note, .nnotes = 1};
  assert_int_equal(lx_emit_sarif(out, f, &o), 0);
  fclose(out);
  json_error_t err;
  json_t *j = json_loads(buf, 0, &err);
  free(buf);
  assert_non_null(j);
  return j;
}

static void test_sarif(void **state)
{
  static const lx_rule_meta rules[] = {
      {"a-rule", "first rule", "concurrency,timeout", "# a-rule\n\n## What it finds\n\nA thing\nover two lines.\n\n## Why\n",
       LX_SEV_WARNING, "high", "https://example.org/leash/blob/main/rules/a-rule.md"},
      {"b-rule", "second rule", "", NULL, LX_SEV_NOTE, "medium", NULL},
  };
  lx_findings f;
  lx_findings_init(&f);
  lx_loc at = {file, 2, 30};
  lx_finding *fd = lx_findings_add(&f, "b-rule", LX_SEV_ERROR, at, "main", "s", "bad call on '%s'", "s");
  lx_finding_relate(&f, fd, (lx_loc){file, 1, 5}, "declared here");
  /* A path: made at line 1 (step 1), the finding (step 2), the blocking call in a
   * helper (step 3) related before the other steps. */
  lx_related *blocks = lx_finding_relate(&f, fd, (lx_loc){file, 3, 1}, "blocks here");
  lx_related *made = lx_finding_relate(&f, fd, (lx_loc){file, 1, 2}, "made here");
  lx_finding_chain(&f, fd, made, blocks, "passed on here");
  snprintf(fd->fingerprint, sizeof(fd->fingerprint), "0123456789abcdef");
  fd = lx_findings_add(&f, "a-rule", LX_SEV_NOTE, (lx_loc){"/elsewhere/x.c", 3, 1}, NULL, NULL, "ends well.");
  fd->suppressed = 1;
  fd->suppress_reason = "reviewed";
  lx_sources *src = lx_sources_new();
  json_t *j = emit(&f, rules, 2, src);
  json_t *run = json_array_get(json_object_get(j, "runs"), 0);

  json_t *drv = json_object_get(json_object_get(run, "tool"), "driver");
  assert_string_equal(json_string_value(json_object_get(drv, "version")), "1.2.3");
  json_t *r0 = json_array_get(json_object_get(drv, "rules"), 0), *r1 = json_array_get(json_object_get(drv, "rules"), 1);
  assert_string_equal(json_string_value(json_object_get(r0, "name")), "ARule");
  assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "fullDescription"), "text")),
                      "A thing over two lines.");
  assert_string_equal(json_string_value(json_object_get(json_object_get(r0, "help"), "markdown")), rules[0].doc);
  assert_int_equal(json_array_size(json_object_get(json_object_get(r0, "properties"), "tags")), 2);
  assert_string_equal(json_string_value(json_object_get(r0, "helpUri")),
                      "https://example.org/leash/blob/main/rules/a-rule.md");
  /* No doc: help falls back to the title (GitHub requires help). */
  assert_string_equal(json_string_value(json_object_get(json_object_get(r1, "help"), "text")), "second rule.");
  assert_string_equal(json_string_value(json_object_get(json_object_get(r1, "defaultConfiguration"), "level")), "note");

  json_t *res = json_object_get(run, "results");
  json_t *a = json_array_get(res, 0), *b = json_array_get(res, 1);
  assert_int_equal(json_integer_value(json_object_get(a, "ruleIndex")), 1);
  assert_string_equal(json_string_value(json_object_get(a, "level")), "error");
  assert_string_equal(json_string_value(json_object_get(json_object_get(a, "message"), "text")), "bad call on 's'.");
  json_t *pl = json_object_get(json_array_get(json_object_get(a, "locations"), 0), "physicalLocation");
  json_t *art = json_object_get(pl, "artifactLocation");
  assert_string_equal(json_string_value(json_object_get(art, "uri")), "src%20dir/caf%C3%A9.c");
  assert_string_equal(json_string_value(json_object_get(art, "uriBaseId")), "SRCROOT");
  json_t *region = json_object_get(pl, "region");
  /* Byte column 30 is `run`: before it, 1 tab + 17 ASCII bytes + é (2 bytes) + emoji (4
   * bytes) + 5 ASCII bytes = 29 bytes, which are 1 + 17 + 1 + 2 + 5 = 26 UTF-16 units. */
  assert_int_equal(json_integer_value(json_object_get(region, "startColumn")), 27);
  assert_non_null(strstr(json_string_value(json_object_get(json_object_get(region, "snippet"), "text")), "run(s);"));
  assert_int_equal(json_array_size(json_object_get(a, "relatedLocations")), 3);
  json_t *ll = json_array_get(json_object_get(json_array_get(json_object_get(a, "locations"), 0), "logicalLocations"), 0);
  assert_string_equal(json_string_value(json_object_get(ll, "name")), "main");
  assert_string_equal(json_string_value(json_object_get(ll, "fullyQualifiedName")), "main");
  assert_string_equal(json_string_value(json_object_get(ll, "kind")), "function");
  json_t *flow = json_array_get(json_object_get(json_array_get(json_object_get(a, "codeFlows"), 0), "threadFlows"), 0);
  json_t *steps = json_object_get(flow, "locations");
  assert_int_equal(json_array_size(steps), 3);
  static const char *const step_text[] = {"made here.", "passed on here.", "blocks here."};
  static const int step_line[] = {1, 2, 3};
  for (size_t k = 0; k < 3; k++) {
    json_t *s = json_array_get(steps, k), *l = json_object_get(s, "location");
    assert_int_equal(json_integer_value(json_object_get(s, "executionOrder")), (int)k + 1);
    assert_string_equal(json_string_value(json_object_get(json_object_get(l, "message"), "text")), step_text[k]);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(l, "physicalLocation"),
                                                                        "region"), "startLine")), step_line[k]);
  }
  assert_string_equal(json_string_value(json_object_get(json_object_get(a, "partialFingerprints"),
                                                        "leashFingerprint/v1")), "0123456789abcdef");
  assert_null(json_object_get(a, "suppressions"));

  json_t *bart = json_object_get(json_object_get(json_array_get(json_object_get(b, "locations"), 0),
                                                 "physicalLocation"), "artifactLocation");
  assert_string_equal(json_string_value(json_object_get(bart, "uri")), "file:///elsewhere/x.c");
  assert_null(json_object_get(bart, "uriBaseId"));
  assert_string_equal(json_string_value(json_object_get(json_object_get(b, "message"), "text")), "ends well.");
  /* No path, no code flow; outside any function, its logical location is its file. */
  assert_null(json_object_get(b, "codeFlows"));
  json_t *bll = json_array_get(json_object_get(json_array_get(json_object_get(b, "locations"), 0), "logicalLocations"), 0);
  assert_string_equal(json_string_value(json_object_get(bll, "kind")), "module");
  assert_string_equal(json_string_value(json_object_get(bll, "name")), "x.c");
  json_t *sup = json_array_get(json_object_get(b, "suppressions"), 0);
  assert_string_equal(json_string_value(json_object_get(sup, "kind")), "inSource");
  assert_string_equal(json_string_value(json_object_get(sup, "justification")), "reviewed");

  char want[600];
  snprintf(want, sizeof(want), "file://%s/", root);
  assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(run, "originalUriBaseIds"),
                                                                        "SRCROOT"), "uri")), want);
  json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
  assert_int_equal(json_integer_value(json_object_get(inv, "exitCode")), 3);
  assert_true(json_is_false(json_object_get(inv, "executionSuccessful")));
  json_t *note = json_array_get(json_object_get(inv, "toolExecutionNotifications"), 0);
  assert_string_equal(json_string_value(json_object_get(note, "level")), "error");

  json_decref(j);
  lx_sources_free(src);
  lx_findings_free(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sarif),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
