/* memos.c - the per-function memos by facts identity (see memos.h): open addressing
 * on lx_func.id, each entry stamped with the sweep generation that last asked for it. */
#include "program/memos.h"

#include <stdlib.h>

#include "program/program.h"
#include "program/stages.h"

typedef struct {
  uint64_t id; /* 0: empty */
  unsigned gen;
  lx_func_memo *memo;
} slot;

struct lx_memos {
  slot *slots;
  size_t cap, n;
  unsigned gen;
  LX_VEC(lx_func_memo *) unkept; /* of facts without an identity (id 0): never reused */
};

lx_memos *lx_memos_new(void) { return lx_xcalloc(1, sizeof(lx_memos)); }

void lx_memos_free(lx_memos *m)
{
  if (!m)
    return;
  for (size_t i = 0; i < m->cap; i++)
    if (m->slots[i].id)
      lx_func_memo_free(m->slots[i].memo);
  for (size_t i = 0; i < m->unkept.n; i++)
    lx_func_memo_free(m->unkept.v[i]);
  lx_vec_free(&m->unkept);
  free(m->slots);
  free(m);
}

static size_t slot_of(uint64_t id, size_t cap) { return (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 32) & (cap - 1); }

static void put(slot *slots, size_t cap, slot s)
{
  size_t h = slot_of(s.id, cap);
  while (slots[h].id)
    h = (h + 1) & (cap - 1);
  slots[h] = s;
}

static void resize(lx_memos *m, size_t cap)
{
  slot *old = m->slots;
  size_t ocap = m->cap;
  m->slots = lx_xcalloc(cap, sizeof(slot));
  m->cap = cap;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].id)
      put(m->slots, cap, old[i]);
  free(old);
}

lx_func_memo *lx_memos_get(lx_memos *m, const lx_func *f)
{
  if (!f->id) { /* facts made without lx_func_identify: derived each time, freed with the store */
    lx_func_memo *memo = lx_func_memo_build(f);
    lx_vec_push(&m->unkept, memo);
    return memo;
  }
  if (m->cap) {
    for (size_t h = slot_of(f->id, m->cap); m->slots[h].id; h = (h + 1) & (m->cap - 1))
      if (m->slots[h].id == f->id) {
        m->slots[h].gen = m->gen;
        return m->slots[h].memo;
      }
  }
  if (2 * (m->n + 1) > m->cap)
    resize(m, m->cap ? 2 * m->cap : 64);
  slot s = {f->id, m->gen, lx_func_memo_build(f)};
  put(m->slots, m->cap, s);
  m->n++;
  return s.memo;
}

void lx_memos_prepare(lx_memos *m, lx_tu_facts *const *tus, size_t ntus)
{
  for (size_t t = 0; t < ntus; t++)
    for (size_t i = 0; i < tus[t]->funcs.n; i++)
      if (tus[t]->funcs.v[i]->is_def)
        (void)lx_memos_get(m, tus[t]->funcs.v[i]);
}

void lx_memos_sweep(lx_memos *m)
{
  size_t kept = 0;
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slots[i].id)
      continue;
    if (m->slots[i].gen == m->gen) {
      kept++;
      continue;
    }
    lx_func_memo_free(m->slots[i].memo);
    m->slots[i].id = 0;
  }
  m->n = kept;
  resize(m, m->cap); /* rehash: the emptied slots broke the probe chains */
  m->gen++;
}
