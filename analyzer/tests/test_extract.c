/* test_extract.c - facts extraction on small snippets: paths, calls, loops,
 * annotations, assignments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <clang-c/Index.h>

#include "frontend/extract.h"
#include "snippet.h"


static const lx_func *fn(const lx_tu_facts *f, const char *name)
{
  for (size_t i = 0; i < f->funcs.n; i++)
    if (!strcmp(f->funcs.v[i]->name, name))
      return f->funcs.v[i];
  fail_msg("no function %s", name);
  return NULL;
}

static const lx_call *call(const lx_func *f, const char *name, int nth)
{
  for (size_t i = 0; i < f->calls.n; i++)
    if (f->calls.v[i].callee_name && !strcmp(f->calls.v[i].callee_name, name) && nth-- == 0)
      return &f->calls.v[i];
  fail_msg("no call to %s", name);
  return NULL;
}

static void test_access_paths(void **state)
{
  lx_tu_facts *f = parse_snippet("struct conn { void *curl; int fd; };\n"
                         "enum { OPT_A = 7 };\n"
                         "#define TEN 10\n"
                         "void *g;\n"
                         "void use(void *a, int b, const char *s, void *c);\n"
                         "void f(struct conn *c, void *p) {\n"
                         "  void *h = p;\n"
                         "  use(c->curl, OPT_A, \"x\", h);\n"
                         "  use(g, TEN, 0, &h);\n"
                         "  use(p, -1, 0, (void *)c);\n"
                         "}\n");
  const lx_func *F = fn(f, "f");
  assert_true(F->is_def);
  assert_int_equal(F->nparams, 2);
  const lx_call *c0 = call(F, "use", 0);
  assert_int_equal(c0->nargs, 4);
  assert_int_equal(c0->args[0]->kind, LX_PATH_FIELD);
  assert_string_equal(c0->args[0]->key, "struct conn.curl");
  assert_non_null(c0->args[0]->base);
  assert_int_equal(c0->args[0]->base->kind, LX_PATH_PARAM);
  assert_int_equal(c0->args[0]->base->index, 1);
  assert_int_equal(c0->args[1]->kind, LX_PATH_CONST);
  assert_int_equal(c0->args[1]->value, 7);
  assert_string_equal(c0->args[1]->name, "OPT_A");
  assert_int_equal(c0->args[2]->kind, LX_PATH_STRING);
  assert_int_equal(c0->args[3]->kind, LX_PATH_LOCAL);
  assert_string_equal(c0->args[3]->name, "h");
  const lx_call *c1 = call(F, "use", 1);
  assert_int_equal(c1->args[0]->kind, LX_PATH_GLOBAL);
  assert_int_equal(c1->args[1]->kind, LX_PATH_CONST);
  assert_int_equal(c1->args[1]->value, 10);
  assert_string_equal(c1->args[1]->name, "TEN"); /* the macro it is spelled with */
  assert_int_equal(c1->args[3]->kind, LX_PATH_LOCAL);
  assert_true(c1->args[3]->addr_of);
  const lx_call *c2 = call(F, "use", 2);
  assert_int_equal(c2->args[0]->kind, LX_PATH_PARAM);
  assert_int_equal(c2->args[0]->index, 2);
  assert_int_equal(c2->args[1]->value, -1);
  assert_int_equal(c2->args[3]->kind, LX_PATH_PARAM); /* casts are looked through */
  /* h = p is an assignment from parameter 2 */
  assert_true(F->assigns.n >= 1);
  assert_int_equal(F->assigns.v[0].dst->kind, LX_PATH_LOCAL);
  assert_int_equal(F->assigns.v[0].src->kind, LX_PATH_PARAM);
  lx_facts_free(f);
}

static void test_loops(void **state)
{
  lx_tu_facts *f = parse_snippet("int stop; int next(void); void work(int);\n"
                         "void f(int n) {\n"
                         "  for (;;) { if (next()) break; }\n"
                         "  while (1) { work(1); }\n"
                         "  for (int i = 0; i < n; i++) { work(i); }\n"
                         "  while (!stop) { while (1) { if (next()) return; } }\n"
                         "}\n");
  const lx_func *F = fn(f, "f");
  assert_int_equal(F->loops.n, 5);
  assert_true(F->loops.v[0].infinite);
  assert_true(F->loops.v[0].has_exit);
  assert_true(F->loops.v[1].infinite);
  assert_false(F->loops.v[1].has_exit);
  assert_false(F->loops.v[2].infinite);
  assert_int_equal(F->loops.v[2].nreads, 2); /* i and n */
  assert_false(F->loops.v[3].infinite);
  assert_int_equal(F->loops.v[3].nreads, 1);
  assert_int_equal(F->loops.v[3].cond_reads[0]->kind, LX_PATH_GLOBAL);
  assert_int_equal(F->loops.v[4].parent, 3);
  assert_true(F->loops.v[4].has_exit);
  const lx_call *w = call(F, "work", 1);
  assert_int_equal(w->loop, 2);
  const lx_call *n0 = call(F, "next", 0);
  assert_int_equal(n0->loop, 0);
  assert_true(n0->in_cond);
  lx_facts_free(f);
}

static void test_annotations_and_spawn(void **state)
{
  lx_tu_facts *f = parse_snippet("typedef void *(*entry)(void *);\n"
                         "int spawn(entry e, void *arg) __attribute__((annotate(\"leash:spawns:1\")));\n"
                         "int plain(int);\n"
                         "void *worker(void *a) { return a; }\n"
                         "struct tbl { entry e; } table[] = {{worker}};\n"
                         "void f(void) { spawn(worker, 0); }\n");
  const lx_func *S = fn(f, "spawn");
  assert_false(S->is_def);
  assert_int_equal(S->annots.n, 1);
  assert_int_equal(S->annots.v[0].kind, LX_ANN_SPAWNS);
  assert_int_equal(S->annots.v[0].arg, 1);
  for (size_t i = 0; i < f->funcs.n; i++)
    assert_string_not_equal(f->funcs.v[i]->name, "plain"); /* unannotated prototypes are not kept */
  const lx_call *c = call(fn(f, "f"), "spawn", 0);
  assert_int_equal(c->args[0]->kind, LX_PATH_FUNC);
  assert_string_equal(c->args[0]->name, "worker");
  assert_int_equal(f->global_inits.n, 1);
  assert_int_equal(f->global_inits.v[0].src->kind, LX_PATH_FUNC);
  assert_int_equal(f->global_inits.v[0].dst->kind, LX_PATH_GLOBAL);
  lx_facts_free(f);
}

static void test_calls_results_and_returns(void **state)
{
  lx_tu_facts *f = parse_snippet("void *make(void); void set(void *, int); void (*hook)(void *);\n"
                         "struct s { void *h; };\n"
                         "void *g(struct s *o) {\n"
                         "  void *h = make();\n"
                         "  o->h = h;\n"
                         "  set(o->h, 5);\n"
                         "  hook(h);\n"
                         "  return h;\n"
                         "}\n");
  const lx_func *G = fn(f, "g");
  assert_int_equal(G->assigns.n, 3);
  assert_int_equal(G->assigns.v[0].src->kind, LX_PATH_CALL);
  assert_string_equal(G->calls.v[G->assigns.v[0].src->index].callee_name, "make");
  assert_int_equal(G->assigns.v[1].dst->kind, LX_PATH_FIELD);
  assert_string_equal(G->assigns.v[1].dst->key, "struct s.h");
  assert_int_equal(G->assigns.v[2].dst->kind, LX_PATH_RETURN);
  const lx_call *hk = &G->calls.v[G->calls.n - 1];
  assert_null(hk->callee);
  assert_non_null(hk->fnptr);
  assert_int_equal(hk->fnptr->kind, LX_PATH_GLOBAL);
  /* Evaluation order: make before set before hook. */
  assert_true(call(G, "make", 0)->seq < call(G, "set", 0)->seq);
  lx_facts_free(f);
}

/* The member a struct's initialiser sets, by name (the key's part after the last '.'),
 * and the value it gives, or -1 when no assignment sets it. */
static long long member_value(const lx_func *F, const char *member)
{
  long long v = -1;
  for (size_t i = 0; i < F->assigns.n; i++) {
    const lx_assign *a = &F->assigns.v[i];
    const char *dot = a->dst->kind == LX_PATH_FIELD && a->dst->key ? strrchr(a->dst->key, '.') : NULL;
    if (dot && !strcmp(dot + 1, member) && a->src->kind == LX_PATH_CONST)
      v = a->src->value;
  }
  return v;
}

static void test_initialisers_are_member_assignments(void **state)
{
  lx_tu_facts *f = parse_snippet("struct o { char id[4]; int version; int keepalive; struct { int port; } tcp; };\n"
                                 "int use(struct o *);\n"
                                 "int inorder(void) { struct o a = { {'M', 'Q', 'T', 'C'}, 8, 60 }; return use(&a); }\n"
                                 "int named(void) { struct o b = { .id = {'M'}, .keepalive = 20, .tcp.port = 9 };\n"
                                 "  return use(&b); }\n"
                                 "int table(void) { int t[3] = { 1, 2, 3 }; return t[0]; }\n");
  const lx_func *A = fn(f, "inorder");
  assert_int_equal(member_value(A, "version"), 8);
  assert_int_equal(member_value(A, "keepalive"), 60);
  const lx_func *B = fn(f, "named");
  assert_int_equal(member_value(B, "keepalive"), 20);
  assert_int_equal(member_value(B, "port"), 9);
  assert_int_equal(member_value(B, "version"), -1);
  const lx_func *T = fn(f, "table");
  for (size_t i = 0; i < T->assigns.n; i++)
    assert_int_not_equal(T->assigns.v[i].dst->kind, LX_PATH_FIELD); /* an array has no members */
  lx_facts_free(f);
}

static void test_syntax_errors_still_yield_facts(void **state)
{
  lx_tu_facts *f = parse_snippet("void ok(void) { int x = 1; (void)x; }\n"
                         "void broken(void) { int y = ; }\n"
                         "void after(void) { ok(); }\n");
  fn(f, "ok");
  fn(f, "after");
  lx_facts_free(f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_access_paths),
      cmocka_unit_test(test_loops),
      cmocka_unit_test(test_annotations_and_spawn),
      cmocka_unit_test(test_calls_results_and_returns),
      cmocka_unit_test(test_initialisers_are_member_assignments),
      cmocka_unit_test(test_syntax_errors_still_yield_facts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
