/* facts_pool.c - strings and functions that many TUs' facts share (see facts_pool.h). */
#include "facts/facts_pool.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t h1, h2;
  lx_func *fn; /* NULL: an empty slot */
} func_slot;

struct lx_facts_pool {
  lx_arena arena;  /* the strings and the functions' facts */
  /* The paths, apart: a function found again is given back to the arena (released to
   * a mark), and the paths it found or made must stay. */
  lx_arena path_arena;
  const lx_path **paths; /* open addressing by path_hash, NULL: an empty slot */
  size_t npaths, path_cap;
  size_t sealed_paths;
  lx_map strings;  /* each string -> itself, keys borrowed from the arena */
  size_t string_bytes;
  func_slot *funcs; /* open addressing by h1 */
  size_t nfuncs, cap;
  size_t shared;
  LX_VEC(lx_func *) kept; /* functions of the pool that the table no longer finds */
  size_t sealed_strings;  /* strings that the map no longer finds */
};

lx_facts_pool *lx_facts_pool_new(void)
{
  lx_facts_pool *p = lx_xcalloc(1, sizeof(*p));
  lx_arena_init(&p->arena);
  lx_arena_init(&p->path_arena);
  lx_map_init_borrowed(&p->strings, 1024);
  return p;
}

void lx_facts_pool_free(lx_facts_pool *p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->cap; i++)
    if (p->funcs[i].fn)
      lx_func_clear(p->funcs[i].fn);
  for (size_t i = 0; i < p->kept.n; i++)
    lx_func_clear(p->kept.v[i]);
  lx_vec_free(&p->kept);
  free(p->funcs);
  free(p->paths);
  lx_map_free(&p->strings);
  lx_arena_free(&p->arena);
  lx_arena_free(&p->path_arena);
  free(p);
}

const char *lx_facts_pool_intern(lx_facts_pool *p, const char *s, size_t n)
{
  uint64_t h = lx_hash64_fast(s, n, 0); /* lx_map_hash's, for a string of n bytes */
  const char *got = lx_map_get_h(&p->strings, s, h);
  if (got)
    return got;
  char *copy = lx_arena_alloc(&p->arena, n + 1);
  memcpy(copy, s, n);
  copy[n] = '\0';
  p->string_bytes += n + 1;
  return lx_map_put_h(&p->strings, copy, h, copy);
}

static uint64_t mix(uint64_t h, uint64_t v)
{
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdULL;
}

/* Strings and the base are the pool's, so their addresses stand for their contents. */
static uint64_t path_hash(const lx_path *x)
{
  uint64_t h = mix((uint64_t)x->kind, (uint64_t)x->addr_of << 1 | x->deref);
  h = mix(h, (uint64_t)(uint32_t)x->index);
  h = mix(h, (uint64_t)x->value);
  h = mix(h, (uint64_t)(uintptr_t)x->key);
  h = mix(h, (uint64_t)(uintptr_t)x->name);
  h = mix(h, (uint64_t)(uintptr_t)x->type);
  h = mix(h, (uint64_t)(uintptr_t)x->flags);
  h = mix(h, (uint64_t)(uintptr_t)x->base);
  return h ^ h >> 31;
}

static void put_path_slot(const lx_path **v, size_t cap, const lx_path *x)
{
  size_t i = (size_t)path_hash(x) & (cap - 1);
  while (v[i])
    i = (i + 1) & (cap - 1);
  v[i] = x;
}

const lx_path *lx_facts_pool_path(lx_facts_pool *p, const lx_path *path)
{
  if (lx_path_same(path, &lx_path_none))
    return &lx_path_none;
  if ((p->npaths + 1) * 2 > p->path_cap) {
    size_t cap = p->path_cap ? p->path_cap * 2 : 4096;
    const lx_path **v = lx_xcalloc(cap, sizeof(*v));
    for (size_t i = 0; i < p->path_cap; i++)
      if (p->paths[i])
        put_path_slot(v, cap, p->paths[i]);
    free(p->paths);
    p->paths = v;
    p->path_cap = cap;
  }
  size_t mask = p->path_cap - 1, i = (size_t)path_hash(path) & mask;
  for (; p->paths[i]; i = (i + 1) & mask)
    if (lx_path_same(p->paths[i], path))
      return p->paths[i];
  lx_path *copy = lx_arena_alloc(&p->path_arena, sizeof(*copy));
  *copy = *path;
  p->paths[i] = copy;
  p->npaths++;
  return copy;
}

lx_arena *lx_facts_pool_arena(lx_facts_pool *p) { return &p->arena; }

lx_func *lx_facts_pool_find(const lx_facts_pool *p, uint64_t h1, uint64_t h2)
{
  if (!p->cap)
    return NULL;
  size_t mask = p->cap - 1;
  for (size_t i = (size_t)h1 & mask; p->funcs[i].fn; i = (i + 1) & mask)
    if (p->funcs[i].h1 == h1 && p->funcs[i].h2 == h2)
      return p->funcs[i].fn;
  return NULL;
}

static void put_slot(func_slot *v, size_t cap, func_slot s)
{
  size_t i = (size_t)s.h1 & (cap - 1);
  while (v[i].fn)
    i = (i + 1) & (cap - 1);
  v[i] = s;
}

void lx_facts_pool_add(lx_facts_pool *p, uint64_t h1, uint64_t h2, lx_func *fn)
{
  if ((p->nfuncs + 1) * 2 > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 1024;
    func_slot *v = lx_xcalloc(cap, sizeof(*v));
    for (size_t i = 0; i < p->cap; i++)
      if (p->funcs[i].fn)
        put_slot(v, cap, p->funcs[i]);
    free(p->funcs);
    p->funcs = v;
    p->cap = cap;
  }
  fn->pooled = 1;
  put_slot(p->funcs, p->cap, (func_slot){h1, h2, fn});
  p->nfuncs++;
}

void lx_facts_pool_seal(lx_facts_pool *p)
{
  p->sealed_strings += p->strings.n;
  p->sealed_paths += p->npaths;
  free(p->paths);
  p->paths = NULL;
  p->npaths = p->path_cap = 0;
  lx_map_free(&p->strings);
  lx_map_init_borrowed(&p->strings, 0);
  for (size_t i = 0; i < p->cap; i++)
    if (p->funcs[i].fn)
      lx_vec_push(&p->kept, p->funcs[i].fn);
  free(p->funcs);
  p->funcs = NULL;
  p->cap = 0;
  p->nfuncs = 0;
}

void lx_facts_pool_note_shared(lx_facts_pool *p) { p->shared++; }

void lx_facts_pool_count(const lx_facts_pool *p, lx_facts_pool_stats *out)
{
  out->strings = p->sealed_strings + p->strings.n;
  out->string_bytes = p->string_bytes;
  out->paths = p->sealed_paths + p->npaths;
  out->funcs = p->kept.n + p->nfuncs;
  out->shared = p->shared;
}
