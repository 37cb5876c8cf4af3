/* test_facts_json.c - facts survive JSON: to_json -> from_json -> to_json is the
 * identity on facts extracted from a snippet that uses every kind of fact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <clang-c/Index.h>
#include <jansson.h>

#include "frontend/extract.h"
#include "snippet.h"

static const char snippet[] =
    "struct conn { void *curl; int fd; struct conn *next; };\n"
    "enum { OPT_A = 7 };\n"
    "#define TEN 10\n"
    "typedef void *(*entry_fn)(void *);\n"
    "int spawn(entry_fn f, void *arg) __attribute__((annotate(\"leash:spawns:1\")));\n"
    "int bound(void) __attribute__((annotate(\"leash:bounded\")));\n"
    "void use(void *a, int b, const char *s, void *c);\n"
    "void *worker(void *arg);\n"
    "static entry_fn table[] = {worker};\n"
    "void *g;\n"
    "int stop;\n"
    "void *worker(void *arg) {\n"
    "  struct conn *c = arg;\n"
    "  while (!stop) {\n"
    "    if (c->next->fd < TEN) break;\n"
    "    use(c->next->curl, OPT_A, \"x\", &g);\n"
    "  }\n"
    "  for (;;) { if (bound()) return 0; }\n"
    "  do { table[0](c); } while (c->fd != -1);\n"
    "  return spawn(worker, c) ? arg : 0;\n"
    "}\n";


static void test_round_trip(void **state)
{
  lx_tu_facts *f = parse_snippet(snippet);
  f->parse_errors = 2;
  assert_true(f->funcs.n >= 3);
  char *first = facts_json_text(f);
  json_t *j = json_loads(first, 0, NULL);
  const char *err = NULL;
  lx_tu_facts *back = lx_facts_from_json(j, &err);
  json_decref(j);
  assert_null(err);
  assert_non_null(back);
  char *second = facts_json_text(back);
  assert_string_equal(first, second);
  /* Strings are owned by the new facts, not borrowed from the JSON. */
  assert_string_equal(back->main_file, f->main_file);
  assert_int_equal(back->parse_errors, 2);
  free(first);
  free(second);
  lx_facts_free(back);
  lx_facts_free(f);
}

static void test_rejects_malformed(void **state)
{
  static const char *const bad[] = {
      "[]",
      "{\"functions\": []}",
      "{\"file\": \"a.c\", \"functions\": [{\"name\": \"f\"}]}",
      "{\"file\": \"a.c\", \"functions\": [{\"usr\": \"c:@F@f\", \"name\": \"f\", \"loc\": [\"a.c\", 1]}]}",
      "{\"file\": \"a.c\", \"functions\": [{\"usr\": \"u\", \"name\": \"f\", \"loc\": [\"a.c\", 1, 1],"
      " \"calls\": [{\"loc\": [\"a.c\", 2, 1], \"args\": [{\"kind\": \"martian\"}]}]}]}",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    json_t *j = json_loads(bad[i], 0, NULL);
    assert_non_null(j);
    const char *err = NULL;
    assert_null(lx_facts_from_json(j, &err));
    assert_non_null(err);
    json_decref(j);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_rejects_malformed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
