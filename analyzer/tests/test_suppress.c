/* test_suppress.c - the leash:ignore comment parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pipeline/suppress.h"

static int parse(const char *line, lx_suppression *s) { return lx_suppress_parse(line, strlen(line), s); }

static void test_forms(void **state)
{
  lx_suppression s;
  assert_int_equal(parse("  rc = f(h); // leash:ignore http-call-without-timeout multi loop bounds it", &s), 1);
  assert_int_equal(s.nrules, 1);
  assert_string_equal(s.rules[0], "http-call-without-timeout");
  assert_string_equal(s.reason, "multi loop bounds it");
  assert_true(lx_suppress_matches(&s, "http-call-without-timeout"));
  assert_false(lx_suppress_matches(&s, "unbounded-spawn"));

  assert_int_equal(parse("/* leash:ignore a-rule, b-rule: reviewed in #12 */", &s), 1);
  assert_int_equal(s.nrules, 2);
  assert_string_equal(s.rules[1], "b-rule");
  assert_string_equal(s.reason, "reviewed in #12");

  assert_int_equal(parse("// leash:ignore http-call-without-timeout", &s), 1);
  assert_string_equal(s.reason, "");
  assert_int_equal(s.col, 4);

  assert_int_equal(parse("// leash:ignore * generated code", &s), 1);
  assert_true(lx_suppress_matches(&s, "anything"));
}

static void test_not_suppressions(void **state)
{
  lx_suppression s;
  assert_int_equal(parse("const char *s = \"leash:ignore x y\";", &s), 0); /* not in a comment */
  assert_int_equal(parse("// leash:ignored x", &s), 0);
  assert_int_equal(parse("", &s), 0);
  assert_int_equal(parse("//", &s), 0);
  assert_int_equal(lx_suppress_parse("// leash:ignore x", 10, &s), 0); /* length is honoured */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_forms),
      cmocka_unit_test(test_not_suppressions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
