/* test_tu_doc.c - an editor buffer analysed again after an edit (tu.c): when the edit
 * lies inside one function body, only that function is extracted again, and the facts
 * are exactly those of parsing the whole new text; every other edit is parsed whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "frontend/tu.h"

/* A file with the shapes that matter: conditionals and a #define inside bodies, a
 * function defined by a macro, code after a body, tables of functions, annotations. */
static const char base[] =
    "#include <stddef.h>\n"
    "#define MAKE(n) int n(void) { return 1; }\n"
    "typedef void *(*entry_fn)(void *);\n"
    "int spawn(entry_fn f, void *arg) __attribute__((annotate(\"leash:spawns:1\")));\n"
    "void use(int x);\n"
    "static int stop;\n"
    "void *worker(void *arg) {\n"
    "  while (!stop) {\n"
    "    use(1);\n"
    "  }\n"
    "  return arg;\n"
    "}\n"
    "static void middle(int n) {\n"
    "  for (int i = 0; i < n; i++) {\n"
    "    spawn(worker, NULL);\n"
    "  }\n"
    "}\n"
    "MAKE(made)\n"
    "static void cond(void) {\n"
    "#ifdef NOPE\n"
    "  use(2);\n"
    "#else\n"
    "  use(3);\n"
    "#endif\n"
    "}\n"
    "static void defines(void) {\n"
    "#define LATER 4\n"
    "  use(LATER);\n"
    "}\n"
    "static entry_fn table[] = {worker};\n"
    "typedef struct { int fd; void *h; } anon_t;\n"
    "static struct { int n; } counters;\n"
    "static void use_anon(anon_t *a) {\n"
    "  use(a->fd);\n"
    "  counters.n++;\n"
    "}\n"
    "void last(void) {\n"
    "  use(LATER);\n"
    "  spawn(table[0], NULL);\n"
    "}\n";

typedef struct {
  char dir[64], path[128];
  lx_cmd cmd;
  void *index;
  lx_tu_doc *doc;
} fixture;

static int setup(void **state)
{
  fixture *fx = calloc(1, sizeof(*fx));
  snprintf(fx->dir, sizeof(fx->dir), "/tmp/leash-tu-doc-XXXXXX");
  assert_non_null(mkdtemp(fx->dir));
  snprintf(fx->path, sizeof(fx->path), "%s/buffer.c", fx->dir);
  FILE *fp = fopen(fx->path, "w");
  assert_non_null(fp);
  fputs(base, fp);
  fclose(fp);
  lx_compdb_lookup(NULL, fx->path, &fx->cmd);
  fx->index = lx_tu_index_new();
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  fixture *fx = *state;
  lx_tu_doc_free(fx->doc);
  lx_tu_index_free(fx->index);
  lx_cmd_free(&fx->cmd);
  remove(fx->path);
  rmdir(fx->dir);
  free(fx);
  return 0;
}

static char *dump(const lx_tu_facts *f)
{
  json_t *j = lx_facts_to_json(f);
  char *s = json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT);
  json_decref(j);
  return s;
}

/* Facts of text parsed whole, in a document of its own. */
static char *whole(fixture *fx, const char *text)
{
  lx_tu_doc *doc = NULL;
  lx_tu_facts *f = NULL;
  assert_int_not_equal(lx_tu_doc_analyse(fx->index, &doc, &fx->cmd, text, strlen(text), &f), LX_TU_FAILED);
  char *s = dump(f);
  lx_facts_free(f);
  lx_tu_doc_free(doc);
  return s;
}

/* Analyses text as the next version of the buffer; checks its facts against a whole
 * parse and returns whether only one function was extracted again. */
static int edit(fixture *fx, const char *text)
{
  lx_tu_facts *f = NULL;
  lx_tu_status st = lx_tu_doc_analyse(fx->index, &fx->doc, &fx->cmd, text, strlen(text), &f);
  assert_int_not_equal(st, LX_TU_FAILED);
  char *got = dump(f), *want = whole(fx, text);
  if (strcmp(got, want) != 0) { /* both, whole, for the diff cmocka's message truncates */
    FILE *g = fopen("tu_doc_got.json", "w"), *w = fopen("tu_doc_want.json", "w");
    if (g && w) {
      fputs(got, g);
      fputs(want, w);
    }
    if (g)
      fclose(g);
    if (w)
      fclose(w);
  }
  assert_string_equal(got, want);
  free(got);
  free(want);
  lx_facts_free(f);
  return lx_tu_doc_reused(fx->doc);
}

/* text with the first occurrence of what replaced by with (malloc'd). */
static char *replace(const char *text, const char *what, const char *with)
{
  const char *at = strstr(text, what);
  assert_non_null(at);
  size_t n = strlen(text) - strlen(what) + strlen(with);
  char *out = malloc(n + 1);
  size_t pre = (size_t)(at - text);
  memcpy(out, text, pre);
  strcpy(out + pre, with);
  strcat(out, at + strlen(what));
  return out;
}

static void test_body_edits_reuse(void **state)
{
  fixture *fx = *state;
  assert_false(edit(fx, base)); /* the first analysis parses it all */
  /* Lines added in a body early in the file: everything after it moves down. */
  char *v2 = replace(base, "    use(1);\n", "    use(1);\n    use(5);\n\n    spawn(worker, NULL);\n");
  assert_true(edit(fx, v2));
  /* A changed call in the middle, no line added. */
  char *v3 = replace(v2, "spawn(worker, NULL);\n  }\n}\nMAKE", "use(7);\n  }\n}\nMAKE");
  assert_true(edit(fx, v3));
  /* Lines removed from the last function. */
  char *v4 = replace(v3, "  use(LATER);\n  spawn(table[0], NULL);\n", "  spawn(table[0], NULL);\n");
  assert_true(edit(fx, v4));
  /* A body with conditionals in it. */
  char *v5 = replace(v4, "  use(3);\n", "  use(3); use(33);\n");
  assert_true(edit(fx, v5));
  free(v2);
  free(v3);
  free(v4);
  free(v5);
}

static void test_other_edits_parse_whole(void **state)
{
  fixture *fx = *state;
  assert_false(edit(fx, base));
  /* Outside any body: a new declaration. */
  char *v2 = replace(base, "static int stop;\n", "static int stop;\nstatic int more;\n");
  assert_false(edit(fx, v2));
  /* A directive typed into a body. */
  char *v3 = replace(v2, "    use(1);\n", "#define X 1\n    use(X);\n");
  assert_false(edit(fx, v3));
  /* An edit in the body that now holds a #define: parsed whole. */
  char *v4 = replace(v3, "  return arg;\n", "  return 0 ? arg : arg;\n");
  assert_false(edit(fx, v4));
  /* A body whose braces change: balanced, still one body; unbalanced, an error. */
  char *v5 = replace(v4, "  spawn(table[0], NULL);\n", "  if (table[0]) { spawn(table[0], NULL); }\n");
  assert_true(edit(fx, v5));
  char *v6 = replace(v5, "  if (table[0]) { spawn(table[0], NULL); }\n", "  if (table[0]) { spawn(table[0], NULL);\n");
  assert_false(edit(fx, v6));
  /* Back to a text without errors: parsed whole, then fast again. */
  assert_false(edit(fx, v5));
  char *v7 = replace(v5, "  use(LATER);\n  if", "  use(LATER + 1);\n  if");
  assert_true(edit(fx, v7));
  /* The function made by a macro is never blanked nor re-extracted alone. */
  char *v8 = replace(v7, "MAKE(made)", "MAKE(made2)");
  assert_false(edit(fx, v8));
  char *texts[] = {v2, v3, v4, v5, v6, v7, v8};
  for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
    free(texts[i]);
}

/* Differential: random edits at line starts (statements, blank lines, comments, a
 * directive, a whole line deleted; now and then a stray brace, undone by the next
 * edit as a typist would), each analysed as the next version of the buffer, must give
 * the facts of a whole parse every time. */
static void test_random_edits(void **state)
{
  fixture *fx = *state;
  static const char *const good[] = {"\n", "  use(9);\n", "  /* c */\n", "  { use(8); }\n",
                                     "  while (stop) use(7);\n", "  int z = 3; use(z);\n", "\n\n\n",
                                     "#if 0\n#endif\n"};
  unsigned seed = 12345;
  char *text = strdup(base), *undo = NULL;
  int reused = 0;
  edit(fx, text);
  for (int e = 0; e < 80; e++) {
    char *next;
    if (undo) { /* the stray brace taken back */
      next = undo;
      undo = NULL;
    } else {
      seed = seed * 1103515245u + 12345u;
      size_t len = strlen(text), at = (seed >> 8) % (len + 1);
      while (at > 0 && text[at - 1] != '\n')
        at--;
      seed = seed * 1103515245u + 12345u;
      unsigned what = (seed >> 10) % 16;
      if (what == 0 && at < len && text[at] == ' ') { /* delete a line of a body */
        const char *nl = strchr(text + at, '\n');
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        next = malloc(len + 1);
        memcpy(next, text, at);
        strcpy(next + at, text + end);
      } else {
        const char *b = what == 1 ? "}\n" : good[what % (sizeof(good) / sizeof(good[0]))];
        if (b[0] == ' ' && text[at] != ' ')
          b = "/* a comment at file scope */\n"; /* statements go in bodies (indented lines) */
        next = malloc(len + strlen(b) + 1);
        memcpy(next, text, at);
        strcpy(next + at, b);
        strcat(next, text + at);
        if (what == 1)
          undo = strdup(text);
      }
    }
    reused += edit(fx, next);
    free(text);
    text = next;
  }
  free(text);
  free(undo);
  assert_true(reused > 10); /* most edits inside bodies took the fast path */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_body_edits_reuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_other_edits_parse_whole, setup, teardown),
      cmocka_unit_test_setup_teardown(test_random_edits, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
