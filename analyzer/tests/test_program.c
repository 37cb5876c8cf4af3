/* test_program.c - what lx_program_build derives from each function's own facts is
 * kept with the facts (lx_func.memo, lx_tu_facts.refs) and reused by every later
 * build over them: the language server builds a program on every edit over the same
 * database facts, and a library TU is built into several programs.  A build over
 * facts used before, in other programs or prepared ahead, must give exactly what a
 * build over fresh facts gives: every function's summaries and context, and every
 * finding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rules/rules.h"
#include "config/config.h"
#include "facts/facts_bin.h"
#include "program/memos.h"
#include "program/partition.h"
#include "program/program.h"

#include "fixture_sets.h"

typedef LX_VEC(char) text;

static void put(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text *t, const char *fmt, ...)
{
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof(buf), fmt, ap);
  va_end(ap);
  for (int i = 0; i < n && i < (int)sizeof(buf) - 1; i++)
    lx_vec_push(t, buf[i]);
}

static const char *loc_file(const lx_call *c) { return c && c->loc.file ? c->loc.file : ""; }
static unsigned loc_line(const lx_call *c) { return c ? c->loc.line : 0; }

/* Everything a build computes that the rules read, and the rules' findings, as text. */
static char *describe(lx_tu_facts **tus, size_t n, const lx_config *cfg, lx_memos *memos)
{
  text t = {0};
  int *program_of = calloc(n, sizeof(int));
  size_t nprog = lx_partition(tus, n, program_of);
  lx_tu_facts **subset = calloc(n, sizeof(*subset));
  for (size_t k = 0; k < nprog; k++) {
    size_t m = lx_partition_select(tus, n, program_of, k, subset);
    put(&t, "program %zu: %zu TUs\n", k, m);
    lx_program *p = lx_program_build_with(subset, m, cfg, memos);
    for (size_t i = 0; i < p->order.n; i++) {
      const lx_fnode *f = p->order.v[i];
      char why[256];
      const char *w = lx_fnode_why(f, why, sizeof(why));
      put(&t, "%s te%d su%d we%d pe%d rp%d bo%d sp%llx to%llx bl%llx rt%d why[%s %u]\n", f->usr, f->thread_entry,
          f->startup, f->waits_event, f->per_event, f->request_path, f->bounds, (unsigned long long)f->spawns_params,
          (unsigned long long)f->timeout_params, (unsigned long long)f->blocks_params, f->returns_timed,
          w ? w : "", f->why_loc.line);
      for (int b = 0; b < LX_MAX_PARAMS; b++) {
        if (f->blocks_params >> b & 1)
          put(&t, "  blocks %d at %s:%u\n", b, loc_file(f->blocks_origin[b]), loc_line(f->blocks_origin[b]));
        if (f->spawns_params >> b & 1)
          put(&t, "  spawns %d at %s:%u\n", b, loc_file(f->spawn_origin[b]), loc_line(f->spawn_origin[b]));
      }
      for (size_t l = 0; f->def && l < f->def->loops.n; l++) {
        const lx_call *src = NULL;
        put(&t, "  loop %zu: %d %s\n", l, (int)lx_loop_bound_of(p, f, (int)l, &src), src ? src->callee_name : "");
      }
      for (int cls = 0; f->def && cls < f->alias.nclasses; cls++) {
        size_t it = 0;
        const char *key;
        put(&t, "  class %d:", cls);
        while ((key = lx_alias_next_key(f, cls, &it)))
          put(&t, " %s", key);
        put(&t, "\n");
      }
    }
    lx_findings out;
    lx_findings_init(&out);
    lx_rules_run(p, NULL, every_rule, NULL, &out);
    for (size_t i = 0; i < out.v.n; i++) {
      const lx_finding *fd = &out.v.v[i];
      put(&t, "finding %s %s:%u:%u %s\n", fd->rule, fd->loc.file, fd->loc.line, fd->loc.col, fd->message);
      for (int r = 0; r < fd->nrelated; r++)
        put(&t, "  related %s:%u %s\n", fd->related[r].loc.file, fd->related[r].loc.line, fd->related[r].message);
    }
    lx_findings_free(&out);
    lx_program_free(p);
  }
  free(subset);
  free(program_of);
  lx_vec_push(&t, '\0');
  return t.v;
}

/* A copy of facts through the binary encoding: new objects, nothing derived yet. */
static lx_tu_facts *fresh_copy(const lx_tu_facts *f)
{
  size_t len;
  unsigned char *blob = lx_facts_encode(f, &len);
  const char *why = NULL;
  lx_tu_facts *copy = lx_facts_decode(blob, len, &why);
  free(blob);
  assert_non_null(copy);
  return copy;
}

typedef struct {
  const lx_config *cfg;
  size_t sets;
} reuse_check;

static void check_reuse(lx_tu_facts **tus, size_t n, void *arg)
{
  reuse_check *rc = arg;
  lx_tu_facts **copy = calloc(n, sizeof(*copy));
  for (size_t i = 0; i < n; i++)
    copy[i] = fresh_copy(tus[i]);
  char *fresh = describe(copy, n, rc->cfg, NULL);

  /* Built twice over the same facts, the second time with the memos the first derived. */
  lx_memos *kept = lx_memos_new();
  free(describe(copy, n, rc->cfg, kept));
  char *again = describe(copy, n, rc->cfg, kept);
  assert_string_equal(fresh, again);

  /* Facts first built into other programs (each TU alone, then in reverse order),
   * so that what is derived is derived in another order. */
  lx_memos *others = lx_memos_new();
  lx_tu_facts **other = calloc(n, sizeof(*other));
  for (size_t i = 0; i < n; i++)
    other[i] = fresh_copy(tus[i]);
  for (size_t i = 0; i < n; i++)
    free(describe(&other[i], 1, rc->cfg, others));
  for (size_t i = 0; i < n / 2; i++) {
    lx_tu_facts *t = other[i];
    other[i] = other[n - 1 - i];
    other[n - 1 - i] = t;
  }
  free(describe(other, n, rc->cfg, others));
  for (size_t i = 0; i < n / 2; i++) {
    lx_tu_facts *t = other[i];
    other[i] = other[n - 1 - i];
    other[n - 1 - i] = t;
  }
  char *mixed = describe(other, n, rc->cfg, others);
  assert_string_equal(fresh, mixed);

  /* Prepared ahead, as the language server prepares the database's facts; then swept
   * after a build over half of them, and built again. */
  lx_memos *ahead_memos = lx_memos_new();
  lx_tu_facts **prepared = calloc(n, sizeof(*prepared));
  for (size_t i = 0; i < n; i++)
    prepared[i] = fresh_copy(tus[i]);
  lx_memos_prepare(ahead_memos, prepared, n);
  char *ahead = describe(prepared, n, rc->cfg, ahead_memos);
  assert_string_equal(fresh, ahead);
  lx_memos_sweep(ahead_memos);
  free(describe(prepared, n / 2, rc->cfg, ahead_memos));
  lx_memos_sweep(ahead_memos);
  char *swept = describe(prepared, n, rc->cfg, ahead_memos);
  assert_string_equal(fresh, swept);
  free(swept);
  lx_memos_free(kept);
  lx_memos_free(others);
  lx_memos_free(ahead_memos);

  for (size_t i = 0; i < n; i++) {
    lx_facts_free(copy[i]);
    lx_facts_free(other[i]);
    lx_facts_free(prepared[i]);
  }
  free(copy);
  free(other);
  free(prepared);
  free(fresh);
  free(again);
  free(mixed);
  free(ahead);
  rc->sets++;
}

static void test_builds_over_used_facts(void **state)
{
  (void)state;
  lx_config *cfg = fixture_config();
  reuse_check rc = {cfg, 0};
  assert_true(for_each_fixture_set(check_reuse, &rc) >= 200);
  assert_true(rc.sets >= 20);
  lx_config_free(cfg);
}

/* lx_partition_cached answers as lx_partition does: over the same facts, over copies,
 * in another order, and after a TU's main becomes a static function of another name
 * (it then defines nothing more, but its program may merge with another). */
typedef struct {
  size_t sets, changed;
} partition_check;

static void expect_partition(lx_partition_cache **cache, lx_tu_facts **tus, size_t n, int *got, int *want)
{
  size_t want_n = lx_partition(tus, n, want);
  assert_int_equal(lx_partition_cached(cache, tus, n, got), want_n);
  assert_memory_equal(got, want, sizeof(int) * n);
}

static void check_partition(lx_tu_facts **tus, size_t n, void *arg)
{
  partition_check *pc = arg;
  lx_partition_cache *cache = NULL;
  int *got = calloc(n, sizeof(int)), *want = calloc(n, sizeof(int)), *first = calloc(n, sizeof(int));
  lx_tu_facts **copy = calloc(n, sizeof(*copy));
  expect_partition(&cache, tus, n, got, want);
  memcpy(first, want, sizeof(int) * n);
  for (size_t i = 0; i < n; i++)
    copy[i] = fresh_copy(tus[i]);
  expect_partition(&cache, copy, n, got, want);
  for (size_t i = 0; i < n / 2; i++) {
    lx_tu_facts *t = copy[i];
    copy[i] = copy[n - 1 - i];
    copy[n - 1 - i] = t;
  }
  expect_partition(&cache, copy, n, got, want);
  for (size_t i = 0; i < n / 2; i++) {
    lx_tu_facts *t = copy[i];
    copy[i] = copy[n - 1 - i];
    copy[n - 1 - i] = t;
  }
  expect_partition(&cache, copy, n, got, want);
  for (size_t t = 0; t < n; t++) {
    lx_tu_facts *renamed = fresh_copy(tus[t]);
    int had = 0;
    for (size_t i = 0; i < renamed->funcs.n; i++)
      if (!strcmp(renamed->funcs.v[i]->name, "main")) {
        renamed->funcs.v[i]->name = "not_main"; /* and static: it defines nothing more */
        renamed->funcs.v[i]->is_static = 1;
        had = 1;
      }
    if (!had) {
      lx_facts_free(renamed);
      continue;
    }
    lx_tu_facts *kept = copy[t];
    copy[t] = renamed;
    expect_partition(&cache, copy, n, got, want);
    pc->changed += memcmp(want, first, sizeof(int) * n) != 0;
    copy[t] = kept;
    lx_facts_free(renamed);
    expect_partition(&cache, copy, n, got, want);
  }
  for (size_t i = 0; i < n; i++)
    lx_facts_free(copy[i]);
  free(copy);
  free(got);
  free(want);
  free(first);
  lx_partition_cache_free(cache);
  pc->sets++;
}

static void test_partition_cached(void **state)
{
  (void)state;
  partition_check pc = {0, 0};
  for_each_fixture_set(check_partition, &pc);
  assert_true(pc.sets >= 20);
  assert_true(pc.changed >= 1); /* some fixture's programs change when a main goes */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_builds_over_used_facts),
      cmocka_unit_test(test_partition_cached),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
