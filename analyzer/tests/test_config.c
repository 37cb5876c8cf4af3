/* test_config.c - the YAML loader: the catalogue parses, good configs load, and every
 * kind of bad input is an error with file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "config/config.h"

static int rule_known(const char *id) { return lx_rule_find(id) != NULL; }

/* Loads text as t.yaml into c, which knows the registry's rule ids (as lx_rules_config's). */
static int load(lx_config *c, const char *text, int user, char *err)
{
  c->rule_known = rule_known;
  return lx_config_load_string(c, "t.yaml", text, strlen(text), user, err, 512);
}

static void test_catalog_loads(void **state)
{
  size_t len;
  const char *text = lx_catalog_text(&len);
  assert_true(len > 0);
  lx_config *c = lx_config_new();
  char err[512] = "";
  assert_int_equal(lx_config_load_string(c, "catalog.yaml", text, len, 0, err, sizeof(err)), 0);
  const lx_api *p = lx_config_api(c, "curl_easy_perform");
  assert_non_null(p);
  assert_int_equal(p->annots[0].kind, LX_ANN_BLOCKS);
  assert_int_equal(p->annots[0].arg, 1);
  const lx_api *s = lx_config_api(c, "curl_easy_setopt");
  assert_int_equal(s->when_arg, 2);
  assert_int_equal(s->nwhen, 2);
  assert_int_equal(s->nonzero_arg, 3);
  assert_non_null(lx_config_api(c, "pthread_create"));
  /* the client vocabulary: a property list with a default, a value that waits forever */
  const lx_api *soup = lx_config_api(c, "soup_session_new_with_options");
  assert_string_equal(soup->when_property, "timeout");
  assert_int_equal(soup->when_default, 1);
  int forever = 0;
  for (const lx_api *m = lx_config_api(c, "memcached_behavior_set"); m; m = m->next)
    forever |= m->no_timeout == 1 && m->negative_arg == 3;
  assert_true(forever);
  lx_config_free(c);
}

static void test_user_config(void **state)
{
  lx_config *c = lx_config_new();
  char err[512] = "";
  int rc = load(c,
                "version: 1\n"
                "rules:\n"
                "  http-call-without-timeout: {severity: error}\n"
                "  suppression-without-reason: off\n"
                "  thread-never-joined: {severity: off}\n"
                "  unbounded-spawn: {severity: on}\n"
                "exclude: [third_party/, 'gen/*.c']\n"
                "apis:\n"
                "  - name: my_fetch\n"
                "    blocks: 1\n"
                "  - {name: my_pool_submit, bounded: true}\n",
                1, err);
  assert_int_equal(rc, 0);
  const lx_rule_setting *r = lx_config_rule(c, "http-call-without-timeout");
  assert_non_null(r);
  assert_int_equal(r->severity, LX_SEV_ERROR);
  assert_int_equal(lx_config_rule(c, "suppression-without-reason")->enabled, 0);
  /* The README's `{severity: off}`: the rule is off; `on`: on, its default severity. */
  assert_int_equal(lx_config_rule(c, "thread-never-joined")->enabled, 0);
  assert_int_equal(lx_config_rule(c, "unbounded-spawn")->enabled, 1);
  assert_int_equal(lx_config_rule(c, "unbounded-spawn")->severity, LX_SEV_DEFAULT);
  assert_true(lx_config_excluded(c, "third_party/x/y.c"));
  assert_true(lx_config_excluded(c, "gen/a.c"));
  assert_false(lx_config_excluded(c, "src/a.c"));
  assert_int_equal(lx_config_api(c, "my_fetch")->annots[0].kind, LX_ANN_BLOCKS);
  assert_int_equal(lx_config_api(c, "my_pool_submit")->annots[0].kind, LX_ANN_BOUNDED);
  lx_config_free(c);
}

static void expect_error(const char *text, int user, const char *want)
{
  lx_config *c = lx_config_new();
  char err[512] = "";
  assert_int_equal(load(c, text, user, err), -1);
  if (!strstr(err, want))
    fail_msg("error '%s' does not contain '%s'", err, want);
  lx_config_free(c);
}

static void test_bad_configs(void **state)
{
  expect_error("rules: [\n", 1, "t.yaml:2:1:");
  /* Where parsing failed, and where the construct left open started. */
  expect_error("version: 1\nrules: {unbounded-spawn: off,\n\n  thread-never-joined: off\n", 1,
               "t.yaml:5:1: did not find expected ',' or '}' while parsing a flow mapping started at line 2, column 8");
  expect_error("exclude:\n  - \"third_party/\n", 1, "while scanning a quoted scalar started at line 2, column 5");
  expect_error("rules:\n  no-such-rule: off\n", 1, "t.yaml:2:3: unknown rule id 'no-such-rule'");
  expect_error("rulez: {}\n", 1, "t.yaml:1:1: unknown key 'rulez'");
  expect_error("exclude: []\nexclude: []\n", 1, "t.yaml:2:1: duplicate key 'exclude'");
  expect_error("apis:\n  - name: f\n    blocks: two\n", 1, "t.yaml:3:13: 'blocks' must be a whole number");
  expect_error("apis:\n  - name: f\n", 1, "t.yaml:2:5: API entry 'f' says nothing");
  expect_error("apis:\n  - blocks: 1\n", 1, "needs 'name'");
  expect_error("apis: {name: f}\n", 1, "t.yaml:1:7: 'apis' must be a list");
  expect_error("rules:\n  http-call-without-timeout: {severity: fatal}\n", 1, "'severity' must be");
  expect_error("rules: {}\n", 0, "unknown key 'rules'"); /* catalogues have no rules */
  expect_error("version: 2\n", 1, "'version' must be");
  expect_error("apis:\n  - name: f\n    spawns: 1\n    when: {is: [A]}\n", 1, "'when: is' needs 'arg'");
  expect_error("- a\n- b\n", 1, "the top level must be a mapping");
  expect_error("apis:\n  - {name: f, timeout: 0, when: {arg: 1, default: true}}\n", 1,
               "'when: default' goes with 'property'");
  expect_error("apis:\n  - {name: f, timeout: 0, when: {property: timeout}}\n", 1, "'when: property' needs 'arg'");
  expect_error("apis:\n  - {name: f, timeout: 0, when: {arg: 1, property: t, field: u}}\n", 1,
               "'field' or 'property', not both");
  expect_error("apis:\n  - {name: f, no_timeout: 0}\n", 1, "'no_timeout' must be a whole number from 1");
  expect_error("apis:\n  - {name: f, timeout: 1, when: {negative: x}}\n", 1, "'when: negative' must be");
  expect_error("kinds:\n  event-waits: [f]\n", 1, "t.yaml:2:3: unknown kind 'event-waits' (known: event-wait,");
  expect_error("kinds:\n  event-wait: f\n", 1, "t.yaml:2:15:");
  expect_error("kinds:\n  event-wait: [[f]]\n", 1, "must be function names");
  expect_error("apis:\n  - {name: f, thread_attr: 0}\n", 1, "'thread_attr' must be a whole number from 1");
}

/* kinds: the catalogue's words, and a project's names added to them (not replacing). */
static void test_kinds(void **state)
{
  size_t len;
  const char *text = lx_catalog_text(&len);
  lx_config *c = lx_config_new();
  char err[512] = "";
  assert_int_equal(lx_config_load_string(c, "catalog.yaml", text, len, 0, err, sizeof(err)), 0);
  uint64_t h = lx_map_hash("accept");
  assert_true(lx_config_is(c, "accept", h, LX_KIND_EVENT_WAIT));
  assert_true(lx_config_is(c, "accept", h, LX_KIND_EVENT_SOURCE));
  assert_true(lx_config_is(c, "accept", h, LX_KIND_FD_CREATE));
  assert_false(lx_config_is(c, "accept", h, LX_KIND_COND_WAIT));
  assert_true(lx_config_is(c, "pthread_cond_wait", lx_map_hash("pthread_cond_wait"), LX_KIND_COND_WAIT));
  assert_false(lx_config_is(c, "next_job", lx_map_hash("next_job"), LX_KIND_EVENT_WAIT));
  assert_int_equal(load(c, "kinds:\n  event-wait: [next_job]\n  read: []\n", 1, err), -1); /* not a kind */
  assert_int_equal(load(c, "kinds:\n  event-wait: [next_job, accept]\n", 1, err), 0);
  assert_true(lx_config_is(c, "next_job", lx_map_hash("next_job"), LX_KIND_EVENT_WAIT));
  assert_true(lx_config_is(c, "accept", h, LX_KIND_FD_CREATE)); /* the catalogue's stay */
  assert_string_equal(lx_kind_name(LX_KIND_THREAD_DETACH), "thread-detach");
  const lx_api *pc = lx_config_api(c, "pthread_create");
  assert_int_equal(pc->thread_handle, 1);
  assert_int_equal(pc->thread_attr, 2);
  assert_int_equal(lx_config_api(c, "g_thread_new")->thread_handle, 0);
  assert_int_equal(lx_config_api(c, "curl_easy_perform")->thread_handle, -1);
  lx_config_free(c);
  (void)state;
}

static void test_empty_is_fine(void **state)
{
  lx_config *c = lx_config_new();
  char err[512] = "";
  assert_int_equal(load(c, "", 1, err), 0);
  assert_int_equal(load(c, "# only a comment\n", 1, err), 0);
  lx_config_free(c);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_catalog_loads),
      cmocka_unit_test(test_user_config),
      cmocka_unit_test(test_bad_configs),
      cmocka_unit_test(test_empty_is_fine),
      cmocka_unit_test(test_kinds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
