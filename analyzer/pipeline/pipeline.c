/* pipeline.c - the program-wide evaluation every front runs: the TUs in the order of
 * their paths, split into programs, each built and the rules run over it. */
#include "pipeline/pipeline.h"

#include <stdlib.h>
#include <string.h>

#include "program/program.h"
#include "pipeline/suppress.h"

#define SUPPRESSION_RULE "suppression-without-reason"

/* What a program-wide step picks first (the definition of a name two TUs define, the
 * first of several origins) is the same for one run, for shards merged, for the
 * editor and for any order of the inputs. */
static int by_main_file(const void *a, const void *b)
{
  const lx_tu_facts *x = *(lx_tu_facts *const *)a, *y = *(lx_tu_facts *const *)b;
  int c = strcmp(x->main_file ? x->main_file : "", y->main_file ? y->main_file : "");
  if (c)
    return c;
  /* One file built twice with other flags: the one with fewer functions first. */
  return (x->funcs.n > y->funcs.n) - (x->funcs.n < y->funcs.n);
}

/* The functions of prog with a call in file: where the editor's findings can be. */
static char *file_scope(const lx_program *prog, const char *file)
{
  char *scope = lx_xcalloc(prog->order.n ? prog->order.n : 1, 1);
  /* A TU's file names are one string each: compared once per string, not per call. */
  const char *in = NULL, *not_in = NULL;
  for (size_t i = 0; i < prog->order.n; i++) {
    const lx_func *f = prog->order.v[i]->def;
    for (size_t j = 0; f && j < f->calls.n && !scope[i]; j++) {
      const char *at = f->calls.v[j].loc.file;
      if (!at || at == not_in)
        continue;
      if (at == in || !strcmp(at, file)) {
        scope[i] = 1;
        in = at;
      } else {
        not_in = at;
      }
    }
  }
  return scope;
}

void lx_pipeline_rules(const lx_pipeline *pl, lx_tu_facts *const *in, size_t n, lx_findings *out)
{
  lx_tu_facts **tus = lx_xcalloc(n ? n : 1, sizeof(*tus));
  if (n)
    memcpy(tus, in, n * sizeof(*tus));
  qsort(tus, n, sizeof(*tus), by_main_file);
  int *program_of = lx_xcalloc(n ? n : 1, sizeof(int));
  size_t nprog = pl->parts ? lx_partition_cached(pl->parts, tus, n, program_of) : lx_partition(tus, n, program_of);
  int file_program = -1;
  for (size_t i = 0; pl->file_tu && i < n; i++)
    if (tus[i] == pl->file_tu)
      file_program = program_of[i];
  lx_tu_facts **subset = lx_xcalloc(n ? n : 1, sizeof(*subset));
  /* A TU in several programs (a library's) has its functions' memos derived once. */
  lx_memos *memos = pl->memos ? pl->memos : lx_memos_new();
  for (size_t k = 0; k < nprog; k++) {
    if (file_program >= 0 && file_program != (int)k)
      continue; /* another program than the file's */
    size_t m = lx_partition_select(tus, n, program_of, k, subset);
    if (pl->progress && nprog > 1)
      pl->progress(k, nprog, m, pl->arg);
    lx_program *prog = lx_program_build_with(subset, m, pl->cfg, memos);
    char *scope = pl->file ? file_scope(prog, pl->file) : NULL;
    lx_rules_run(prog, scope, pl->enabled, pl->arg, out);
    free(scope);
    lx_program_free(prog);
  }
  if (!pl->memos)
    lx_memos_free(memos);
  free(subset);
  free(program_of);
  free(tus);
}

void lx_pipeline_suppress(const lx_pipeline *pl, lx_findings *f, lx_line_fn line_of, void *line_arg)
{
  size_t w = 0;
  for (size_t i = 0; i < f->v.n; i++)
    if (!lx_config_excluded(pl->cfg, f->v.v[i].loc.file))
      f->v.v[w++] = f->v.v[i];
  f->v.n = w;
  const lx_rule *meta = lx_rule_find(SUPPRESSION_RULE);
  int meta_on = meta && pl->enabled(meta, pl->arg);
  size_t n = f->v.n;
  for (size_t i = 0; i < n; i++) {
    lx_finding *fd = &f->v.v[i];
    for (unsigned line = fd->loc.line; line + 1 >= fd->loc.line && line >= 1; line--) {
      size_t len;
      const char *text = line_of(line_arg, fd->loc.file, line, &len);
      lx_suppression s;
      if (!text || !lx_suppress_parse(text, len, &s) || !lx_suppress_matches(&s, fd->rule))
        continue;
      fd->suppressed = 1;
      if (s.reason[0]) {
        fd->suppress_reason = lx_arena_strdup(&f->arena, s.reason);
      } else if (meta_on) {
        lx_loc at = {fd->loc.file, line, s.col};
        lx_findings_add(f, SUPPRESSION_RULE, lx_rule_severity(pl->cfg, meta), at, fd->function, fd->rule,
                        "this leash:ignore of %s gives no reason; write why the finding does not "
                        "apply after the rule id", fd->rule);
      }
      break;
    }
  }
}
