/* reach.c - which functions any path of the program reaches: from main, from every
 * function whose address is taken (a handler, a thread entry, a table), and from the
 * exported functions of a library's TUs (a TU the program reaches nothing in, or
 * every TU when there is no main).  Code nothing reaches is on no path, so a hazard
 * in it is never reported. */
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

static void mark_func_refs(const lx_prog *p, const lx_path *v, char *root)
{
  if (v->kind != LX_PATH_FUNC || !v->key)
    return;
  const lx_fn *fn = lx_rq_fn_by_usr(p, v->key);
  if (fn)
    root[lx_rq_fn_index(fn)] = 1;
}

/* Marks everything the functions marked in seen call, to a closure. */
static void close_over_calls(const lx_prog *p, char *seen)
{
  size_t nfns = lx_rq_nfns(p), n = nfns ? nfns : 1;
  size_t *stack = lx_xmalloc(n * sizeof(size_t)), top = 0;
  for (size_t i = 0; i < nfns; i++)
    if (seen[i])
      stack[top++] = i;
  while (top) {
    size_t ncalls;
    const lx_call *calls = lx_rq_calls(lx_rq_fn_at(p, stack[--top]), &ncalls);
    for (size_t j = 0; j < ncalls; j++) {
      const lx_fn *callee = lx_rq_callee(p, &calls[j]);
      if (callee && !seen[lx_rq_fn_index(callee)]) {
        seen[lx_rq_fn_index(callee)] = 1;
        stack[top++] = lx_rq_fn_index(callee);
      }
    }
  }
  free(stack);
}

char *lx_reachable(const lx_prog *p)
{
  size_t nfns = lx_rq_nfns(p), n = nfns ? nfns : 1;
  char *seen = lx_xcalloc(n, 1);
  int has_main = 0;
  /* Roots: main; functions whose address is taken; annotated ones. */
  for (size_t i = 0; i < nfns; i++) {
    const lx_fn *fn = lx_rq_fn_at(p, i);
    const lx_func *f = lx_rq_body(fn);
    if (!f) {
      seen[i] = 1; /* not ours to judge */
      continue;
    }
    if (!strcmp(lx_rq_fn_name(fn), "main"))
      has_main = seen[i] = 1;
    if (lx_rq_fn_annotated(fn))
      seen[i] = 1;
    for (size_t j = 0; j < f->assigns.n; j++)
      mark_func_refs(p, f->assigns.v[j].src, seen);
    size_t ncalls;
    const lx_call *calls = lx_rq_calls(fn, &ncalls);
    for (size_t j = 0; j < ncalls; j++)
      for (int a = 0; a < calls[j].nargs; a++)
        mark_func_refs(p, calls[j].args[a], seen);
  }
  for (size_t t = 0; t < lx_rq_ntus(p); t++) {
    const lx_tu_facts *tu = lx_rq_tu(p, t);
    for (size_t j = 0; j < tu->global_inits.n; j++)
      mark_func_refs(p, tu->global_inits.v[j].src, seen);
  }
  close_over_calls(p, seen);
  /* A TU none of whose functions those reach is a library's (or the program is one,
   * without main): its exported functions are entry points.  In a TU of the program,
   * an exported function nothing calls is dead code like a static one. */
  char *entry = lx_xcalloc(n, 1);
  for (size_t t = 0; t < lx_rq_ntus(p); t++) {
    const lx_tu_facts *tu = lx_rq_tu(p, t);
    int in_program = 0;
    for (size_t i = 0; has_main && i < tu->funcs.n && !in_program; i++) {
      const lx_func *f = tu->funcs.v[i];
      const lx_fn *fn = f->is_def && !f->is_static ? lx_rq_fn_by_usr(p, f->usr) : NULL;
      in_program = fn && seen[lx_rq_fn_index(fn)] && strcmp(lx_rq_fn_name(fn), "main");
    }
    for (size_t i = 0; !in_program && i < tu->funcs.n; i++) {
      const lx_func *f = tu->funcs.v[i];
      const lx_fn *fn = f->is_def && !f->is_static ? lx_rq_fn_by_usr(p, f->usr) : NULL;
      if (fn)
        entry[lx_rq_fn_index(fn)] = 1;
    }
  }
  for (size_t i = 0; i < nfns; i++)
    seen[i] |= entry[i];
  free(entry);
  close_over_calls(p, seen);
  return seen;
}
