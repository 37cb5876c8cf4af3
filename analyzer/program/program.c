/* program.c - merges TU facts into one program: a node per function (by USR), the call
 * graph, what each call means (its catalogue entry, annotations and effects) and the
 * alias classes of each body.  The summaries (summaries.c) and the context (context.c)
 * are computed on top of it; build.c runs the three in order. */
#include "program/program.h"
#include "program/memos.h"
#include "program/stages.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

lx_fnode *lx_program_fn(const lx_program *p, const char *usr)
{
  return usr ? lx_map_get(&p->fns, usr) : NULL;
}

/* ---- what the program derives about each call ------------------------------------- */

static size_t ptr_slot(const void *p, size_t cap);

static const lx_call_info no_info = {NULL, NULL, NULL, 0, -1, 0, {{0, 0}}};

/* The last answer of call_info on this thread: passes walk a function's calls in order,
 * asking several things of each, so the next question is mostly of the same call or of
 * the next one, whose entry is the next one too (a function's entries are contiguous).
 * Named by the program's serial, not its address, which a later program may reuse. */
static _Thread_local struct {
  uint64_t serial;
  size_t at;
} last_info;

static lx_call_info *call_info(const lx_program *p, const lx_call *c)
{
  if (!p->call_cap)
    return NULL;
  if (last_info.serial == p->serial) {
    size_t at = last_info.at;
    if (p->call_info[at].call == c)
      return &p->call_info[at];
    if (at + 1 < p->ncall_info && p->call_info[at + 1].call == c) {
      last_info.at = at + 1;
      return &p->call_info[at + 1];
    }
  }
  for (size_t h = ptr_slot(c, p->call_cap); p->call_slot[h]; h = (h + 1) & (p->call_cap - 1))
    if (p->call_info[p->call_slot[h] - 1].call == c) {
      last_info.serial = p->serial;
      last_info.at = p->call_slot[h] - 1;
      return &p->call_info[p->call_slot[h] - 1];
    }
  return NULL;
}

const lx_call_info *lx_call_info_of(const lx_program *p, const lx_call *c)
{
  const lx_call_info *ci = call_info(p, c);
  return ci ? ci : &no_info;
}

/* A call_info entry for every call of every definition of the TUs, each function's
 * contiguous (a function a pool shares between TUs has one set). */
static void call_infos(lx_program *p)
{
  /* The distinct definitions with calls, in first-seen order: most function records of
   * a large program are a header's, the same object in every TU that has it
   * (facts_pool.h). */
  size_t nrec = 0, n = 0, seen_cap = 16;
  for (size_t t = 0; t < p->ntus; t++)
    nrec += p->tus[t]->funcs.n;
  while (seen_cap < 2 * nrec)
    seen_cap *= 2;
  const lx_func **seen = lx_xcalloc(seen_cap, sizeof(*seen));
  LX_VEC(const lx_func *) defs = {0};
  for (size_t t = 0; t < p->ntus; t++)
    for (size_t i = 0; i < p->tus[t]->funcs.n; i++) {
      const lx_func *f = p->tus[t]->funcs.v[i];
      size_t h = ptr_slot(f, seen_cap);
      while (seen[h] && seen[h] != f)
        h = (h + 1) & (seen_cap - 1);
      if (!seen[h] && f->is_def && f->calls.n) {
        lx_vec_push(&defs, f);
        n += f->calls.n;
      }
      seen[h] = f;
    }
  free(seen);
  if (n) {
    size_t cap = 16;
    while (cap < 2 * n)
      cap *= 2;
    p->call_info = lx_xcalloc(n, sizeof(*p->call_info));
    p->call_slot = lx_xcalloc(cap, sizeof(*p->call_slot));
    p->call_cap = cap;
  }
  for (size_t d = 0; d < defs.n; d++)
    for (size_t j = 0; j < defs.v[d]->calls.n; j++) {
      lx_call_info *ci = &p->call_info[p->ncall_info];
      ci->call = &defs.v[d]->calls.v[j];
      ci->spawn_arg = LX_SPAWN_UNKNOWN;
      size_t h = ptr_slot(ci->call, p->call_cap);
      while (p->call_slot[h])
        h = (h + 1) & (p->call_cap - 1);
      p->call_slot[h] = (uint32_t)++p->ncall_info;
    }
  lx_vec_free(&defs);
}

lx_fnode *lx_program_callee(const lx_program *p, const lx_call *c)
{
  return lx_call_info_of(p, c)->callee; /* resolved once by resolve_calls */
}

static lx_fnode *fnode_get(lx_program *p, lx_func *f)
{
  uint64_t usr_hash = lx_map_hash(f->usr);
  lx_fnode *n = lx_map_get_h(&p->fns, f->usr, usr_hash);
  if (!n) {
    n = lx_arena_alloc(&p->arena, sizeof(*n));
    n->usr = lx_map_put_h(&p->fns, f->usr, usr_hash, n);
    n->name = f->name;
    n->api = lx_config_api_h(p->cfg, f->name, lx_map_hash(f->name));
    n->index = (int)p->order.n;
    lx_vec_push(&p->order, n);
  }
  return n;
}

/* ---- call effects -------------------------------------------------------------- */

/* Whether path b (the base of an assigned member) is the struct a names. */
static int same_struct(const lx_path *b, const lx_path *a)
{
  if (!b || b->kind != a->kind)
    return 0;
  return b->kind == LX_PATH_PARAM ? b->index == a->index : b->key && a->key && !strcmp(b->key, a->key);
}

/* The last assignment in f before seq `before` of the member `field` of the struct a
 * names, or NULL. */
static const lx_assign *last_member_assign(const lx_func *f, const char *field, const lx_path *a, int before)
{
  size_t fl = strlen(field);
  const lx_assign *last = NULL;
  for (size_t i = 0; f && i < f->assigns.n; i++) {
    const lx_assign *as = &f->assigns.v[i];
    const lx_path *d = as->dst;
    if (d->kind != LX_PATH_FIELD || !d->key || as->seq >= before || !same_struct(d->base, a))
      continue;
    const char *at = strchr(d->key, '@'), *end = at ? at : d->key + strlen(d->key);
    if ((size_t)(end - d->key) <= fl || end[-(long)fl - 1] != '.' || strncmp(end - fl, field, fl))
      continue;
    if (!last || as->seq >= last->seq)
      last = as;
  }
  return last;
}

/* Whether the member `field` of the struct in path a is set before call c in f, with
 * a value that is one of api's when_is when it has any (else not a constant 0).  The
 * last setting before the call says (opts = initializer; opts.keepAliveInterval = 0):
 * an assignment in f, or in a helper f calls on the struct before
 * (fill_options(&opts) assigning o->keepAliveInterval). */
static int field_set(const lx_program *p, const lx_api *api, const lx_func *f, const lx_call *c, const lx_path *a)
{
  const lx_assign *last = last_member_assign(f, api->when_field, a, c->seq);
  int last_seq = last ? last->seq : -1;
  for (size_t i = 0; f && i < f->calls.n; i++) {
    const lx_call *h = &f->calls.v[i];
    const lx_fnode *hn = lx_call_info_of(p, h)->callee;
    const lx_func *g = hn ? hn->def : NULL;
    if (!g || g == f || h->seq >= c->seq || h->seq < last_seq)
      continue;
    for (int j = 0; j < h->nargs && j < g->nparams; j++) {
      if (!same_struct(h->args[j], a))
        continue;
      lx_path param = {0};
      param.kind = LX_PATH_PARAM;
      param.index = j + 1;
      const lx_assign *in = last_member_assign(g, api->when_field, &param, INT_MAX);
      if (in) {
        last = in;
        last_seq = h->seq;
      }
    }
  }
  if (!last)
    return 0;
  const lx_path *v = last->src;
  int hit = !api->nwhen && !(v->kind == LX_PATH_CONST && v->value == 0);
  for (int k = 0; k < api->nwhen && !hit; k++)
    hit = (v->kind == LX_PATH_CONST && v->name && !strcmp(v->name, api->when_is[k])) ||
          lx_path_sets_flag(v, api->when_is[k]);
  return hit;
}

/* Whether the property list from argument `from` (name, value, ..., NULL) gives the
 * property api->when_property a value other than the constant 0; a list that does not
 * name it holds when api->when_default.  A name that is not a literal ends what can be
 * read: it holds then only by default. */
static int property_set(const lx_api *api, const lx_call *c, int from)
{
  for (int i = from - 1; i + 1 < c->nargs; i += 2) {
    const lx_path *nm = c->args[i];
    if (nm->kind != LX_PATH_STRING || !nm->name)
      break;
    const char *t = nm->name[0] == '"' ? nm->name + 1 : nm->name; /* the literal's spelling */
    size_t n = strlen(api->when_property);
    if (!strncmp(t, api->when_property, n) && (t[n] == '"' || !t[n])) {
      const lx_path *v = c->args[i + 1];
      return !(v->kind == LX_PATH_CONST && v->value == 0);
    }
  }
  return api->when_default;
}

int lx_api_holds(const lx_program *p, const lx_api *api, const lx_func *f, const lx_call *c)
{
  if (api->when_arg) {
    if (api->when_arg > c->nargs)
      return 0;
    const lx_path *a = c->args[api->when_arg - 1];
    if (api->when_property) {
      if (!property_set(api, c, api->when_arg))
        return 0;
    } else if (api->when_field) {
      if (!field_set(p, api, f, c, a))
        return 0;
    } else if (api->nwhen) {
      int hit = 0;
      char num[32];
      snprintf(num, sizeof(num), "%lld", a->value);
      for (int i = 0; i < api->nwhen && !hit; i++) {
        if (a->kind == LX_PATH_CONST)
          hit = (a->name && !strcmp(a->name, api->when_is[i])) || !strcmp(num, api->when_is[i]);
        hit = hit || lx_path_sets_flag(a, api->when_is[i]);
      }
      if (!hit)
        return 0;
    }
    if (api->ncontains) {
      /* A literal cut short in the facts may hold the text past the cut. */
      int hit = a->kind == LX_PATH_STRING && a->name && strlen(a->name) >= 60;
      for (int i = 0; i < api->ncontains && !hit; i++)
        hit = a->kind == LX_PATH_STRING && a->name && strstr(a->name, api->when_contains[i]);
      if (!hit)
        return 0;
    }
  }
  if (api->nonzero_arg) {
    if (api->nonzero_arg > c->nargs)
      return 0;
    const lx_path *a = c->args[api->nonzero_arg - 1];
    if (a->kind == LX_PATH_CONST && a->value == 0)
      return 0;
  }
  if (api->negative_arg) {
    if (api->negative_arg > c->nargs)
      return 0;
    const lx_path *a = c->args[api->negative_arg - 1];
    if (a->kind != LX_PATH_CONST || a->value >= 0)
      return 0;
  }
  return 1;
}

const lx_api *lx_call_api(const lx_program *p, const lx_call *c)
{
  return lx_call_info_of(p, c)->api;
}

/* Resolves every call once: its callee node, its catalogue entry, and the annotations
 * in force (the callee's attributes, then the catalogue's when its `when` holds). */
static void resolve_calls(lx_program *p, lx_func *f)
{
  for (size_t j = 0; j < f->calls.n; j++) {
    const lx_call *c = &f->calls.v[j];
    lx_call_info *ci = call_info(p, c);
    ci->callee = c->callee ? lx_map_get_h(&p->fns, c->callee, lx_map_hash(c->callee)) : NULL;
    ci->name_hash = c->callee_name ? lx_map_hash(c->callee_name) : 0;
    ci->api = ci->callee ? ci->callee->api
              : c->callee ? lx_config_api_h(p->cfg, c->callee_name, ci->name_hash)
                          : NULL;
    int n = 0;
    const int max = (int)(sizeof(ci->effects) / sizeof(ci->effects[0]));
    for (size_t i = 0; ci->callee && i < ci->callee->annots.n && n < max; i++)
      ci->effects[n++] = (lx_annot_lite){(unsigned char)ci->callee->annots.v[i].kind,
                                         (unsigned char)ci->callee->annots.v[i].arg};
    for (const lx_api *api = ci->api; api; api = api->next) {
      if (!lx_api_holds(p, api, f, c))
        continue;
      for (int i = 0; i < api->nannots && n < max; i++)
        ci->effects[n++] = (lx_annot_lite){(unsigned char)api->annots[i].kind, (unsigned char)api->annots[i].arg};
      /* Connecting the handle in an argument blocks on it (a connect timeout is the
       * client rule's to read: it bounds the connect, not what follows). */
      if (api->connects > 0 && n < max)
        ci->effects[n++] = (lx_annot_lite){LX_ANN_BLOCKS, (unsigned char)api->connects};
    }
    ci->neffects = (unsigned char)n;
    ci->spawn_arg = LX_SPAWN_UNKNOWN;
  }
}

const lx_annot_lite *lx_call_effects(const lx_program *p, const lx_call *c, int *n)
{
  const lx_call_info *ci = lx_call_info_of(p, c);
  *n = ci->neffects;
  return ci->effects;
}

int lx_call_annots(const lx_program *p, const lx_call *c, lx_annot *out, int max)
{
  int ne, n = 0;
  const lx_annot_lite *e = lx_call_effects(p, c, &ne);
  for (int i = 0; i < ne && n < max; i++)
    out[n++] = (lx_annot){(lx_ann_kind)e[i].kind, e[i].arg};
  return n;
}

int lx_call_has(const lx_program *p, const lx_call *c, lx_ann_kind k, int *arg)
{
  int ne;
  const lx_annot_lite *e = lx_call_effects(p, c, &ne);
  for (int i = 0; i < ne; i++)
    if (e[i].kind == k) {
      if (arg)
        *arg = e[i].arg;
      return 1;
    }
  return 0;
}

int lx_path_sets_flag(const lx_path *a, const char *flag)
{
  if (a->kind == LX_PATH_CONST && a->name && !strcmp(a->name, flag))
    return 1;
  size_t n = strlen(flag);
  for (const char *f = a->flags; f && (f = strstr(f, flag)); f += n)
    if (f > a->flags && f[-1] == '+' && (f[n] == '\0' || f[n] == '+' || f[n] == '-'))
      return 1;
  return 0;
}

int lx_path_clears_flag(const lx_path *a, const char *flag)
{
  size_t n = strlen(flag);
  for (const char *f = a->flags; f && (f = strstr(f, flag)); f += n)
    if (f > a->flags && f[-1] == '-' && (f[n] == '\0' || f[n] == '+' || f[n] == '-'))
      return 1;
  return 0;
}

int lx_name_in(const char *name, const char *const *list)
{
  for (int i = 0; name && list[i]; i++)
    if (name[0] == list[i][0] && !strcmp(name, list[i]))
      return 1;
  return 0;
}

int lx_call_is(const lx_program *p, const lx_call *c, lx_kind k)
{
  if (!c->callee_name || !p->cfg)
    return 0;
  uint64_t h = lx_call_info_of(p, c)->name_hash;
  return lx_config_is(p->cfg, c->callee_name, h ? h : lx_map_hash(c->callee_name), k);
}

void lx_key_undo_deref(char *key)
{
  size_t n = strlen(key);
  if (n && key[n - 1] == '*')
    key[n - 1] = '\0';
}

/* ---- alias classes ------------------------------------------------------------- */

/* Writes prefix, then s (NULL: the decimal number num), then suffix into buf; returns
 * buf, truncated to n as snprintf would. */
static const char *key_join(char *buf, size_t n, const char *prefix, const char *s, int num, const char *suffix)
{
  char digits[16];
  if (!s) {
    char *d = digits + sizeof(digits);
    unsigned u = num < 0 ? 0U - (unsigned)num : (unsigned)num;
    *--d = '\0';
    do
      *--d = (char)('0' + u % 10);
    while ((u /= 10));
    if (num < 0)
      *--d = '-';
    s = d;
  }
  size_t at = 0;
  const char *parts[3] = {prefix, s, suffix};
  for (int i = 0; i < 3 && n; i++)
    for (const char *c = parts[i]; *c && at + 1 < n; c++)
      buf[at++] = *c;
  if (n)
    buf[at] = '\0';
  return buf;
}

const char *lx_path_key(const lx_path *p, char *buf, size_t n)
{
  const char *star = p->deref && !p->addr_of ? "*" : "";
  switch (p->kind) {
  case LX_PATH_LOCAL:
    return key_join(buf, n, "L:", p->key ? p->key : "(null)", 0, star);
  case LX_PATH_GLOBAL:
    return key_join(buf, n, "G:", p->key ? p->key : "(null)", 0, star);
  case LX_PATH_PARAM:
    return key_join(buf, n, "P:", NULL, p->index, star);
  case LX_PATH_FIELD:
    return key_join(buf, n, "F:", p->key ? p->key : "(null)", 0, "");
  case LX_PATH_CALL:
    return key_join(buf, n, "C:", NULL, p->index, "");
  case LX_PATH_RETURN:
    return key_join(buf, n, "R", "", 0, "");
  default:
    return NULL;
  }
}

static int uf_find(int *parent, int i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static int key_id(lx_map *m, const char *key, int *count)
{
  intptr_t v = (intptr_t)lx_map_get(m, key);
  if (!v) {
    v = ++*count;
    lx_map_put(m, key, (void *)v);
  }
  return (int)v - 1;
}

static size_t ptr_slot(const void *p, size_t cap)
{
  uintptr_t x = (uintptr_t)p;
  x ^= x >> 17;
  x *= 0x9e3779b97f4a7c15ULL;
  return (size_t)(x >> 20) & (cap - 1);
}

/* A path of the facts with its class, and where it came in the walk over them. */
typedef struct {
  const lx_path *path;
  int cls;
  size_t k;
} path_class_at;

static int by_address_then_walk(const void *a, const void *b)
{
  const path_class_at *x = a, *y = b;
  uintptr_t px = (uintptr_t)x->path, py = (uintptr_t)y->path;
  return px != py ? (px < py ? -1 : 1) : x->k < y->k ? -1 : x->k > y->k;
}

/* The alias classes of f's body, and the class of each path in its facts. */
lx_func_memo *lx_func_memo_build(const lx_func *f)
{
  lx_func_memo *al = lx_xcalloc(1, sizeof(*al));
  lx_map ids;
  lx_map_init(&ids);
  int count = 0;
  char b1[512];
  /* Every path of the facts once, in this order, with its key's id: -1 no key, -2 a
   * pointer called through by a direct call (looked up, not numbered). */
  size_t npaths = 2 * f->assigns.n;
  for (size_t i = 0; i < f->calls.n; i++)
    npaths += (size_t)f->calls.v[i].nargs + 1;
  const lx_path **paths = lx_xmalloc(sizeof(*paths) * (npaths ? npaths : 1));
  int *pid = lx_xmalloc(sizeof(int) * (npaths ? npaths : 1));
  size_t np = 0;
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    const lx_path *two[2] = {a->dst, a->src};
    for (int k = 0; k < 2; k++) {
      paths[np] = two[k];
      pid[np++] = lx_path_key(two[k], b1, sizeof(b1)) ? key_id(&ids, b1, &count) : -1;
    }
  }
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    for (int j = 0; j < c->nargs; j++) {
      paths[np] = c->args[j];
      pid[np++] = lx_path_key(c->args[j], b1, sizeof(b1)) ? key_id(&ids, b1, &count) : -1;
    }
    const lx_path *fp = lx_call_fnptr(c);
    paths[np] = fp;
    pid[np++] = c->callee ? -2 : lx_path_key(fp, b1, sizeof(b1)) ? key_id(&ids, b1, &count) : -1;
  }
  int *param_id = lx_xmalloc(sizeof(int) * (size_t)(f->nparams + 1));
  param_id[0] = -1;
  for (int j = 1; j <= f->nparams; j++) {
    lx_path pp = {0};
    pp.kind = LX_PATH_PARAM;
    pp.index = j;
    param_id[j] = key_id(&ids, lx_path_key(&pp, b1, sizeof(b1)), &count);
  }
  int *parent = lx_xmalloc(sizeof(int) * (size_t)(count ? count : 1));
  for (int i = 0; i < count; i++)
    parent[i] = i;
  for (size_t i = 0; i < f->assigns.n; i++) {
    int x = pid[2 * i], y = pid[2 * i + 1];
    if (x < 0 || y < 0 || f->assigns.v[i].src->kind == LX_PATH_FUNC)
      continue;
    x = uf_find(parent, x);
    y = uf_find(parent, y);
    if (x != y)
      parent[x] = y;
  }
  /* Number the classes densely. */
  int *dense = lx_xmalloc(sizeof(int) * (size_t)(count ? count : 1));
  for (int i = 0; i < count; i++)
    dense[i] = -1;
  int nclasses = 0;
  /* The map orders the members (and so the walks over them) as it always has; what
   * stays is the keys in one block and a table of ints to find them. */
  lx_map key2class;
  lx_map_init(&key2class);
  for (size_t i = 0; i < ids.cap; i++) {
    if (!ids.keys[i])
      continue;
    int r = uf_find(parent, (int)(intptr_t)ids.vals[i] - 1);
    if (dense[r] < 0)
      dense[r] = nclasses++;
    lx_map_put(&key2class, ids.keys[i], (void *)(intptr_t)(dense[r] + 1));
  }
  al->nclasses = nclasses;
  /* Members per class, so that walking a class costs its size, not the map's. */
  al->class_start = lx_xcalloc((size_t)nclasses + 1, sizeof(int));
  al->members = lx_xcalloc((size_t)(count ? count : 1), sizeof(char *));
  size_t text_len = 0;
  for (size_t i = 0; i < key2class.cap; i++)
    if (key2class.keys[i]) {
      al->class_start[(intptr_t)key2class.vals[i]]++; /* class id + 1 */
      const char *k = key2class.keys[i];
      size_t len = strlen(k) + 1;
      /* the object of a field's or global's element ("F:struct conn.buf*") too */
      text_len += (k[0] == 'F' || k[0] == 'G') && len > 1 && k[len - 2] == '*' ? 2 * len : len;
    }
  for (int c = 0; c < nclasses; c++)
    al->class_start[c + 1] += al->class_start[c];
  al->text = lx_xmalloc(text_len ? text_len : 1);
  char *text = al->text;
  int *fill = lx_xcalloc((size_t)nclasses + 1, sizeof(int));
  int *slot_member = lx_xmalloc(sizeof(int) * (key2class.cap ? key2class.cap : 1));
  for (size_t i = 0; i < key2class.cap; i++)
    if (key2class.keys[i]) {
      int c = (int)(intptr_t)key2class.vals[i] - 1;
      int at = al->class_start[c] + fill[c]++;
      size_t len = strlen(key2class.keys[i]) + 1;
      al->members[at] = memcpy(text, key2class.keys[i], len);
      text += len;
      slot_member[i] = at;
    }
  free(fill);
  for (al->key_cap = 4; al->key_cap < (size_t)count * 2; al->key_cap *= 2)
    ;
  al->key_slot = lx_xcalloc(al->key_cap, sizeof(int));
  for (int i = 0; i < count; i++) {
    size_t h = (size_t)lx_map_hash(al->members[i]) & (al->key_cap - 1);
    while (al->key_slot[h])
      h = (h + 1) & (al->key_cap - 1);
    al->key_slot[h] = i + 1;
  }
  al->decoded = lx_xcalloc((size_t)(count ? count : 1), sizeof(lx_member));
  for (int i = 0; i < count; i++) {
    const char *k = al->members[i];
    lx_member *m = &al->decoded[i];
    size_t len = strlen(k);
    m->kind = k[0];
    m->deref = len && k[len - 1] == '*';
    m->index = k[0] == 'C' || k[0] == 'P' ? atoi(k + 2) : -1;
    if (k[0] == 'F' || k[0] == 'G') {
      if (m->deref) {
        char *o = memcpy(text, k, len + 1);
        text += len + 1;
        lx_key_undo_deref(o);
        m->object = o;
      } else {
        m->object = k;
      }
      m->key_hash = lx_map_hash(k);
      m->object_hash = m->deref ? lx_map_hash(m->object) : m->key_hash;
    }
  }
  al->class_has = lx_xcalloc((size_t)nclasses + 1, 1);
  for (int c = 0; c < nclasses; c++)
    for (int i = al->class_start[c]; i < al->class_start[c + 1]; i++)
      al->class_has[c] |= al->decoded[i].kind == 'C' ? LX_HAS_CALL : al->decoded[i].object ? LX_HAS_LOC : 0;
  al->param_class = lx_xmalloc(sizeof(int) * (size_t)(f->nparams + 1));
  al->param_class[0] = -1;
  for (int j = 1; j <= f->nparams; j++)
    al->param_class[j] = dense[uf_find(parent, param_id[j])];
  al->ret_class = (int)(intptr_t)lx_map_get(&key2class, "R") - 1;
  size_t nfg = 0; /* fields and globals are a few of the keys: room for them alone */
  for (int i = 0; i < count; i++)
    nfg += al->decoded[i].kind == 'F' || al->decoded[i].kind == 'G';
  al->fg_keys = lx_xcalloc(nfg ? nfg : 1, sizeof(char *));
  al->fg_class = lx_xcalloc(nfg ? nfg : 1, sizeof(int));
  al->fg_hash = lx_xcalloc(nfg ? nfg : 1, sizeof(uint64_t));
  for (size_t i = 0; i < key2class.cap; i++) {
    const char *k = key2class.keys[i];
    if (k && (k[0] == 'F' || k[0] == 'G')) {
      al->fg_keys[al->nfg] = al->members[slot_member[i]];
      al->fg_hash[al->nfg] = key2class.hashes[i];
      al->fg_class[al->nfg++] = (int)(intptr_t)key2class.vals[i] - 1;
    }
  }
  free(slot_member);
  lx_map_free(&key2class);
  /* socket(..., SOCK_STREAM | SOCK_NONBLOCK, 0), accept4(..., SOCK_NONBLOCK): the new
   * descriptor is non-blocking from the start. */
  static const char *const nonblocking_at_birth[] = {"socket", "accept4", NULL};
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    int hit = 0;
    for (int j = 0; c->callee && lx_name_in(c->callee_name, nonblocking_at_birth) && j < c->nargs && !hit; j++)
      hit = lx_path_sets_flag(c->args[j], "SOCK_NONBLOCK");
    if (hit) {
      al->nonblocking_calls = lx_xrealloc(al->nonblocking_calls, sizeof(int) * (size_t)(al->nnonblocking + 1));
      al->nonblocking_calls[al->nnonblocking++] = (int)i;
    }
  }
  /* The class of each distinct path (a pooled path is one object wherever it is
   * written), sorted by address; where one is met twice, the later meeting's class. */
  path_class_at *pcs = lx_xmalloc(sizeof(*pcs) * (np ? np : 1));
  for (size_t k = 0; k < np; k++) {
    int id = pid[k];
    if (id == -2) /* numbered by another path, or by none */
      id = lx_path_key(paths[k], b1, sizeof(b1)) ? (int)(intptr_t)lx_map_get(&ids, b1) - 1 : -1;
    pcs[k] = (path_class_at){paths[k], id >= 0 ? dense[uf_find(parent, id)] : -1, k};
  }
  qsort(pcs, np, sizeof(*pcs), by_address_then_walk);
  size_t distinct = 0;
  for (size_t k = 0; k < np; k++)
    if (k + 1 == np || pcs[k + 1].path != pcs[k].path)
      pcs[distinct++] = pcs[k];
  al->npaths = distinct;
  al->path_at = lx_xmalloc(sizeof(*al->path_at) * (distinct ? distinct : 1));
  al->path_class = lx_xmalloc(sizeof(*al->path_class) * (distinct ? distinct : 1));
  for (size_t k = 0; k < distinct; k++) {
    al->path_at[k] = pcs[k].path;
    al->path_class[k] = pcs[k].cls;
  }
  free(pcs);
  free(paths);
  free(pid);
  free(param_id);
  free(dense);
  free(parent);
  lx_map_free(&ids);
  return al;
}

void lx_func_memo_free(lx_func_memo *m)
{
  if (!m)
    return;
  free(m->key_slot);
  free(m->text);
  free(m->members);
  free(m->class_start);
  free(m->class_has);
  free(m->decoded);
  free(m->param_class);
  free(m->path_at);
  free(m->path_class);
  free(m->fg_keys);
  free(m->fg_class);
  free(m->fg_hash);
  free(m->nonblocking_calls);
  free(m->loop_input);
  free(m->handler_sites);
  free(m);
}

static void alias_build(lx_program *p, lx_fnode *fn)
{
  lx_alias *al = &fn->alias;
  al->m = lx_memos_get(p->memos, fn->def);
  al->nclasses = al->m->nclasses;
}

/* The class of the member whose key is key, or -1. */
static int key_class(const lx_func_memo *m, const char *key)
{
  size_t mask = m->key_cap - 1;
  for (size_t h = (size_t)lx_map_hash(key) & mask; m->key_slot[h]; h = (h + 1) & mask) {
    int i = m->key_slot[h] - 1;
    if (strcmp(m->members[i], key) != 0)
      continue;
    int lo = 0, hi = m->nclasses - 1; /* the class whose range holds member i */
    while (lo < hi) {
      int mid = (lo + hi + 1) / 2;
      if (m->class_start[mid] <= i)
        lo = mid;
      else
        hi = mid - 1;
    }
    return lo;
  }
  return -1;
}

int lx_alias_class(const lx_fnode *fn, const lx_path *path)
{
  if (!fn->def)
    return -1;
  const lx_func_memo *m = fn->alias.m;
  size_t lo = 0, hi = m->npaths;
  while (lo < hi) { /* the first path at or above path's address */
    size_t mid = lo + (hi - lo) / 2;
    if ((uintptr_t)m->path_at[mid] < (uintptr_t)path)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < m->npaths && m->path_at[lo] == path)
    return m->path_class[lo];
  if (path->kind == LX_PATH_PARAM && !(path->deref && !path->addr_of) && path->index >= 1 &&
      path->index <= fn->def->nparams)
    return m->param_class[path->index];
  if (path->kind == LX_PATH_RETURN)
    return m->ret_class;
  char buf[512];
  if (!lx_path_key(path, buf, sizeof(buf)))
    return -1;
  return key_class(m, buf);
}

int lx_alias_param_class(const lx_fnode *fn, int param)
{
  if (fn->def && param >= 1 && param <= fn->def->nparams)
    return fn->alias.m->param_class[param];
  lx_path pp = {0};
  pp.kind = LX_PATH_PARAM;
  pp.index = param;
  return lx_alias_class(fn, &pp);
}

int lx_alias_return_class(const lx_fnode *fn) { return fn->def ? fn->alias.m->ret_class : -1; }

const lx_member *lx_alias_members(const lx_fnode *fn, int cls, size_t *n)
{
  const lx_func_memo *al = fn->alias.m;
  if (!fn->def || cls < 0 || cls >= al->nclasses) {
    *n = 0;
    return NULL;
  }
  *n = (size_t)(al->class_start[cls + 1] - al->class_start[cls]);
  return al->decoded + al->class_start[cls];
}

const char *const *lx_alias_member_keys(const lx_fnode *fn, int cls)
{
  const lx_func_memo *al = fn->alias.m;
  return !fn->def || cls < 0 || cls >= al->nclasses ? NULL : al->members + al->class_start[cls];
}

const char *lx_alias_next_key(const lx_fnode *fn, int cls, size_t *it)
{
  const lx_func_memo *al = fn->alias.m;
  if (!fn->def || cls < 0 || cls >= al->nclasses)
    return NULL;
  size_t i = (size_t)al->class_start[cls] + *it;
  if (i >= (size_t)al->class_start[cls + 1])
    return NULL;
  (*it)++;
  return al->members[i];
}

int lx_alias_param(const lx_fnode *fn, int cls)
{
  size_t it = 0;
  const char *k;
  int best = 0;
  while ((k = lx_alias_next_key(fn, cls, &it)))
    if (k[0] == 'P' && !strchr(k, '*')) {
      int i = atoi(k + 2);
      if (!best || i < best)
        best = i;
    }
  return best;
}

int lx_loop_contains(const lx_func *f, int outer, int inner)
{
  for (int l = inner; l >= 0; l = f->loops.v[l].parent)
    if (l == outer)
      return 1;
  return 0;
}

int lx_api_is_socket(const lx_api *api)
{
  return api && api->library && (!strcmp(api->library, "sockets") || !strcmp(api->library, "openssl"));
}

int lx_call_dontwait(const lx_call *c)
{
  for (int a = 0; a < c->nargs; a++)
    if (lx_path_sets_flag(c->args[a], "MSG_DONTWAIT"))
      return 1;
  return 0;
}

void lx_mark_callers(const lx_fnode *fn, char *dirty)
{
  for (size_t k = 0; k < fn->callers.n; k++)
    dirty[fn->callers.v[k].fn->index] = 1;
}

void lx_mark_callees(const lx_fnode *fn, char *dirty)
{
  for (size_t j = 0; fn->def && j < fn->def->calls.n; j++)
    if (fn->calls[j].callee)
      dirty[fn->calls[j].callee->index] = 1;
}

void lx_fixed_point(const lx_program *p, char *dirty, int max_rounds, lx_pass_fn pass, void *arg)
{
  memset(dirty, 1, p->order.n);
  for (int round = 0, changed = 1; changed && round < max_rounds; round++) {
    changed = 0;
    for (size_t i = 0; i < p->order.n; i++) {
      if (!dirty[i])
        continue;
      dirty[i] = 0;
      changed |= pass(arg, p->order.v[i], dirty);
    }
  }
}

lx_program *lx_program_graph(lx_tu_facts **tus, size_t ntus, const lx_config *cfg, struct lx_memos *memos)
{
  static _Atomic uint64_t next_serial = 1;
  lx_program *p = lx_xcalloc(1, sizeof(*p));
  p->serial = atomic_fetch_add(&next_serial, 1);
  p->own_memos = !memos;
  p->memos = memos ? memos : lx_memos_new();
  lx_arena_init(&p->arena);
  lx_arena_init(&p->bottom_arena);
  p->cfg = cfg;
  p->tus = tus;
  p->ntus = ntus;
  size_t nfuncs = 0;
  for (size_t t = 0; t < ntus; t++)
    nfuncs += tus[t]->funcs.n;
  lx_map_init_borrowed(&p->fns, nfuncs); /* keys: the facts' USRs, or in p->arena */
  lx_map_init(&p->timed_locs);
  lx_map_init(&p->zero_defaults);
  lx_map_init(&p->field_origin);
  lx_map_init(&p->origin_fn);
  for (size_t t = 0; t < ntus; t++) {
    for (size_t i = 0; i < tus[t]->funcs.n; i++) {
      lx_func *f = tus[t]->funcs.v[i];
      lx_fnode *n = fnode_get(p, f);
      for (size_t j = 0; j < f->annots.n; j++) {
        int dup = 0;
        for (size_t k = 0; k < n->annots.n; k++)
          dup |= n->annots.v[k].kind == f->annots.v[j].kind && n->annots.v[k].arg == f->annots.v[j].arg;
        if (!dup)
          lx_vec_push(&n->annots, f->annots.v[j]);
      }
      if (f->is_def && !n->def) {
        n->def = f;
      } else if (f->is_def && (n->def->loc.line != f->loc.line || !n->def->loc.file || !f->loc.file ||
                               strcmp(n->def->loc.file, f->loc.file))) {
        /* Two different bodies for one name: two programs in one database (memcached's
         * main and its test app's main).  Keep both, the second under its own key; the
         * same body seen twice (a header's static inline) is kept once. */
        char key[1024];
        snprintf(key, sizeof(key), "%s#%s:%u", f->usr, f->loc.file ? f->loc.file : "", f->loc.line);
        if (!lx_map_get(&p->fns, key)) {
          lx_fnode *d = lx_arena_alloc(&p->arena, sizeof(*d));
          d->usr = lx_map_put(&p->fns, lx_arena_strdup(&p->arena, key), d);
          d->name = f->name;
          d->api = n->api;
          d->index = (int)p->order.n;
          d->def = f;
          lx_vec_push(&p->order, d);
        }
      }
    }
  }
  call_infos(p);
  for (size_t t = 0; t < ntus; t++)
    for (size_t i = 0; i < tus[t]->funcs.n; i++)
      if (tus[t]->funcs.v[i]->is_def)
        resolve_calls(p, tus[t]->funcs.v[i]);
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    if (fn->def && fn->def->calls.n)
      fn->calls = call_info(p, &fn->def->calls.v[0]);
  }
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    if (!fn->def)
      continue;
    alias_build(p, fn);
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      lx_fnode *callee = lx_program_callee(p, &fn->def->calls.v[j]);
      if (callee)
        callee->callers.cap++; /* counted first, then filled in the arena */
    }
  }
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    fn->callers.v = fn->callers.cap ? lx_arena_alloc(&p->arena, sizeof(lx_site) * fn->callers.cap) : NULL;
  }
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    for (size_t j = 0; fn->def && j < fn->def->calls.n; j++) {
      lx_fnode *callee = lx_program_callee(p, &fn->def->calls.v[j]);
      if (callee)
        callee->callers.v[callee->callers.n++] = (lx_site){fn, (int)j};
    }
  }
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    for (size_t k = 0; k < fn->annots.n; k++)
      if (fn->annots.v[k].kind == LX_ANN_BOUNDED)
        fn->bounded_fn = 1; /* before the threads: a bit beside thread_entry */
  }
  return p;
}

void lx_program_free(lx_program *p)
{
  if (!p)
    return;
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    lx_vec_free(&fn->annots); /* the rest is in the arena */
  }
  lx_vec_free(&p->order);
  lx_map_free(&p->fns);
  lx_map_free(&p->timed_locs);
  lx_map_free(&p->zero_defaults);
  lx_map_free(&p->field_origin);
  lx_map_free(&p->origin_fn);
  free(p->call_info);
  free(p->call_slot);
  if (p->own_memos)
    lx_memos_free(p->memos);
  lx_arena_free(&p->arena);
  lx_arena_free(&p->bottom_arena);
  free(p);
}
