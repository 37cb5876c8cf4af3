/* summaries.c - the bottom-up summaries: which parameters a function sets a timeout
 * on, which it blocks on, whether it returns a configured handle, which polls guard
 * its reads; and the queries on them (a timeout before a call, the blocking call behind
 * a wrapper, where a value was created). */
#include "program/summaries.h"
#include "program/stages.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOT_TIMED INT32_MAX
#define ALWAYS_TIMED (-1)

static int class_globally_timed(const lx_program *p, const lx_fnode *fn, int cls)
{
  size_t n;
  const lx_member *m = lx_alias_members(fn, cls, &n);
  const char *const *keys = lx_alias_member_keys(fn, cls);
  for (size_t i = 0; i < n; i++)
    if ((m[i].kind == 'F' || m[i].kind == 'G') && lx_map_get_h(&p->timed_locs, keys[i], m[i].key_hash))
      return 1;
  return 0;
}

/* Is the value of class cls made anew inside loop li (fd = accept() each pass)? */
static int created_in_loop(const lx_fnode *fn, int cls, int li)
{
  size_t it = 0;
  const char *k;
  while ((k = lx_alias_next_key(fn, cls, &it)))
    if (k[0] == 'C' && lx_loop_contains(fn->def, li, fn->def->calls.v[atoi(k + 2)].loop))
      return 1;
  return 0;
}

/* Whether class cls has a timeout just before seq (NOT_TIMED: at the end of the
 * function), as far as the function's own calls say: the last call that took it away
 * (memcached_behavior_set(m, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, -1)) counts only the
 * timeouts set after it. */
static int timed_at(const lx_alias *al, int cls, int seq)
{
  if (al->untimed_seq[cls] >= 0 && al->untimed_seq[cls] < seq)
    return al->retimed_seq[cls] < seq;
  return al->timed_seq[cls] < seq;
}

/* Whether class cls was taken its timeout before seq and not given one again. */
static int untimed_at(const lx_alias *al, int cls, int seq)
{
  return al->untimed_seq[cls] >= 0 && al->untimed_seq[cls] < seq && al->retimed_seq[cls] >= seq;
}

int lx_timed_before(const lx_program *p, const lx_fnode *fn, int cls, const lx_call *c)
{
  if (cls < 0)
    return 0;
  if (untimed_at(&fn->alias, cls, c->seq))
    return 0;
  int seq = fn->alias.timed_seq[cls];
  if (seq != NOT_TIMED) {
    if (seq < c->seq)
      return 1;
    int tl = fn->alias.timed_loop[cls];
    if (tl >= 0 && lx_loop_contains(fn->def, tl, c->loop) && !created_in_loop(fn, cls, tl))
      return 1; /* set later in the same loop: it holds from the next pass on */
  }
  return class_globally_timed(p, fn, cls);
}

const lx_call *lx_blocking_origin(const lx_program *p, const lx_fnode *fn, const lx_call *c, int a,
                                  const lx_fnode **origin_fn, int *origin_arg)
{
  int blk;
  *origin_arg = a;
  if (lx_call_has(p, c, LX_ANN_DEADLINE, NULL))
    return NULL; /* bounded by its deadline argument, whatever its body does */
  if (lx_call_has(p, c, LX_ANN_BLOCKS, &blk) && blk == a) {
    *origin_fn = fn;
    return c;
  }
  const lx_fnode *callee = lx_program_callee(p, c);
  if (!callee || callee == fn || a > LX_MAX_PARAMS || !(callee->blocks_params & (1ULL << (a - 1))))
    return NULL;
  const lx_call *origin = callee->blocks_origin[a - 1];
  *origin_fn = callee->blocks_origin_fn[a - 1];
  lx_call_has(p, origin, LX_ANN_BLOCKS, origin_arg);
  return origin;
}

int lx_poll_guarded(const lx_program *p, const lx_fnode *fn, const lx_call *c)
{
  return lx_poll_guarded_after(p, fn, c, -1);
}

/* Which argument of poll-like call g is its timeout (1-based), or 0. */
static int poll_timeout_arg(const lx_call *g)
{
  if (!g->callee_name || !g->callee)
    return 0;
  const char *n = g->callee_name;
  int targ = !strcmp(n, "poll") || !strcmp(n, "ppoll") ? 3
           : !strcmp(n, "select") || !strcmp(n, "pselect") ? 5
           : !strcmp(n, "epoll_wait") || !strcmp(n, "epoll_pwait") ? 4 : 0;
  return targ <= g->nargs ? targ : 0;
}

/* Whether call g waits for readiness for a bounded time: a poll-like call whose timeout
 * is not forever (poll(..., -1), select(..., NULL)), a poll_guard wrapper given no
 * negative timeout, an alarm() or setitimer() armed. */
static int bounded_wait(const lx_program *p, const lx_call *g)
{
  int targ = poll_timeout_arg(g);
  if (targ) {
    const lx_path *t = g->args[targ - 1];
    return !(t->kind == LX_PATH_CONST && (targ == 5 ? t->value == 0 : t->value < 0));
  }
  if (g->callee && g->callee_name && !strcmp(g->callee_name, "alarm"))
    return g->nargs >= 1 && !(g->args[0]->kind == LX_PATH_CONST && g->args[0]->value == 0);
  if (g->callee && g->callee_name && !strcmp(g->callee_name, "setitimer"))
    return 1;
  const lx_fnode *w = lx_program_callee(p, g);
  if (!w || !w->poll_guard)
    return 0;
  if (w->poll_guard < 0)
    return 1;
  const lx_path *t = w->poll_guard <= g->nargs ? g->args[w->poll_guard - 1] : NULL;
  return t && !(t->kind == LX_PATH_CONST && t->value < 0);
}

int lx_poll_guarded_after(const lx_program *p, const lx_fnode *fn, const lx_call *c, int after)
{
  const lx_func *f = fn->def;
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *g = &f->calls.v[i];
    if (g->seq >= c->seq || g->seq <= after || !bounded_wait(p, g))
      continue;
    /* In a loop, the guard must be in the same pass. */
    if (c->loop >= 0 && !lx_loop_contains(f, c->loop, g->loop))
      continue;
    return 1;
  }
  return 0;
}

/* poll_guard of each function, two levels deep: a function that polls (its timeout
 * its own or a parameter's), then one that calls such a wrapper. */
static void poll_guards(lx_program *p)
{
  for (int level = 0; level < 2; level++)
    for (size_t i = 0; i < p->order.n; i++) {
      lx_fnode *fn = p->order.v[i];
      if (!fn->def || fn->poll_guard)
        continue;
      for (size_t j = 0; j < fn->def->calls.n && !fn->poll_guard; j++) {
        const lx_call *g = &fn->def->calls.v[j];
        const lx_fnode *w = lx_program_callee(p, g);
        int targ = poll_timeout_arg(g);
        const lx_path *t = NULL;
        if (targ)
          t = g->args[targ - 1];
        else if (level && w && w != fn && w->poll_guard > 0 && w->poll_guard <= g->nargs)
          t = g->args[w->poll_guard - 1]; /* a wrapper's timeout, passed on from fn's parameter */
        if (t && t->kind == LX_PATH_PARAM && !t->deref && t->index >= 1 && t->index <= 127)
          fn->poll_guard = (signed char)t->index;
        else if (bounded_wait(p, g) && (targ || level))
          fn->poll_guard = -1;
      }
    }
}

const lx_call *lx_alias_origin(const lx_program *p, const lx_fnode *fn, int cls,
                               const lx_fnode **origin_fn)
{
  size_t it = 0;
  const char *k;
  const lx_call *best = NULL;
  while ((k = lx_alias_next_key(fn, cls, &it))) {
    if (k[0] == 'C') {
      const lx_call *c = &fn->def->calls.v[atoi(k + 2)];
      if (!best || c->seq < best->seq) {
        best = c;
        *origin_fn = fn;
      }
    }
  }
  if (best)
    return best;
  it = 0;
  while ((k = lx_alias_next_key(fn, cls, &it))) {
    if (k[0] == 'F' || k[0] == 'G') {
      const lx_call *c = lx_map_get(&p->field_origin, k);
      if (c) {
        *origin_fn = lx_map_get(&p->origin_fn, k);
        return c;
      }
    }
  }
  return NULL;
}

/* ---- summaries ------------------------------------------------------------------- */

static void mark_timed(lx_fnode *fn, const lx_path *path, const lx_call *at)
{
  int cls = lx_alias_class(fn, path);
  if (cls < 0)
    return;
  if (at->seq > fn->alias.untimed_seq[cls] && at->seq < fn->alias.retimed_seq[cls])
    fn->alias.retimed_seq[cls] = at->seq;
  if (at->seq < fn->alias.timed_seq[cls]) {
    fn->alias.timed_seq[cls] = at->seq;
    fn->alias.timed_loop[cls] = at->loop;
  }
}

/* The fields and globals that are 0 unless configured: somewhere 0 is stored in them,
 * and nothing else is but what a call returns or reads into them (`cb->timeout = 0;`
 * at set-up, `cf_util_get_int(child, &cb->timeout)` from the configuration).  A
 * default of its own (`= 30`, `= DEFAULT_TIMEOUT`, `= other->timeout`) keeps a field
 * out. */
static void zero_defaults(lx_program *p)
{
  enum { ZEROED = 1, OTHER = 2 };
  lx_map seen;
  lx_map_init(&seen);
  char key[512], src[512];
  /* Every function's assignments once (p->order), then each TU's global initialisers. */
  for (size_t i = 0; i < p->order.n + p->ntus; i++) {
    const lx_func *f = i < p->order.n ? p->order.v[i]->def : NULL;
    const lx_tu_facts *tu = i < p->order.n ? NULL : p->tus[i - p->order.n];
    size_t n = f ? f->assigns.n : tu ? tu->global_inits.n : 0;
    for (size_t j = 0; j < n; j++) {
      const lx_assign *a = f ? &f->assigns.v[j] : &tu->global_inits.v[j];
      if ((a->dst->kind != LX_PATH_FIELD && a->dst->kind != LX_PATH_GLOBAL) || a->dst->deref ||
          !lx_path_key(a->dst, key, sizeof(key)) || strchr(key, '@'))
        continue;
      int how = a->src->kind == LX_PATH_CONST && a->src->value == 0 ? ZEROED
                : a->src->kind == LX_PATH_CALL                       ? 0
                : lx_path_key(a->src, src, sizeof(src)) && !strcmp(src, key) ? 0 /* n++, n += k */
                                                                                : OTHER;
      if (how)
        lx_map_put(&seen, key, (void *)((uintptr_t)lx_map_get(&seen, key) | (uintptr_t)how));
    }
  }
  for (size_t i = 0; i < seen.cap; i++)
    if (seen.keys && seen.keys[i] && (uintptr_t)seen.vals[i] == ZEROED)
      lx_map_put(&p->zero_defaults, seen.keys[i], (void *)1);
  lx_map_free(&seen);
}

/* Whether call c of f runs only when a setting that is 0 unless configured is not 0
 * (`if (cb->timeout > 0) curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cb->timeout);`): by
 * default it does not run. */
static int only_when_configured(const lx_program *p, const lx_func *f, const lx_call *c)
{
  if (!p->zero_defaults.n)
    return 0;
  char key[512];
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    if (b->cond.disj || c->seq < b->then_begin || c->seq >= b->then_end)
      continue;
    for (int k = 0; k < b->cond.n; k++) {
      const lx_atom *t = &b->cond.a[k];
      int nonzero = t->op == LX_CMP_TRUTHY ||
                    ((t->op == LX_CMP_GT || t->op == LX_CMP_NE) && t->rhs->kind == LX_PATH_CONST && t->rhs->value == 0);
      if (nonzero && (t->lhs->kind == LX_PATH_FIELD || t->lhs->kind == LX_PATH_GLOBAL) &&
          lx_path_key(t->lhs, key, sizeof(key)) && lx_map_get(&p->zero_defaults, key))
        return 1;
    }
  }
  return 0;
}

/* One pass of the timeout summary over fn; returns whether anything changed. */
static int timeout_pass(lx_program *p, lx_fnode *fn)
{
  int changed = 0;
  lx_alias *al = &fn->alias;
  for (int i = 0; i < al->nclasses; i++) {
    al->timed_seq[i] = NOT_TIMED;
    al->timed_loop[i] = -1;
    al->untimed_seq[i] = -1;
    al->retimed_seq[i] = NOT_TIMED;
  }
  const lx_func *f = fn->def;
  /* The calls that take a handle's timeout away, first: a timeout counts after them. */
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    for (const lx_api *api = lx_call_api(p, c); api; api = api->next) {
      if (api->no_timeout < 1 || api->no_timeout > c->nargs || !lx_api_holds(p, api, f, c))
        continue;
      int cls = lx_alias_class(fn, c->args[api->no_timeout - 1]);
      if (cls >= 0 && c->seq > al->untimed_seq[cls])
        al->untimed_seq[cls] = c->seq;
    }
  }
  /* What every caller hands over already timed is timed from the start. */
  for (int j = 1; j <= f->nparams && j <= LX_MAX_PARAMS; j++) {
    int cls = (fn->entry_timed & (1ULL << (j - 1))) ? lx_alias_param_class(fn, j) : -1;
    if (cls >= 0) {
      al->timed_seq[cls] = ALWAYS_TIMED;
      al->timed_loop[cls] = -1;
    }
  }
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    const lx_call_info *ci = &fn->calls[i];
    int timeout = 0;
    for (int j = 0; j < ci->neffects && !timeout; j++)
      timeout = ci->effects[j].kind == LX_ANN_TIMEOUT;
    /* A timeout set only when configured is none (asked of the calls that set one). */
    int by_default = !timeout || !only_when_configured(p, f, c);
    for (int j = 0; j < ci->neffects && by_default; j++)
      if (ci->effects[j].kind == LX_ANN_TIMEOUT && ci->effects[j].arg >= 1 && ci->effects[j].arg <= c->nargs) {
        mark_timed(fn, c->args[ci->effects[j].arg - 1], c);
      } else if (ci->effects[j].kind == LX_ANN_TIMEOUT && ci->effects[j].arg == 0) {
        lx_path r = {0}; /* a constructor that gives the handle it returns a timeout */
        r.kind = LX_PATH_CALL;
        r.index = (int)i;
        mark_timed(fn, &r, c);
      }
    for (const lx_api *api = lx_call_api(p, c); api; api = api->next) {
      if (!api->copies || api->copies > c->nargs || !lx_api_holds(p, api, f, c))
        continue;
      /* h2 = curl_easy_duphandle(h): the copy has every option set on h so far. */
      int src = lx_alias_class(fn, c->args[api->copies - 1]);
      if (src >= 0 && (timed_at(al, src, c->seq) || (!untimed_at(al, src, c->seq) && class_globally_timed(p, fn, src)))) {
        lx_path r = {0};
        r.kind = LX_PATH_CALL;
        r.index = (int)i;
        mark_timed(fn, &r, c);
      }
    }
    const lx_fnode *callee = lx_program_callee(p, c);
    if (!callee)
      continue;
    for (int j = 0; j < c->nargs && j < LX_MAX_PARAMS; j++)
      if (callee->timeout_params & (1ULL << j))
        mark_timed(fn, c->args[j], c);
    if (callee->returns_timed) {
      lx_path r = {0};
      r.kind = LX_PATH_CALL;
      r.index = (int)i;
      mark_timed(fn, &r, c);
    }
  }
  for (int k = 0; k < al->m->nnonblocking; k++) {
    lx_path r = {0};
    r.kind = LX_PATH_CALL;
    r.index = al->m->nonblocking_calls[k];
    mark_timed(fn, &r, &f->calls.v[r.index]);
  }
  uint64_t params = 0;
  for (int j = 1; j <= f->nparams && j <= LX_MAX_PARAMS; j++) {
    int cls = lx_alias_param_class(fn, j);
    /* open(nng_socket *s) { nng_socket_set_ms(*s, ...) }: a timeout on what the
     * parameter points to is one on what the caller handed over as &s. */
    lx_path pointee = {0};
    pointee.kind = LX_PATH_PARAM;
    pointee.index = j;
    pointee.deref = 1;
    int pcls = lx_alias_class(fn, &pointee);
    if ((cls >= 0 && timed_at(al, cls, NOT_TIMED)) || (pcls >= 0 && timed_at(al, pcls, NOT_TIMED)))
      params |= 1ULL << (j - 1);
  }
  if (params != fn->timeout_params) {
    fn->timeout_params = params;
    changed = 1;
  }
  int rc = lx_alias_return_class(fn);
  int rt = rc >= 0 && (timed_at(al, rc, NOT_TIMED) || (!untimed_at(al, rc, NOT_TIMED) && class_globally_timed(p, fn, rc)));
  if (rt != (int)fn->returns_timed) {
    fn->returns_timed = (unsigned)rt;
    changed = 1;
  }
  /* A timeout set on a field or global holds program-wide. */
  for (int i = 0; i < al->m->nfg; i++) {
    const char *k = al->m->fg_keys[i];
    if (timed_at(al, al->m->fg_class[i], NOT_TIMED) && !lx_map_get_h(&p->timed_locs, k, al->m->fg_hash[i])) {
      lx_map_put_h(&p->timed_locs, k, al->m->fg_hash[i], (void *)1);
      changed = 1;
    }
  }
  return changed;
}

/* One pass of the blocking summary over fn: parameters it blocks on untimed. */
static int blocks_pass(lx_program *p, lx_fnode *fn)
{
  uint64_t params = 0;
  const lx_func *f = fn->def;
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    const lx_fnode *callee = lx_program_callee(p, c);
    if (lx_call_has(p, c, LX_ANN_DEADLINE, NULL))
      continue; /* a call bounded by its deadline argument (libleash's net calls) */
    for (int j = 0; j < c->nargs && j < LX_MAX_PARAMS; j++) {
      const lx_call *origin = NULL;
      const lx_fnode *origin_fn = NULL;
      int blk;
      if (lx_call_has(p, c, LX_ANN_BLOCKS, &blk) && blk == j + 1) {
        origin = c;
        origin_fn = fn;
      } else if (callee && callee != fn && (callee->blocks_params & (1ULL << j))) {
        origin = callee->blocks_origin[j];
        origin_fn = callee->blocks_origin_fn[j];
      }
      if (!origin)
        continue;
      int cls = lx_alias_class(fn, c->args[j]);
      if (cls < 0 || lx_timed_before(p, fn, cls, c))
        continue;
      if (origin == c && lx_api_is_socket(lx_call_api(p, c)) && (lx_poll_guarded(p, fn, c) || lx_call_dontwait(c)))
        continue;
      int param = lx_alias_param(fn, cls);
      if (param && param <= LX_MAX_PARAMS && !(params & (1ULL << (param - 1)))) {
        params |= 1ULL << (param - 1);
        if (!fn->blocks_origin) {
          fn->blocks_origin = lx_arena_alloc(&p->bottom_arena, LX_MAX_PARAMS * sizeof(*fn->blocks_origin));
          fn->blocks_origin_fn = lx_arena_alloc(&p->bottom_arena, LX_MAX_PARAMS * sizeof(*fn->blocks_origin_fn));
        }
        fn->blocks_origin[param - 1] = origin;
        fn->blocks_origin_fn[param - 1] = origin_fn;
      }
    }
  }
  if (params == fn->blocks_params)
    return 0;
  fn->blocks_params = params;
  return 1;
}

static void record_field_origins(lx_program *p, lx_fnode *fn)
{
  char buf[512];
  for (size_t i = 0; i < fn->def->assigns.n; i++) {
    const lx_assign *a = &fn->def->assigns.v[i];
    if ((a->dst->kind != LX_PATH_FIELD && a->dst->kind != LX_PATH_GLOBAL) || a->src->kind != LX_PATH_CALL)
      continue;
    lx_path_key(a->dst, buf, sizeof(buf));
    if (!lx_map_get(&p->field_origin, buf)) {
      lx_map_put(&p->field_origin, buf, (void *)&fn->def->calls.v[a->src->index]);
      lx_map_put(&p->origin_fn, buf, fn);
    }
  }
}

/* The parameters every caller (one at least) passes already timed: an accept loop
 * that makes each client non-blocking before handing it to the code that keeps it. */
static uint64_t entry_timed(const lx_program *p, const lx_fnode *fn)
{
  if (!fn->callers.n)
    return 0;
  uint64_t bits = 0;
  for (int j = 1; j <= fn->def->nparams && j <= LX_MAX_PARAMS; j++) {
    int all = 1;
    for (size_t k = 0; k < fn->callers.n && all; k++) {
      const lx_fnode *caller = fn->callers.v[k].fn;
      const lx_call *c = &caller->def->calls.v[fn->callers.v[k].call];
      all = j <= c->nargs && caller != fn && lx_timed_before(p, caller, lx_alias_class(caller, c->args[j - 1]), c);
    }
    if (all)
      bits |= 1ULL << (j - 1);
  }
  return bits;
}

/* Timed classes of fn (a count that grows when any does). */
static int timed_classes(const lx_fnode *fn)
{
  int n = 0;
  for (int i = 0; i < fn->alias.nclasses; i++)
    n += fn->alias.timed_seq[i] != NOT_TIMED;
  return n;
}


static int timeout_step(void *arg, lx_fnode *fn, char *dirty)
{
  lx_program *p = arg;
  if (!fn->def)
    return 0;
  fn->entry_timed = entry_timed(p, fn);
  int timed_before = timed_classes(fn);
  size_t timed = p->timed_locs.n;
  uint64_t params = fn->timeout_params;
  unsigned rt = fn->returns_timed;
  int changed = timeout_pass(p, fn);
  if (timed_classes(fn) != timed_before) {
    lx_mark_callees(fn, dirty); /* what they are handed may be timed now */
    changed = 1;
  }
  if (p->timed_locs.n != timed)
    memset(dirty, 1, p->order.n);
  else if (params != fn->timeout_params || rt != fn->returns_timed)
    lx_mark_callers(fn, dirty);
  return changed;
}

static int blocks_step(void *arg, lx_fnode *fn, char *dirty)
{
  lx_program *p = arg;
  if (!fn->def)
    return 0;
  /* An origin is set with its bit: only those of the bits already set can change
   * without the bits changing. */
  const lx_call *origin[LX_MAX_PARAMS];
  const lx_fnode *origin_fn[LX_MAX_PARAMS];
  uint64_t params = fn->blocks_params;
  for (int b = 0; b < LX_MAX_PARAMS; b++)
    if (params & (1ULL << b)) {
      origin[b] = fn->blocks_origin[b];
      origin_fn[b] = fn->blocks_origin_fn[b];
    }
  int changed = blocks_pass(p, fn);
  int moved = params != fn->blocks_params;
  for (int b = 0; b < LX_MAX_PARAMS && !moved; b++)
    moved = (params & (1ULL << b)) && (origin[b] != fn->blocks_origin[b] || origin_fn[b] != fn->blocks_origin_fn[b]);
  if (moved)
    lx_mark_callers(fn, dirty);
  return changed;
}

/* The bottom-up summaries (timeouts, then blocking), to a fixed point: iterating
 * handles recursion and any order.  A pass over a function whose inputs (its callees'
 * summaries, and for timeouts the program-wide timed fields) did not change since its
 * last pass would give the same result: it is skipped.  Reads the facts and the
 * nodes' links; writes only these summaries, timed_locs and bottom_arena, so it runs
 * beside the context (context.c), which neither reads nor writes them. */
void lx_summaries_bottom_up(lx_program *p)
{
  char *dirty = lx_xmalloc(p->order.n ? p->order.n : 1);
  lx_fixed_point(p, dirty, 50, timeout_step, p);
  poll_guards(p);
  lx_fixed_point(p, dirty, 50, blocks_step, p);
  free(dirty);
}

/* Nothing is timed before the first pass says so. */
static void timed_start(lx_program *p, lx_fnode *fn)
{
  lx_alias *al = &fn->alias;
  al->timed_seq = lx_arena_alloc(&p->arena, sizeof(int) * (size_t)(al->nclasses ? al->nclasses : 1));
  al->timed_loop = lx_arena_alloc(&p->arena, sizeof(int) * (size_t)(al->nclasses ? al->nclasses : 1));
  al->untimed_seq = lx_arena_alloc(&p->arena, sizeof(int) * (size_t)(al->nclasses ? al->nclasses : 1));
  al->retimed_seq = lx_arena_alloc(&p->arena, sizeof(int) * (size_t)(al->nclasses ? al->nclasses : 1));
  for (int i = 0; i < al->nclasses; i++) {
    al->timed_seq[i] = NOT_TIMED;
    al->timed_loop[i] = -1;
    al->untimed_seq[i] = -1;
    al->retimed_seq[i] = NOT_TIMED;
  }
}

void lx_summaries_start(lx_program *p)
{
  zero_defaults(p);
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    if (!fn->def)
      continue;
    timed_start(p, fn);
    record_field_origins(p, fn);
  }
}
