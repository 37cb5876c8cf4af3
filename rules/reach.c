/* reach.c - which functions any path of the program reaches: from main, from every
 * function whose address is taken (a handler, a thread entry, a table), and from the
 * exported functions of a library's TUs (a TU the program reaches nothing in, or
 * every TU when there is no main).  Code nothing reaches is on no path, so a hazard
 * in it is never reported. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

static void mark_func_refs(const lx_program *p, const lx_path *v, char *root)
{
  if (v->kind != LX_PATH_FUNC || !v->key)
    return;
  const lx_fnode *fn = lx_program_fn(p, v->key);
  if (fn)
    root[fn->index] = 1;
}

/* Marks everything the functions marked in seen call, to a closure. */
static void close_over_calls(const lx_program *p, char *seen)
{
  size_t n = p->order.n ? p->order.n : 1;
  size_t *stack = lx_xmalloc(n * sizeof(size_t)), top = 0;
  for (size_t i = 0; i < p->order.n; i++)
    if (seen[i])
      stack[top++] = i;
  while (top) {
    const lx_fnode *fn = p->order.v[stack[--top]];
    for (size_t j = 0; fn->def && j < fn->def->calls.n; j++) {
      const lx_fnode *callee = lx_program_callee(p, &fn->def->calls.v[j]);
      if (callee && !seen[callee->index]) {
        seen[callee->index] = 1;
        stack[top++] = (size_t)callee->index;
      }
    }
  }
  free(stack);
}

char *lx_reachable(const lx_program *p)
{
  size_t n = p->order.n ? p->order.n : 1;
  char *seen = lx_xcalloc(n, 1);
  int has_main = 0;
  /* Roots: main; functions whose address is taken; annotated ones. */
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def) {
      seen[i] = 1; /* not ours to judge */
      continue;
    }
    if (!strcmp(fn->name, "main"))
      has_main = seen[i] = 1;
    if (fn->annots.n)
      seen[i] = 1;
    for (size_t j = 0; j < fn->def->assigns.n; j++)
      mark_func_refs(p, &fn->def->assigns.v[j].src, seen);
    for (size_t j = 0; j < fn->def->calls.n; j++)
      for (int a = 0; a < fn->def->calls.v[j].nargs; a++)
        mark_func_refs(p, &fn->def->calls.v[j].args[a], seen);
  }
  for (size_t t = 0; t < p->ntus; t++)
    for (size_t j = 0; j < p->tus[t]->global_inits.n; j++)
      mark_func_refs(p, &p->tus[t]->global_inits.v[j].src, seen);
  close_over_calls(p, seen);
  /* A TU none of whose functions those reach is a library's (or the program is one,
   * without main): its exported functions are entry points.  In a TU of the program,
   * an exported function nothing calls is dead code like a static one. */
  char *entry = lx_xcalloc(n, 1);
  for (size_t t = 0; t < p->ntus; t++) {
    int in_program = 0;
    for (size_t i = 0; has_main && i < p->tus[t]->funcs.n && !in_program; i++) {
      const lx_func *f = p->tus[t]->funcs.v[i];
      const lx_fnode *fn = f->is_def && !f->is_static ? lx_program_fn(p, f->usr) : NULL;
      in_program = fn && seen[fn->index] && strcmp(fn->name, "main");
    }
    for (size_t i = 0; !in_program && i < p->tus[t]->funcs.n; i++) {
      const lx_func *f = p->tus[t]->funcs.v[i];
      const lx_fnode *fn = f->is_def && !f->is_static ? lx_program_fn(p, f->usr) : NULL;
      if (fn)
        entry[fn->index] = 1;
    }
  }
  for (size_t i = 0; i < p->order.n; i++)
    seen[i] |= entry[i];
  free(entry);
  close_over_calls(p, seen);
  return seen;
}
