/* partition.c - which translation units form one program.  A compilation database
 * often builds several executables (a server and its test program, a service and its
 * fixed twin); each has its own `main`, and structs of the same name in two programs
 * are not one abstract location.  TUs are joined when one calls, takes the address of,
 * or reads a global of another; when two or more groups hold a `main`, each is a
 * program of its own, and the TUs in no group with a `main` (code nothing calls, a
 * library's entry points) are analysed with every program. */
#include "program/partition.h"

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

/* What one TU defines and refers to, found once for its facts (they do not change
 * while they live), with the keys' hashes. */
struct lx_tu_refs {
  const char **keys; /* USRs of the functions called or named, globals read or written */
  uint64_t *hashes;
  size_t n;
  const char **defs; /* USRs of its external functions (but main) and initialised globals */
  uint64_t *def_hashes;
  size_t ndefs;
  int has_main;
  uint64_t sig[2]; /* two hashes of all that lx_partition reads of the TU, in order */
};

static void tu_refs_free(struct lx_tu_refs *r)
{
  if (r) {
    free(r->keys);
    free(r->hashes);
    free(r->defs);
    free(r->def_hashes);
  }
  free(r);
}

typedef struct {
  LX_VEC(const char *) keys;
  LX_VEC(uint64_t) hashes;
} key_vec;

static void ref(lx_map *seen, key_vec *out, const char *key)
{
  if (!key)
    return;
  uint64_t h = lx_map_hash(key);
  if (!lx_map_get_h(seen, key, h)) {
    lx_map_put_h(seen, key, h, (void *)1);
    lx_vec_push(&out->keys, key);
    lx_vec_push(&out->hashes, h);
  }
}

static void ref_path(lx_map *seen, key_vec *out, const lx_path *p)
{
  for (; p; p = p->base)
    if (p->kind == LX_PATH_FUNC || p->kind == LX_PATH_GLOBAL)
      ref(seen, out, p->key);
}

/* What tu defines and refers to (the caller frees it with tu_refs_free). */
static struct lx_tu_refs *tu_refs(const lx_tu_facts *tu)
{
  lx_map seen;
  lx_map_init(&seen);
  key_vec refs = {0}, defs = {0};
  struct lx_tu_refs *r = lx_xcalloc(1, sizeof(*r));
  for (size_t i = 0; i < tu->funcs.n; i++) {
    const lx_func *f = tu->funcs.v[i];
    if (!f->is_def)
      continue;
    if (!strcmp(f->name, "main")) {
      r->has_main = 1;
    } else if (!f->is_static) {
      lx_vec_push(&defs.keys, f->usr);
      lx_vec_push(&defs.hashes, lx_map_hash(f->usr));
    }
    for (size_t j = 0; j < f->calls.n; j++) {
      const lx_call *c = &f->calls.v[j];
      ref(&seen, &refs, c->callee);
      for (int a = 0; a < c->nargs; a++)
        ref_path(&seen, &refs, c->args[a]);
    }
    for (size_t j = 0; j < f->assigns.n; j++) {
      ref_path(&seen, &refs, f->assigns.v[j].dst);
      ref_path(&seen, &refs, f->assigns.v[j].src);
    }
  }
  for (size_t i = 0; i < tu->global_inits.n; i++)
    if (tu->global_inits.v[i].dst->key) {
      lx_vec_push(&defs.keys, tu->global_inits.v[i].dst->key);
      lx_vec_push(&defs.hashes, lx_map_hash(tu->global_inits.v[i].dst->key));
    }
  lx_map_free(&seen);
  for (int k = 0; k < 2; k++) {
    uint64_t h = lx_hash64_fast(tu->main_file ? tu->main_file : "", tu->main_file ? strlen(tu->main_file) : 0,
                                (uint64_t)k + (uint64_t)r->has_main * 2);
    for (size_t i = 0; i < defs.keys.n; i++)
      h = lx_hash64_fast(defs.keys.v[i], strlen(defs.keys.v[i]) + 1, h + (uint64_t)k);
    h = lx_hash64_fast("|", 1, h);
    for (size_t i = 0; i < refs.keys.n; i++)
      h = lx_hash64_fast(refs.keys.v[i], strlen(refs.keys.v[i]) + 1, h + (uint64_t)k);
    r->sig[k] = h;
  }
  r->keys = refs.keys.v; /* the strings live in tu's arena */
  r->hashes = refs.hashes.v;
  r->n = refs.keys.n;
  r->defs = defs.keys.v;
  r->def_hashes = defs.hashes.v;
  r->ndefs = defs.keys.n;
  return r;
}

/* The TUs that define a key: one (most keys) kept in the map's value as 2 * tu + 1,
 * several as a tu_list. */
typedef struct {
  lx_tu_facts *const *tus;
  lx_map defs; /* USR of an external function or initialised global -> its TUs */
  LX_VEC(tu_list *) lists;
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
static void join_key(parts *ps, int tu, const char *key, uint64_t hash)
{
  uintptr_t v = (uintptr_t)lx_map_get_h(&ps->defs, key, hash);
  if (!v)
    return;
  if (v & 1) {
    join(ps->parent, tu, (int)(v >> 1));
    return;
  }
  const tu_list *defs = (const tu_list *)v;
  int best = defs->v[0];
  size_t best_len = 0;
  for (size_t i = 0; i < defs->n; i++) {
    size_t len = common_prefix(ps->tus[tu]->main_file, ps->tus[defs->v[i]]->main_file);
    if (len > best_len) {
      best = defs->v[i];
      best_len = len;
    }
  }
  join(ps->parent, tu, best);
}

static void define(parts *ps, const char *key, uint64_t hash, int tu)
{
  uintptr_t v = (uintptr_t)lx_map_get_h(&ps->defs, key, hash);
  if (!v) {
    lx_map_put_h(&ps->defs, key, hash, (void *)((uintptr_t)tu * 2 + 1));
    return;
  }
  tu_list *l;
  if (v & 1) {
    if ((int)(v >> 1) == tu)
      return;
    l = lx_xcalloc(1, sizeof(*l));
    lx_vec_push(l, (int)(v >> 1));
    lx_vec_push(&ps->lists, l);
    lx_map_put_h(&ps->defs, key, hash, l);
  } else {
    l = (tu_list *)v;
  }
  if (l->v[l->n - 1] != tu)
    lx_vec_push(l, tu);
}

/* lx_partition, given each TU's references (refs[t] for tus[t]). */
static size_t partition_with(lx_tu_facts *const *tus, struct lx_tu_refs *const *refs, size_t n, int *program_of)
{
  for (size_t i = 0; i < n; i++)
    program_of[i] = 0;
  if (n < 2)
    return 1;
  parts ps = {0};
  ps.tus = tus;
  lx_map_init(&ps.defs);
  int *parent = ps.parent = lx_xmalloc(sizeof(int) * n);
  for (size_t t = 0; t < n; t++) {
    parent[t] = (int)t;
    const struct lx_tu_refs *r = refs[t];
    for (size_t i = 0; i < r->ndefs; i++)
      define(&ps, r->defs[i], r->def_hashes[i], (int)t);
  }
  /* Joined with every TU whose definitions it uses (each once: the union is the same). */
  for (size_t t = 0; t < n; t++) {
    const struct lx_tu_refs *r = refs[t];
    for (size_t i = 0; i < r->n; i++)
      join_key(&ps, (int)t, r->keys[i], r->hashes[i]);
  }
  /* Groups with a main are programs. */
  int *prog = lx_xmalloc(sizeof(int) * n); /* group root -> program number, or -1 */
  for (size_t t = 0; t < n; t++)
    prog[t] = -1;
  size_t nprog = 0;
  for (size_t t = 0; t < n; t++) {
    int root = find(parent, (int)t);
    if (refs[t]->has_main && prog[root] < 0)
      prog[root] = (int)nprog++;
  }
  if (nprog >= 2)
    for (size_t t = 0; t < n; t++)
      program_of[t] = prog[find(parent, (int)t)]; /* -1: shared by every program */
  free(prog);
  free(parent);
  for (size_t i = 0; i < ps.lists.n; i++) {
    lx_vec_free(ps.lists.v[i]);
    free(ps.lists.v[i]);
  }
  lx_vec_free(&ps.lists);
  lx_map_free(&ps.defs);
  return nprog >= 2 ? nprog : 1;
}

size_t lx_partition(lx_tu_facts *const *tus, size_t n, int *program_of)
{
  struct lx_tu_refs **refs = lx_xcalloc(n ? n : 1, sizeof(*refs));
  for (size_t t = 0; n >= 2 && t < n; t++)
    refs[t] = tu_refs(tus[t]);
  size_t nprog = partition_with(tus, refs, n, program_of);
  for (size_t t = 0; t < n; t++)
    tu_refs_free(refs[t]);
  free(refs);
  return nprog;
}

/* The last call's split, and the references of its TUs by their facts' identity (those
 * of TUs no longer given are dropped on the next call). */
struct lx_partition_cache {
  size_t n, nprog;
  uint64_t (*sigs)[2];
  int *program_of;
  uint64_t *ids;               /* open addressing by lx_tu_facts.id (0: empty) */
  struct lx_tu_refs **refs;
  size_t cap;
};

static size_t id_slot(uint64_t id, size_t cap) { return (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1); }

/* The references of tu, the cache's when it has them (taken out of it). */
static struct lx_tu_refs *refs_of(lx_partition_cache *c, const lx_tu_facts *tu)
{
  for (size_t h = c && c->cap ? id_slot(tu->id, c->cap) : 0; c && c->cap && c->ids[h]; h = (h + 1) & (c->cap - 1))
    if (c->ids[h] == tu->id && c->refs[h]) {
      struct lx_tu_refs *r = c->refs[h];
      c->refs[h] = NULL;
      return r;
    }
  return tu_refs(tu);
}

size_t lx_partition_cached(lx_partition_cache **cache, lx_tu_facts *const *tus, size_t n, int *program_of)
{
  lx_partition_cache *old = *cache;
  struct lx_tu_refs **refs = lx_xcalloc(n ? n : 1, sizeof(*refs));
  for (size_t t = 0; t < n; t++)
    refs[t] = refs_of(old, tus[t]);
  int same = old && old->n == n;
  for (size_t t = 0; t < n && same; t++)
    same = refs[t]->sig[0] == old->sigs[t][0] && refs[t]->sig[1] == old->sigs[t][1];
  lx_partition_cache *c = lx_xcalloc(1, sizeof(*c));
  c->n = n;
  c->sigs = lx_xmalloc(sizeof(*c->sigs) * (n ? n : 1));
  c->program_of = lx_xmalloc(sizeof(int) * (n ? n : 1));
  if (same) {
    c->nprog = old->nprog;
    memcpy(c->program_of, old->program_of, sizeof(int) * n);
  } else {
    c->nprog = partition_with(tus, refs, n, c->program_of);
  }
  memcpy(program_of, c->program_of, sizeof(int) * n);
  c->cap = 16;
  while (c->cap < 2 * n)
    c->cap *= 2;
  c->ids = lx_xcalloc(c->cap, sizeof(*c->ids));
  c->refs = lx_xcalloc(c->cap, sizeof(*c->refs));
  for (size_t t = 0; t < n; t++) {
    c->sigs[t][0] = refs[t]->sig[0];
    c->sigs[t][1] = refs[t]->sig[1];
    size_t h = id_slot(tus[t]->id, c->cap);
    while (c->ids[h] && c->ids[h] != tus[t]->id)
      h = (h + 1) & (c->cap - 1);
    if (c->ids[h]) { /* the same facts given twice */
      tu_refs_free(refs[t]);
      continue;
    }
    c->ids[h] = tus[t]->id;
    c->refs[h] = refs[t];
  }
  free(refs);
  lx_partition_cache_free(old);
  *cache = c;
  return c->nprog;
}

void lx_partition_cache_free(lx_partition_cache *c)
{
  if (!c)
    return;
  for (size_t h = 0; h < c->cap; h++)
    tu_refs_free(c->refs[h]);
  free(c->ids);
  free(c->refs);
  free(c->sigs);
  free(c->program_of);
  free(c);
}

size_t lx_partition_select(lx_tu_facts *const *tus, size_t n, const int *program_of, size_t k, lx_tu_facts **out)
{
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (program_of[i] == (int)k || program_of[i] < 0)
      out[m++] = tus[i];
  return m;
}
