/* facts.c - lifetime of TU facts and the small helpers on them. */
#include "facts/facts.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const lx_path lx_path_none;

static const char *const ann_names[LX_ANN_COUNT] = {
    [LX_ANN_SPAWNS] = "spawns",   [LX_ANN_BOUNDED] = "bounded", [LX_ANN_RECEIVES] = "receives",
    [LX_ANN_CLOSES] = "closes",   [LX_ANN_TIMEOUT] = "timeout", [LX_ANN_BLOCKS] = "blocks",
    [LX_ANN_DEADLINE] = "deadline", [LX_ANN_JOINS] = "joins",     [LX_ANN_HANDLER] = "handler",
};

/* Identities of functions' and TUs' facts: one sequence, never reused. */
static _Atomic uint64_t next_id = 1;

lx_tu_facts *lx_facts_new(const char *main_file)
{
  lx_tu_facts *f = lx_xcalloc(1, sizeof(*f));
  f->id = atomic_fetch_add(&next_id, 1);
  lx_arena_init(&f->arena);
  f->main_file = main_file ? lx_arena_strdup(&f->arena, main_file) : NULL;
  return f;
}

void lx_func_identify(lx_func *fn) { fn->id = atomic_fetch_add(&next_id, 1); }

void lx_func_clear(lx_func *fn)
{
  lx_vec_free(&fn->annots);
  lx_vec_free(&fn->calls);
  lx_vec_free(&fn->assigns);
  lx_vec_free(&fn->loops);
  lx_vec_free(&fn->branches);
}

void lx_facts_free(lx_tu_facts *f)
{
  if (!f)
    return;
  for (size_t i = 0; i < f->funcs.n; i++)
    if (!f->funcs.v[i]->pooled)
      lx_func_clear(f->funcs.v[i]);
  lx_vec_free(&f->funcs);
  lx_vec_free(&f->global_inits);
  lx_arena_free(&f->arena);
  free(f);
}

int lx_path_same(const lx_path *a, const lx_path *b)
{
  return a->kind == b->kind && a->addr_of == b->addr_of && a->deref == b->deref && a->index == b->index &&
         a->value == b->value && a->key == b->key && a->name == b->name && a->type == b->type &&
         a->flags == b->flags && a->base == b->base;
}

const lx_path *lx_path_store(lx_arena *arena, const lx_path *p)
{
  if (lx_path_same(p, &lx_path_none))
    return &lx_path_none;
  lx_path *copy = lx_arena_alloc(arena, sizeof(*copy));
  *copy = *p;
  return copy;
}

lx_cond lx_cond_store(lx_arena *arena, const lx_cond_buf *b)
{
  lx_cond c = {b->n, b->disj, NULL};
  if (b->n > 0) {
    lx_atom *a = lx_arena_alloc(arena, sizeof(lx_atom) * (size_t)b->n);
    for (int i = 0; i < b->n; i++)
      a[i] = (lx_atom){b->a[i].op, lx_path_store(arena, &b->a[i].lhs), lx_path_store(arena, &b->a[i].rhs)};
    c.a = a;
  }
  return c;
}

const char *lx_ann_name(lx_ann_kind k) { return k < LX_ANN_COUNT ? ann_names[k] : "?"; }

int lx_ann_parse(const char *s, lx_annot *out)
{
  if (strncmp(s, "leash:", 6) != 0)
    return -1;
  s += 6;
  for (int k = 0; k < LX_ANN_COUNT; k++) {
    size_t n = strlen(ann_names[k]);
    if (strncmp(s, ann_names[k], n) != 0)
      continue;
    const char *rest = s + n;
    if (k == LX_ANN_BOUNDED) {
      if (*rest)
        return -1;
      out->kind = LX_ANN_BOUNDED;
      out->arg = 0;
      return 0;
    }
    if (*rest != ':')
      return -1;
    char *end;
    long v = strtol(rest + 1, &end, 10);
    if (end == rest + 1 || *end || v < 1 || v > 64)
      return -1;
    out->kind = (lx_ann_kind)k;
    out->arg = (int)v;
    return 0;
  }
  return -1;
}

const char *lx_path_str(const lx_path *p, char *buf, size_t n)
{
  switch (p->kind) {
  case LX_PATH_LOCAL:
  case LX_PATH_GLOBAL:
  case LX_PATH_FUNC:
    snprintf(buf, n, "%s%s", p->addr_of ? "&" : "", p->name ? p->name : "?");
    break;
  case LX_PATH_PARAM:
    if (p->name && *p->name)
      snprintf(buf, n, "%s", p->name);
    else
      snprintf(buf, n, "parameter %d", p->index);
    break;
  case LX_PATH_FIELD:
    snprintf(buf, n, "%s", p->name ? p->name : p->key ? p->key : "?");
    break;
  case LX_PATH_CONST:
    if (p->name)
      snprintf(buf, n, "%s", p->name);
    else
      snprintf(buf, n, "%lld", p->value);
    break;
  case LX_PATH_STRING:
    snprintf(buf, n, "\"%s\"", p->name ? p->name : "");
    break;
  case LX_PATH_CALL:
    snprintf(buf, n, "result of %s()", p->name ? p->name : "call");
    break;
  case LX_PATH_RETURN:
    snprintf(buf, n, "return value");
    break;
  default:
    snprintf(buf, n, "expression");
  }
  return buf;
}
