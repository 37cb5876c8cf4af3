/* reach.c - which functions any path of the program reaches: from main, from every
 * function whose address is taken (a handler, a thread entry, a table), and, in a
 * library (no main), from every exported function.  Code nothing reaches is on no
 * path, so a hazard in it is never reported. */
#include <stdlib.h>
#include <string.h>

#include "rules.h"

static void mark_func_refs(const lx_program *p, const lx_path *v, char *root)
{
  if (v->kind != LX_PATH_FUNC || !v->key)
    return;
  const lx_fnode *fn = lx_program_fn(p, v->key);
  if (fn)
    root[fn->index] = 1;
}

char *lx_reachable(const lx_program *p)
{
  size_t n = p->order.n ? p->order.n : 1;
  char *seen = lx_xcalloc(n, 1);
  int has_main = 0;
  for (size_t i = 0; i < p->order.n; i++)
    if (p->order.v[i]->def && !strcmp(p->order.v[i]->name, "main"))
      has_main = 1;
  /* Roots: main; exported functions of a library; functions whose address is taken. */
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def) {
      seen[i] = 1; /* not ours to judge */
      continue;
    }
    if (!strcmp(fn->name, "main") || (!has_main && !fn->def->is_static) || fn->annots.n)
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
  /* Everything a reached function calls is reached. */
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
  return seen;
}
