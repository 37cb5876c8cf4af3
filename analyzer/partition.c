/* partition.c - which translation units form one program.  A compilation database
 * often builds several executables (a server and its test program, a service and its
 * fixed twin); each has its own `main`, and structs of the same name in two programs
 * are not one abstract location.  TUs are joined when one calls, takes the address of,
 * or reads a global of another; when two or more groups hold a `main`, each is a
 * program of its own, and the TUs in no group with a `main` (code nothing calls, a
 * library's entry points) are analysed with every program. */
#include "partition.h"

#include <stdlib.h>
#include <string.h>

static int find(int *parent, int i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static void join(int *parent, int a, int b)
{
  a = find(parent, a);
  b = find(parent, b);
  if (a != b)
    parent[a] = b;
}

typedef LX_VEC(int) tu_list;

typedef struct {
  lx_tu_facts *const *tus;
  lx_map defs;  /* USR of an external function or initialised global -> tu_list * */
  int *parent;
} parts;

static size_t common_prefix(const char *a, const char *b)
{
  size_t n = 0;
  while (a[n] && a[n] == b[n])
    n++;
  return n;
}

/* Joins tu with the TU defining key.  Two programs may both define it (a service and
 * its twin): the definition nearest in the file tree is the one linked. */
static void join_key(parts *ps, int tu, const char *key)
{
  if (!key)
    return;
  tu_list *defs = lx_map_get(&ps->defs, key);
  if (!defs)
    return;
  int best = defs->v[0];
  size_t best_len = 0;
  for (size_t i = 0; i < defs->n && defs->n > 1; i++) {
    size_t len = common_prefix(ps->tus[tu]->main_file, ps->tus[defs->v[i]]->main_file);
    if (len > best_len) {
      best = defs->v[i];
      best_len = len;
    }
  }
  join(ps->parent, tu, best);
}

struct lx_tu_refs {
  const char **keys; /* USRs of the functions called or named, globals read or written */
  size_t n;
};

void lx_tu_refs_free(struct lx_tu_refs *r)
{
  if (r)
    free(r->keys);
  free(r);
}

typedef LX_VEC(const char *) key_vec;

static void ref(lx_map *seen, key_vec *out, const char *key)
{
  if (key && !lx_map_get(seen, key)) {
    lx_map_put(seen, key, (void *)1);
    lx_vec_push(out, key);
  }
}

static void ref_path(lx_map *seen, key_vec *out, const lx_path *p)
{
  for (; p; p = p->base)
    if (p->kind == LX_PATH_FUNC || p->kind == LX_PATH_GLOBAL)
      ref(seen, out, p->key);
}

/* What tu refers to, found once for its facts (they do not change while they live). */
static const struct lx_tu_refs *tu_refs(lx_tu_facts *tu)
{
  if (tu->refs)
    return tu->refs;
  lx_map seen;
  lx_map_init(&seen);
  key_vec keys = {0};
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const lx_func *f = tu->funcs.v[i];
    if (!f->is_def)
      continue;
    for (size_t j = 0; j < f->calls.n; j++) {
      const lx_call *c = &f->calls.v[j];
      ref(&seen, &keys, c->callee);
      for (int a = 0; a < c->nargs; a++)
        ref_path(&seen, &keys, &c->args[a]);
    }
    for (size_t j = 0; j < f->assigns.n; j++) {
      ref_path(&seen, &keys, &f->assigns.v[j].dst);
      ref_path(&seen, &keys, &f->assigns.v[j].src);
    }
  }
  lx_map_free(&seen);
  struct lx_tu_refs *r = lx_xcalloc(1, sizeof(*r));
  r->keys = keys.v; /* the strings live in tu's arena */
  r->n = keys.n;
  tu->refs = r;
  return r;
}

static void define(parts *ps, const char *key, int tu)
{
  tu_list *l = lx_map_get(&ps->defs, key);
  if (!l) {
    l = lx_xcalloc(1, sizeof(*l));
    lx_map_put(&ps->defs, key, l);
  }
  if (!l->n || l->v[l->n - 1] != tu)
    lx_vec_push(l, tu);
}

size_t lx_partition(lx_tu_facts *const *tus, size_t n, int *program_of)
{
  for (size_t i = 0; i < n; i++)
    program_of[i] = 0;
  if (n < 2)
    return 1;
  parts ps;
  ps.tus = tus;
  lx_map_init(&ps.defs);
  int *parent = ps.parent = lx_xmalloc(sizeof(int) * n);
  for (size_t t = 0; t < n; t++) {
    parent[t] = (int)t;
    for (size_t i = 0; i < tus[t]->funcs.n; i++) {
      const lx_func *f = tus[t]->funcs.v[i];
      if (f->is_def && !f->is_static && strcmp(f->name, "main") != 0)
        define(&ps, f->usr, (int)t);
    }
    for (size_t i = 0; i < tus[t]->global_inits.n; i++)
      if (tus[t]->global_inits.v[i].dst.key)
        define(&ps, tus[t]->global_inits.v[i].dst.key, (int)t);
  }
  /* Joined with every TU whose definitions it uses (each once: the union is the same). */
  for (size_t t = 0; t < n; t++) {
    const struct lx_tu_refs *r = tu_refs(tus[t]);
    for (size_t i = 0; i < r->n; i++)
      join_key(&ps, (int)t, r->keys[i]);
  }
  /* Groups with a main are programs. */
  int *prog = lx_xmalloc(sizeof(int) * n); /* group root -> program number, or -1 */
  for (size_t t = 0; t < n; t++)
    prog[t] = -1;
  size_t nprog = 0;
  for (size_t t = 0; t < n; t++)
    for (size_t i = 0; i < tus[t]->funcs.n; i++) {
      const lx_func *f = tus[t]->funcs.v[i];
      int root = find(parent, (int)t);
      if (f->is_def && !strcmp(f->name, "main") && prog[root] < 0)
        prog[root] = (int)nprog++;
    }
  if (nprog >= 2)
    for (size_t t = 0; t < n; t++)
      program_of[t] = prog[find(parent, (int)t)]; /* -1: shared by every program */
  free(prog);
  free(parent);
  for (size_t i = 0; i < ps.defs.cap; i++)
    if (ps.defs.keys[i]) {
      tu_list *l = ps.defs.vals[i];
      lx_vec_free(l);
      free(l);
    }
  lx_map_free(&ps.defs);
  return nprog >= 2 ? nprog : 1;
}

size_t lx_partition_select(lx_tu_facts *const *tus, size_t n, const int *program_of, size_t k, lx_tu_facts **out)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (program_of[i] == (int)k || program_of[i] < 0)
      out[m++] = tus[i];
  return m;
}
