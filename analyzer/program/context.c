/* context.c - where code runs: at start-up, once per external event, or unknown.
 * Decides which loops are event loops (they accept, receive or poll), which are bound
 * by the size of their input, which functions run per event (called in such a loop,
 * registered as a handler, started per event), and what bounds a spawn. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program/context.h"
#include "program/stages.h"

static int startup_name(const char *name)
{
  if (!strcmp(name, "main"))
    return 1;
  char buf[256];
  size_t len = strlen(name);
  char *lower = len < sizeof(buf) ? buf : lx_xmalloc(len + 1);
  for (size_t i = 0; i <= len; i++)
    lower[i] = (char)tolower((unsigned char)name[i]);
  int hit = strstr(lower, "init") || strstr(lower, "start") || strstr(lower, "setup") || strstr(lower, "boot");
  if (lower != buf)
    free(lower);
  return hit;
}

static int is_spawn_now(const lx_program *p, const lx_call *c, int *entry_arg);

int lx_is_spawn(const lx_program *p, const lx_call *c, int *entry_arg)
{
  if (!p->spawns_known) {
    int arg = 0;
    int spawn = is_spawn_now(p, c, &arg);
    if (spawn)
      *entry_arg = arg;
    return spawn;
  }
  const lx_call_info *ci = lx_call_info_of(p, c);
  if (ci->spawn_arg < 0)
    return 0;
  *entry_arg = ci->spawn_arg;
  return 1;
}

static int is_spawn_now(const lx_program *p, const lx_call *c, int *entry_arg)
{
  int arg = 0;
  const lx_fnode *callee = lx_program_callee(p, c);
  if (callee && callee->bounded_fn)
    return 0; /* a bounded pool's submit is the fix, not a spawn */
  if (lx_call_has(p, c, LX_ANN_BOUNDED, NULL))
    return 0;
  if (lx_call_has(p, c, LX_ANN_SPAWNS, &arg)) {
    if (arg <= c->nargs && c->args[arg - 1]->kind == LX_PATH_CONST && c->args[arg - 1]->value == 0)
      return 0; /* no function to run (a test of the error path): nothing starts */
    *entry_arg = arg;
    return 1;
  }
  if (c->callee && lx_call_is(p, c, LX_KIND_PROCESS_SPAWN)) {
    *entry_arg = 0;
    return 1;
  }
  if (callee && callee->spawns_params) {
    for (int i = 0; i < LX_MAX_PARAMS && i < c->nargs; i++)
      if (callee->spawns_params & (1ULL << i)) {
        *entry_arg = i + 1;
        return 1;
      }
  }
  return 0;
}

static int is_event_call(const lx_program *p, const lx_call *c);

static int is_event_call(const lx_program *p, const lx_call *c)
{
  if (c->callee && lx_call_is(p, c, LX_KIND_EVENT_WAIT))
    return 1;
  if (lx_call_has(p, c, LX_ANN_RECEIVES, NULL) && !lx_call_is(p, c, LX_KIND_COND_WAIT))
    return 1;
  const lx_fnode *callee = lx_program_callee(p, c);
  return callee && callee->waits_event;
}

static int is_poll(const lx_program *p, const lx_call *c)
{
  return lx_call_is(p, c, LX_KIND_POLL);
}

/* The assignments of one function to each of its locals (not through a pointer), and
 * what input_sized found for each local at each depth. */
typedef struct {
  LX_VEC(const lx_assign *) v;
  signed char sized[5]; /* by depth: -1 not known yet, 0, 1 */
} local_info;

static lx_map local_assigns(const lx_func *f)
{
  lx_map m;
  lx_map_init(&m);
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if (a->dst->kind != LX_PATH_LOCAL || a->dst->deref || !a->dst->key)
      continue;
    local_info *l = lx_map_get(&m, a->dst->key);
    if (!l) {
      l = lx_xcalloc(1, sizeof(*l));
      memset(l->sized, -1, sizeof(l->sized));
      lx_map_put(&m, a->dst->key, l);
    }
    lx_vec_push(&l->v, a);
  }
  return m;
}

static void local_assigns_free(lx_map *m)
{
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys && m->keys[i]) {
      local_info *l = m->vals[i];
      lx_vec_free(&l->v);
      free(l);
    }
  lx_map_free(m);
}

/* A value read by a loop condition: does it come from the input?  locals: the
 * function's local_assigns. */
static int input_sized(const lx_map *locals, const lx_path *v, int depth)
{
  switch (v->kind) {
  case LX_PATH_PARAM:
  case LX_PATH_CALL:
    return 1;
  case LX_PATH_FIELD:
    if (!v->base)
      return 1;
    if (v->base->kind == LX_PATH_GLOBAL)
      return 0; /* settings.num_threads: configuration */
    return depth < 4 ? input_sized(locals, v->base, depth + 1) || v->base->kind == LX_PATH_LOCAL : 1;
  case LX_PATH_LOCAL: {
    if (depth >= 4 || !v->key)
      return 0;
    local_info *l = lx_map_get(locals, v->key);
    if (!l)
      return 0;
    if (l->sized[depth] < 0) {
      int r = 0;
      for (size_t i = 0; i < l->v.n && !r; i++)
        r = input_sized(locals, l->v.v[i]->src, depth + 1);
      l->sized[depth] = (signed char)r;
    }
    return l->sized[depth];
  }
  default:
    return 0;
  }
}

/* Per loop of f, once for its facts: whether its bound comes from input. */
static const signed char *loop_input(const lx_fnode *fn)
{
  const lx_func *f = fn->def;
  if (fn->alias.m->loop_input)
    return fn->alias.m->loop_input;
  signed char *in = lx_xcalloc(f->loops.n ? f->loops.n : 1, 1);
  lx_map locals = f->loops.n ? local_assigns(f) : (lx_map){0};
  for (size_t l = 0; l < f->loops.n; l++) {
    const lx_loop *lp = &f->loops.v[l];
    for (int i = 0; i < lp->nreads && !in[l]; i++)
      in[l] = (signed char)input_sized(&locals, lp->cond_reads[i], 0);
  }
  local_assigns_free(&locals);
  fn->alias.m->loop_input = in;
  return in;
}

/* Per loop of fn, once (the loops' calls do not change): the event call in it and a
 * file read in it. */
static int signal_guarded(const lx_fnode *fn, const lx_call *c, int l);

/* A loop that runs until shutdown: no way out at all, or a condition on shared state
 * only (`while (!srv_shutdown)`, `while (ctx->running)`), not on what it receives. */
static int long_running(const lx_loop *l)
{
  if (l->infinite)
    return !l->has_exit;
  if (!l->nreads)
    return 0;
  for (int i = 0; i < l->nreads; i++) {
    lx_path_kind k = l->cond_reads[i]->kind;
    if (k != LX_PATH_GLOBAL && k != LX_PATH_FIELD)
      return 0;
  }
  return 1;
}

/* Whether g runs an event loop of its own until shutdown: a loop around it then runs
 * once per lifetime of that loop (a restart or supervisor loop), not once per event. */
static int owns_event_loop(const lx_program *p, const lx_fnode *g)
{
  const lx_func *f = g->def;
  for (size_t i = 0; f && i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    if (c->loop < 0 || lx_program_callee(p, c) == g || !is_event_call(p, c))
      continue;
    for (int l = c->loop; l >= 0; l = f->loops.v[l].parent)
      if (long_running(&f->loops.v[l]))
        return 1;
  }
  return 0;
}

/* Whether call c waits for an event only through a callee that is start-up code or
 * runs its own event loop: it does not make a loop around it an event loop. */
static int event_through_owner(const lx_program *p, const lx_call *c)
{
  if (c->callee && lx_call_is(p, c, LX_KIND_EVENT_WAIT))
    return 0;
  if (lx_call_has(p, c, LX_ANN_RECEIVES, NULL))
    return 0;
  const lx_fnode *callee = lx_program_callee(p, c);
  return callee && (callee->startup || owns_event_loop(p, callee));
}

static int counted(const lx_func *f, int li);

/* A counted loop has neither an event call nor a file read: it waits in each pass,
 * but the passes are counted. */
static void loop_memo(lx_program *p, lx_fnode *fn)
{
  const lx_func *f = fn->def;
  size_t n = f->loops.n ? f->loops.n : 1;
  lx_arena *arena = &p->arena;
  fn->loop_event = lx_arena_alloc(arena, n * sizeof(*fn->loop_event));
  fn->loop_read = lx_arena_alloc(arena, n * sizeof(*fn->loop_read));
  char *is_counted = lx_xcalloc(n, 1);
  for (size_t l = 0; l < f->loops.n; l++)
    is_counted[l] = (char)counted(f, (int)l);
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *c = &f->calls.v[i];
    if (c->loop < 0 || !is_event_call(p, c) || event_through_owner(p, c))
      continue;
    int file = c->callee && lx_call_is(p, c, LX_KIND_FILE_READ);
    for (int l = c->loop; l >= 0; l = f->loops.v[l].parent) {
      if (is_counted[l] || signal_guarded(fn, c, l))
        continue;
      const lx_call **slot = file ? &fn->loop_read[l] : &fn->loop_event[l];
      /* Name the call that brings the event, not the poll that waits for it. */
      if (!*slot || (is_poll(p, *slot) && !is_poll(p, c)))
        *slot = c;
    }
  }
  free(is_counted);
}

/* Whether f steps local key inside loop li (`i++`, `i += n`, in the body or the
 * increment). */
static int stepped_in(const lx_func *f, int li, const char *key)
{
  const lx_loop *l = &f->loops.v[li];
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if (a->dst->kind == LX_PATH_LOCAL && a->src->kind == LX_PATH_LOCAL && !a->dst->deref && a->dst->key &&
        a->src->key && !strcmp(a->dst->key, key) && !strcmp(a->src->key, key) &&
        (lx_loop_contains(f, li, a->loop) || (a->seq >= l->body_begin && a->seq < l->body_end)))
      return 1;
  }
  return 0;
}

/* A counted loop: every way its condition holds compares a local the loop itself
 * steps (`for (i = 0; i < n; i++)`, `while (got < len) { ...; got += r; }`).  It runs
 * as often as its bound says however long each pass waits: a walk over the items of
 * one reply, not a loop that waits for the next event. */
static int counted(const lx_func *f, int li)
{
  const lx_loop *l = &f->loops.v[li];
  if (l->infinite || l->cond.disj || l->cond.n == 0)
    return 0;
  for (int a = 0; a < l->cond.n; a++) {
    const lx_atom *t = &l->cond.a[a];
    if (t->op < LX_CMP_LT || t->op == LX_CMP_EQ)
      continue;
    const lx_path *sides[2] = {t->lhs, t->rhs};
    for (int s = 0; s < 2; s++)
      if (sides[s]->kind == LX_PATH_LOCAL && !sides[s]->deref && sides[s]->key && stepped_in(f, li, sides[s]->key))
        return 1;
  }
  return 0;
}

/* fn's loops' event and file-read calls, found the first time the build asks and for
 * every function before the build ends (lx_context_seal): the rules only read them. */
static void loops_known(lx_program *p, lx_fnode *fn)
{
  if (fn->def && !fn->loop_event)
    loop_memo(p, fn);
}

lx_loop_bound lx_loop_bound_of(const lx_program *p, const lx_fnode *fn, int li, const lx_call **source)
{
  if (!fn->loop_event) /* not known yet: only a build that forgot loops_known asks so */
    return fn->startup && !fn->per_event ? LX_LOOP_FIXED : loop_input(fn)[li] ? LX_LOOP_INPUT : LX_LOOP_FIXED;
  const lx_call *ev = fn->loop_event[li], *rd = fn->loop_read[li];
  if (rd && fn->startup && !fn->request_path)
    rd = NULL; /* at start-up, reads read files */
  const lx_call *best = ev && (!is_poll(p, ev) || !rd) ? ev : rd ? rd : ev;
  if (best) {
    if (source)
      *source = best;
    return LX_LOOP_EVENT;
  }
  if (fn->startup && !fn->per_event)
    return LX_LOOP_FIXED;
  return loop_input(fn)[li] ? LX_LOOP_INPUT : LX_LOOP_FIXED;
}

/* Whether call c runs only when a flag a signal handler sets is found set, in a branch
 * inside loop l: `if (reload_requested) reload();` in an event loop runs once per
 * signal (many signals set the flag once), not once per pass of the loop. */
static int signal_guarded(const lx_fnode *fn, const lx_call *c, int l)
{
  if (!fn->signal_branch)
    return 0;
  const lx_func *f = fn->def;
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    if (fn->signal_branch[i] && c->seq >= b->then_begin && c->seq < b->then_end && lx_loop_contains(f, l, b->loop))
      return 1;
  }
  return 0;
}

int lx_unbounded_loop(const lx_program *p, const lx_fnode *fn, const lx_call *c, lx_loop_bound *kind,
                      const lx_call **source)
{
  int found = -1;
  for (int l = c->loop; l >= 0; l = fn->def->loops.v[l].parent) {
    if (signal_guarded(fn, c, l))
      continue;
    const lx_call *src = NULL;
    lx_loop_bound b = lx_loop_bound_of(p, fn, l, &src);
    /* An event loop wins over an input loop around it; the innermost event loop is
     * the one that runs per event. */
    if (b == LX_LOOP_EVENT) {
      *kind = b;
      *source = src;
      return l;
    }
    if (b == LX_LOOP_INPUT && found < 0) {
      found = l;
      *kind = b;
      *source = NULL;
    }
  }
  return found;
}

/* A comparison against a limit on shared state: `active >= MAX`, `n < cfg->max`. */
static int counter_path(const lx_path *p)
{
  return p->kind == LX_PATH_GLOBAL || p->kind == LX_PATH_FIELD ||
         (p->kind == LX_PATH_CALL); /* atomic_load(&active) */
}

static int limit_atom(const lx_atom *c)
{
  if (c->op < LX_CMP_LT || c->op > LX_CMP_GE)
    return 0;
  /* The limit: a positive constant, or configuration (a global or a field); not a
   * loop index (`i < req->count` walks a request, it caps nothing). */
  const lx_path *a = c->lhs, *b = c->rhs;
  int b_limit = (b->kind == LX_PATH_CONST && b->value > 0) || b->kind == LX_PATH_GLOBAL || b->kind == LX_PATH_FIELD;
  int a_limit = (a->kind == LX_PATH_CONST && a->value > 0) || a->kind == LX_PATH_GLOBAL || a->kind == LX_PATH_FIELD;
  return (counter_path(a) && b_limit) || (counter_path(b) && a_limit);
}

/* Any part of the condition compares shared state with a limit. */
static int limit_check(const lx_cond *c)
{
  for (int i = 0; i < c->n; i++)
    if (limit_atom(&c->a[i]))
      return 1;
  return 0;
}

/* Whether function f sets the flag of key (a field or global) to a non-zero value. */
static int sets_flag(const lx_func *f, const char *key)
{
  char k[512];
  for (size_t i = 0; f && i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if ((a->src->kind == LX_PATH_CONST && a->src->value == 0) || !lx_path_key(a->dst, k, sizeof(k)))
      continue;
    lx_key_undo_deref(k);
    if (!strcmp(k, key))
      return 1;
  }
  return 0;
}

/* A single-instance check before spawn c: `if (running) return; running = 1; spawn`
 * or `if (!started) { started = 1; spawn }`, on a flag that the function (or the
 * thread it starts) sets.  At most one such thread runs at a time. */
static int single_instance(const lx_program *p, const lx_fnode *fn, const lx_call *c, int from)
{
  const lx_func *f = fn->def;
  int entry = 0;
  const lx_fnode *started = NULL;
  if (lx_is_spawn(p, c, &entry) && entry >= 1 && entry <= c->nargs && c->args[entry - 1]->kind == LX_PATH_FUNC)
    started = lx_program_fn(p, c->args[entry - 1]->key);
  char key[512];
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *br = &f->branches.v[i];
    if (br->cond.disj || br->then_begin < from)
      continue;
    int leaves_before = br->then_leaves && br->then_end <= c->seq;
    int around = c->seq >= br->then_begin && c->seq < br->then_end;
    for (int a = 0; a < br->cond.n; a++) {
      const lx_atom *t = &br->cond.a[a];
      if (!((t->op == LX_CMP_TRUTHY && leaves_before) || (t->op == LX_CMP_FALSY && around)))
        continue;
      /* The flag itself, or the flags word a bit is tested in (`if (s->flags & RUNNING)`). */
      int nv = t->lhs->kind == LX_PATH_UNKNOWN ? br->nreads : 1;
      for (int r = 0; r < nv; r++) {
        const lx_path *v = t->lhs->kind == LX_PATH_UNKNOWN ? br->reads[r] : t->lhs;
        if ((v->kind != LX_PATH_GLOBAL && v->kind != LX_PATH_FIELD) || !lx_path_key(v, key, sizeof(key)))
          continue;
        lx_key_undo_deref(key);
        if (sets_flag(f, key) || (started && sets_flag(started->def, key)))
          return 1;
      }
    }
  }
  return 0;
}

int lx_bounded_before(const lx_program *p, const lx_fnode *fn, const lx_call *c, int scope_loop)
{
  const lx_func *f = fn->def;
  int from = scope_loop >= 0 ? f->loops.v[scope_loop].body_begin : -1;
  if (single_instance(p, fn, c, from))
    return 1;
  for (size_t i = 0; i < f->calls.n; i++) {
    const lx_call *b = &f->calls.v[i];
    if (b->seq >= c->seq || b->seq < from)
      continue;
    const lx_fnode *callee = lx_program_callee(p, b);
    if (lx_call_has(p, b, LX_ANN_BOUNDED, NULL) || (callee && (callee->bounds || callee->bounded_fn)))
      return 1;
  }
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *br = &f->branches.v[i];
    if (!limit_check(&br->cond))
      continue;
    /* if (n < MAX) spawn(); */
    if (c->seq >= br->then_begin && c->seq < br->then_end)
      return 1;
    /* if (n >= MAX) { reject; continue; } ... spawn(); */
    if (br->then_leaves && br->then_end <= c->seq && br->then_begin >= from)
      return 1;
  }
  /* for (...; s && running < MAX; ...) spawn(); the loop itself stops at the limit. */
  for (int l = c->loop; l >= 0; l = f->loops.v[l].parent)
    if (limit_check(&f->loops.v[l].cond))
      return 1;
  for (size_t i = 0; i < f->loops.n; i++) {
    const lx_loop *w = &f->loops.v[i];
    /* while (active >= MAX) pthread_cond_wait(...); spawn(); */
    if (limit_check(&w->cond) && w->body_end <= c->seq && w->body_begin >= from)
      return 1;
  }
  return 0;
}

/* ---- summaries to a fixed point ---------------------------------------------------- */

/* Kept unformatted: it may be set many times before the fixed point. */
static void set_why(lx_program *p, lx_fnode *fn, lx_loc loc, const char *fmt, const char *a, const char *b)
{
  (void)p;
  fn->why_fmt = fmt;
  fn->why_args[0] = a;
  fn->why_args[1] = b;
  fn->why_loc = loc;
}

const char *lx_fnode_why(const lx_fnode *fn, char *buf, size_t n)
{
  if (!fn->why_fmt)
    return NULL;
  snprintf(buf, n, fn->why_fmt, fn->why_args[0], fn->why_args[1]);
  return buf;
}

/* After fn became start-up code: marks its callees, whose callers it is, to be passed
 * again (see lx_fixed_point). */

/* A trampoline: spawn c in fn starts a fixed entry that calls, through a field, the
 * function fn was given as a parameter (`t->start = start; pthread_create(..,
 * thread_start, t)` where thread_start calls t->start).  Returns that parameter
 * (1-based), or 0. */
static int trampoline_param(const lx_program *p, const lx_fnode *fn, const lx_call *c, int entry)
{
  if (entry < 1 || entry > c->nargs || c->args[entry - 1]->kind != LX_PATH_FUNC)
    return 0;
  const lx_fnode *t = lx_program_fn(p, c->args[entry - 1]->key);
  if (!t || !t->def || t == fn)
    return 0;
  char k[512];
  for (size_t i = 0; i < fn->def->assigns.n; i++) {
    const lx_assign *a = &fn->def->assigns.v[i];
    if (a->src->kind != LX_PATH_PARAM || a->src->deref || a->src->addr_of || a->dst->kind != LX_PATH_FIELD ||
        !lx_path_key(a->dst, k, sizeof(k)))
      continue;
    lx_key_undo_deref(k);
    for (size_t j = 0; j < t->def->calls.n; j++) {
      const lx_call *d = &t->def->calls.v[j];
      if (d->callee)
        continue;
      int cls = lx_alias_class(t, lx_call_fnptr(d));
      size_t it = 0;
      const char *m;
      char mk[512];
      while (cls >= 0 && (m = lx_alias_next_key(t, cls, &it))) {
        lx_copy(mk, sizeof(mk), m);
        lx_key_undo_deref(mk);
        if (!strcmp(mk, k))
          return a->src->index;
      }
    }
  }
  return 0;
}

static int spawn_step(void *arg, lx_fnode *fn, char *dirty)
{
  lx_program *p = arg;
  if (!fn->def || fn->bounded_fn)
    return 0;
  int changed = 0;
  unsigned bounds = fn->bounds;
  uint64_t spawns = fn->spawns_params;
  for (size_t j = 0; j < fn->def->calls.n; j++) {
    const lx_call *c = &fn->def->calls.v[j];
    const lx_fnode *callee = lx_program_callee(p, c);
    int arg;
    if (!fn->bounds && (lx_call_has(p, c, LX_ANN_BOUNDED, NULL) || (callee && callee != fn && callee->bounds))) {
      fn->bounds = 1;
      changed = 1;
    }
    if (!lx_is_spawn(p, c, &arg) || arg < 1 || arg > c->nargs)
      continue;
    const lx_path *e = c->args[arg - 1];
    int param = e->kind == LX_PATH_PARAM ? e->index : trampoline_param(p, fn, c, arg);
    if (param >= 1 && param <= LX_MAX_PARAMS && !(fn->spawns_params & (1ULL << (param - 1)))) {
      fn->spawns_params |= 1ULL << (param - 1);
      if (!fn->spawn_origin)
        fn->spawn_origin = lx_arena_alloc(&p->arena, LX_MAX_PARAMS * sizeof(*fn->spawn_origin));
      fn->spawn_origin[param - 1] = callee && callee->spawns_params && e->kind == LX_PATH_PARAM
                                        ? callee->spawn_origin[arg - 1] : c;
      changed = 1;
    }
  }
  if (bounds != fn->bounds || spawns != fn->spawns_params)
    lx_mark_callers(fn, dirty);
  return changed;
}

static void spawn_summaries(lx_program *p, char *dirty)
{
  lx_fixed_point(p, dirty, 20, spawn_step, p);
  /* The answers no longer change: every call keeps its own (as resolve_calls keeps its
   * callee), and lx_is_spawn reads them from now on. */
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    for (size_t j = 0; fn->def && j < fn->def->calls.n; j++) {
      int arg = 0;
      fn->calls[j].spawn_arg = (short)(is_spawn_now(p, &fn->def->calls.v[j], &arg) ? arg : -1);
    }
  }
  p->spawns_known = 1;
}

static int waits_step(void *arg, lx_fnode *fn, char *dirty)
{
  lx_program *p = arg;
  for (size_t j = 0; fn->def && j < fn->def->calls.n && !fn->waits_event; j++) {
    const lx_fnode *callee = lx_program_callee(p, &fn->def->calls.v[j]);
    if (callee && callee != fn && callee->waits_event) {
      fn->waits_event = 1;
      lx_mark_callers(fn, dirty);
      return 1;
    }
  }
  return 0;
}

static void waits_summaries(lx_program *p, char *dirty)
{
  /* Waiting directly depends on the function's own calls only: kept with its facts. */
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    if (!fn->def)
      continue;
    lx_func_memo *m = fn->alias.m;
    if (!m->waits_directly) {
      int waits = 0;
      for (size_t j = 0; j < fn->def->calls.n && !waits; j++) {
        const lx_call *c = &fn->def->calls.v[j];
        waits = c->callee && lx_call_is(p, c, LX_KIND_EVENT_SOURCE);
      }
      m->waits_directly = waits ? 2 : 1;
    }
    fn->waits_event = m->waits_directly == 2;
  }
  lx_fixed_point(p, dirty, 20, waits_step, p);
}

static int startup_step(void *arg, lx_fnode *fn, char *dirty)
{
  (void)arg;
  if (fn->startup || !fn->callers.n || fn->thread_entry)
    return 0;
  for (size_t k = 0; k < fn->callers.n; k++)
    if (!fn->callers.v[k].fn->startup)
      return 0;
  fn->startup = 1;
  lx_mark_callees(fn, dirty);
  return 1;
}

static void startup_summaries(lx_program *p, char *dirty)
{
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    lx_func_memo *m = fn->def ? fn->alias.m : NULL;
    if (m && !m->startup_name)
      m->startup_name = startup_name(fn->name) ? 2 : 1; /* a name: kept with the facts */
    fn->startup = m ? m->startup_name == 2 : startup_name(fn->name);
  }
  lx_fixed_point(p, dirty, 20, startup_step, p);
}

/* ---- handlers: registered callbacks and where they are dispatched ------------------ */

typedef struct {
  lx_fnode *cb;
  char key[256];      /* "F:struct route.handler", "G:usr": where the pointer is kept */
  char rectype[128];  /* tables: the element's record type ("struct route"), or "" */
  lx_loc loc;
  const char *via;    /* registration function for external registrations, else NULL */
} reg;

typedef struct {
  lx_fnode *fn;
  const lx_call *call;
  char key[256];
  /* dispatch_per_event's answer, kept while fn's state (fn_state) stays memo_state */
  signed char memo_state, memo_per_event;
  int memo_loop;
} dispatch;

typedef LX_VEC(reg) regs;
typedef LX_VEC(dispatch) dispatches;

static void add_reg(regs *r, lx_program *p, const lx_path *src, const char *key, const char *rectype,
                    lx_loc loc, const char *via)
{
  lx_fnode *cb = src->kind == LX_PATH_FUNC ? lx_program_fn(p, src->key) : NULL;
  if (!cb || !cb->def)
    return;
  reg g;
  memset(&g, 0, sizeof(g));
  g.cb = cb;
  lx_copy(g.key, sizeof(g.key), key ? key : "");
  lx_copy(g.rectype, sizeof(g.rectype), rectype ? rectype : "");
  g.loc = loc;
  g.via = via;
  lx_vec_push(r, g);
}

/* "struct route [4]" -> "struct route"; "handler_fn *" and scalars -> "". */
static void element_record(const char *type, char *out, size_t n)
{
  out[0] = '\0';
  if (!type)
    return;
  if (!strncmp(type, "const ", 6))
    type += 6;
  if (!strchr(type, '['))
    return; /* not a table */
  size_t len = strcspn(type, "[*");
  while (len && type[len - 1] == ' ')
    len--;
  snprintf(out, n, "%.*s", (int)len, type);
}

/* Where f may register or dispatch a handler, once for its facts: a function stored
 * in a field or global (assignment j: SITE_STORE), an indirect call (SITE_INDIRECT),
 * a call passing a function (SITE_PASS); as j << 2 | kind, in the order
 * collect_handlers looks at them. */
enum { SITE_STORE, SITE_INDIRECT, SITE_PASS };

static const int *handler_sites(const lx_program *p, const lx_fnode *fn, int *n)
{
  const lx_func *f = fn->def;
  lx_func_memo *m = fn->alias.m;
  if (!m->handler_sites) {
    LX_VEC(int) v = {0};
    for (size_t j = 0; j < f->assigns.n; j++) {
      const lx_assign *a = &f->assigns.v[j];
      if (a->src->kind == LX_PATH_FUNC && (a->dst->kind == LX_PATH_FIELD || a->dst->kind == LX_PATH_GLOBAL))
        lx_vec_push(&v, (int)j << 2 | SITE_STORE);
    }
    for (size_t j = 0; j < f->calls.n; j++) {
      const lx_call *c = &f->calls.v[j];
      int passes = 0;
      for (int a = 0; a < c->nargs && !passes; a++)
        passes = c->args[a]->kind == LX_PATH_FUNC;
      if (!c->callee)
        lx_vec_push(&v, (int)j << 2 | SITE_INDIRECT);
      else if (passes && !lx_call_is(p, c, LX_KIND_ONE_SHOT))
        lx_vec_push(&v, (int)j << 2 | SITE_PASS);
    }
    m->nhandler_sites = (int)v.n;
    m->handler_sites = v.n ? v.v : lx_xcalloc(1, sizeof(int));
  }
  *n = m->nhandler_sites;
  return m->handler_sites;
}

/* The argument (1-based) in which call c registers a per-event handler (SPEC section
 * 2 `handler: n`), or 0.  A registration API is often a function pointer a host fills
 * in (a module API's `RedisModule_CreateCommand`-style globals): an indirect call is
 * looked up in the catalogue by the name of the pointer it calls through. */
static int handler_arg(const lx_program *p, const lx_call *c)
{
  int arg = 0;
  if (lx_call_has(p, c, LX_ANN_HANDLER, &arg))
    return arg;
  if (c->callee || !c->callee_name || lx_call_fnptr(c)->kind != LX_PATH_GLOBAL)
    return 0;
  const lx_api *api = lx_config_api(p->cfg, c->callee_name);
  for (int i = 0; api && i < api->nannots; i++)
    if (api->annots[i].kind == LX_ANN_HANDLER)
      return api->annots[i].arg;
  return 0;
}

static void collect_handlers(lx_program *p, regs *rs, dispatches *ds)
{
  char key[256], rec[128];
  for (size_t t = 0; t < p->ntus; t++)
    for (size_t j = 0; j < p->tus[t]->global_inits.n; j++) {
      const lx_assign *a = &p->tus[t]->global_inits.v[j];
      if (a->src->kind != LX_PATH_FUNC || !lx_path_key(a->dst, key, sizeof(key)))
        continue;
      lx_key_undo_deref(key);
      element_record(a->dst->type, rec, sizeof(rec));
      add_reg(rs, p, a->src, key, rec, a->loc, NULL);
    }
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    if (!fn->def)
      continue;
    int nsites;
    const int *sites = handler_sites(p, fn, &nsites);
    for (int s = 0; s < nsites; s++) {
      size_t j = (size_t)(sites[s] >> 2);
      if ((sites[s] & 3) == SITE_STORE) {
        const lx_assign *a = &fn->def->assigns.v[j];
        if (lx_path_key(a->dst, key, sizeof(key))) {
          lx_key_undo_deref(key);
          add_reg(rs, p, a->src, key, NULL, a->loc, NULL);
        }
        continue;
      }
      const lx_call *c = &fn->def->calls.v[j];
      int h = handler_arg(p, c);
      if (h >= 1 && h <= c->nargs && c->args[h - 1]->kind == LX_PATH_FUNC) {
        add_reg(rs, p, c->args[h - 1], NULL, NULL, c->loc, c->callee_name);
        continue;
      }
      if (!c->callee) {
        /* An indirect call: a dispatch through whatever its pointer's class holds. */
        int cls = lx_alias_class(fn, lx_call_fnptr(c));
        size_t it = 0;
        const char *k;
        while (cls >= 0 && (k = lx_alias_next_key(fn, cls, &it))) {
          if (k[0] != 'F' && k[0] != 'G' && k[0] != 'P')
            continue;
          dispatch d = {fn, c, "", -1, 0, -1};
          lx_copy(d.key, sizeof(d.key), k);
          lx_key_undo_deref(d.key);
          lx_vec_push(ds, d);
        }
        continue;
      }
      int entry = 0;
      int spawn = lx_is_spawn(p, c, &entry);
      const lx_fnode *callee = lx_program_callee(p, c);
      const lx_api *api = lx_call_api(p, c);
      for (int a = 0; a < c->nargs; a++) {
        if (c->args[a]->kind != LX_PATH_FUNC || (spawn && a + 1 == entry))
          continue;
        if (api && api->periodic == a + 1)
          continue; /* a timer's callback: once per interval, not per event */
        if (!callee || !callee->def) {
          add_reg(rs, p, c->args[a], NULL, NULL, c->loc, c->callee_name);
          continue;
        }
        /* A registration function of the program: where does it keep parameter a+1? */
        int cls = lx_alias_param_class(callee, a + 1);
        size_t it = 0;
        const char *k;
        while (cls >= 0 && (k = lx_alias_next_key(callee, cls, &it)))
          if (k[0] == 'F' || k[0] == 'G') {
            char kk[256];
            lx_copy(kk, sizeof(kk), k);
            lx_key_undo_deref(kk);
            add_reg(rs, p, c->args[a], kk, NULL, c->loc, NULL);
          }
        /* ... or calls it right there: a dispatch keyed by the callee's parameter. */
        char pk[300];
        snprintf(pk, sizeof(pk), "P:%s:%d", callee->usr, a + 1);
        add_reg(rs, p, c->args[a], pk, NULL, c->loc, NULL);
      }
    }
  }
  /* Parameter dispatches get the function's identity, to match "P:usr:i" registrations. */
  for (size_t i = 0; i < ds->n; i++)
    if (ds->v[i].key[0] == 'P') {
      char tmp[256];
      snprintf(tmp, sizeof(tmp), "P:%s:%s", ds->v[i].fn->usr, ds->v[i].key + 2);
      lx_copy(ds->v[i].key, sizeof(ds->v[i].key), tmp);
    }
}

/* Whether a dispatch runs per event: in an event loop, or in per-event code. */
static int dispatch_per_event_now(lx_program *p, const dispatch *d, int *loop)
{
  lx_loop_bound kind;
  const lx_call *src;
  loops_known(p, d->fn);
  *loop = d->call->loop >= 0 ? lx_unbounded_loop(p, d->fn, d->call, &kind, &src) : -1;
  if (*loop >= 0 && kind == LX_LOOP_EVENT && !lx_bounded_before(p, d->fn, d->call, *loop))
    return 1;
  *loop = -1;
  /* A dispatcher nothing in the program calls is an entry point for code outside it
   * (a server framework, a library's caller): assume it runs per request. */
  if (!d->fn->callers.n && !d->fn->startup && !d->fn->thread_entry)
    return 1;
  return d->fn->per_event;
}

static int fn_state(const lx_fnode *fn) { return fn->startup | fn->per_event << 1 | fn->request_path << 2; }

static int dispatch_per_event(lx_program *p, dispatch *d, int *loop)
{
  if (d->memo_state != fn_state(d->fn)) {
    d->memo_state = (signed char)fn_state(d->fn);
    d->memo_per_event = (signed char)dispatch_per_event_now(p, d, &d->memo_loop);
  }
  *loop = d->memo_loop;
  return d->memo_per_event;
}

/* For each registration, the dispatches that may call it (found once, not per pass). */
typedef LX_VEC(size_t) index_vec;

static void push_matches(index_vec *out, const index_vec *from)
{
  for (size_t k = 0; from && k < from->n; k++)
    lx_vec_push(out, from->v[k]);
}

static int cmp_size(const void *a, const void *b)
{
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return x < y ? -1 : x > y;
}

static void free_index_map(lx_map *m)
{
  for (size_t i = 0; i < m->cap; i++)
    if (m->keys && m->keys[i]) {
      lx_vec_free((index_vec *)m->vals[i]);
      free(m->vals[i]);
    }
  lx_map_free(m);
}

static void index_map_add(lx_map *m, const char *key, size_t j)
{
  index_vec *v = lx_map_get(m, key);
  if (!v) {
    v = lx_xcalloc(1, sizeof(*v));
    lx_map_put(m, key, v);
  }
  if (!v->n || v->v[v->n - 1] != j)
    lx_vec_push(v, j);
}

/* The dispatches that may call each registration: those through the same key, and for
 * a table (rectype "struct route"), those through any field of its element type
 * ("F:struct route.handler").  Found through two indexes of the dispatches, by key
 * and by each record type a field key may start with, not by testing every pair. */
static index_vec *match_dispatches(const regs *rs, const dispatches *ds)
{
  lx_map by_key, by_record;
  lx_map_init(&by_key);
  lx_map_init(&by_record);
  char rec[256];
  for (size_t j = 0; j < ds->n; j++) {
    const char *k = ds->v[j].key;
    index_map_add(&by_key, k, j);
    if (k[0] != 'F')
      continue;
    for (const char *dot = strchr(k + 2, '.'); dot; dot = strchr(dot + 1, '.')) {
      snprintf(rec, sizeof(rec), "%.*s", (int)(dot - (k + 2)), k + 2);
      index_map_add(&by_record, rec, j);
    }
  }
  index_vec *m = lx_xcalloc(rs->n ? rs->n : 1, sizeof(index_vec));
  for (size_t i = 0; i < rs->n; i++) {
    const reg *g = &rs->v[i];
    if (g->via)
      continue;
    if (g->key[0])
      push_matches(&m[i], lx_map_get(&by_key, g->key));
    if (g->rectype[0]) {
      size_t before = m[i].n;
      push_matches(&m[i], lx_map_get(&by_record, g->rectype));
      if (before && m[i].n > before) { /* both: in dispatch order, once each */
        qsort(m[i].v, m[i].n, sizeof(size_t), cmp_size);
        size_t w = 1;
        for (size_t k = 1; k < m[i].n; k++)
          if (m[i].v[k] != m[i].v[w - 1])
            m[i].v[w++] = m[i].v[k];
        m[i].n = w;
      }
    }
  }
  free_index_map(&by_key);
  free_index_map(&by_record);
  return m;
}

/* Functions whose state (fn_state) changed since propagate_pass last scanned them
 * (scanned[i]: the state then, -1 never) are among those whose bit is set: a pass
 * looks at those only, in order. */
typedef struct {
  signed char *scanned;
  uint64_t *bits;
  size_t nwords;
} pending;

static void touch(pending *pd, const lx_fnode *fn) { pd->bits[fn->index / 64] |= 1ULL << (fn->index % 64); }

static void touch_all(pending *pd, size_t n)
{
  memset(pd->scanned, -1, n ? n : 1);
  memset(pd->bits, 0xff, pd->nwords * sizeof(uint64_t));
}

/* The fields whose value the program reads somewhere (copies it out, passes it on):
 * a handler kept there is dispatched by the program's own code, even when that
 * dispatch is not followed to it. */
static void read_fields(const lx_program *p, lx_map *out)
{
  char k[512];
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_func *f = p->order.v[i]->def;
    for (size_t j = 0; f && j < f->assigns.n; j++) {
      const lx_path *v = f->assigns.v[j].src;
      if (v->kind == LX_PATH_FIELD && !v->addr_of && lx_path_key(v, k, sizeof(k))) {
        lx_key_undo_deref(k);
        lx_map_put(out, k, (void *)1);
      }
    }
    for (size_t j = 0; f && j < f->calls.n; j++)
      for (int a = 0; a < f->calls.v[j].nargs; a++) {
        const lx_path *v = f->calls.v[j].args[a];
        if (v->kind == LX_PATH_FIELD && !v->addr_of && lx_path_key(v, k, sizeof(k))) {
          lx_key_undo_deref(k);
          lx_map_put(out, k, (void *)1);
        }
      }
  }
}

static int handlers_pass(lx_program *p, const regs *rs, dispatches *ds, const index_vec *matches, pending *pd,
                         const lx_map *fields_read)
{
  int changed = 0;
  for (size_t i = 0; i < rs->n; i++) {
    const reg *g = &rs->v[i];
    if (g->cb->per_event)
      continue;
    if (g->via) {
      g->cb->per_event = 1;
      touch(pd, g->cb);
      set_why(p, g->cb, g->loc, "is registered as a handler through %s()%s", g->via, "");
      changed = 1;
      continue;
    }
    int seen = 0;
    for (size_t m = 0; m < matches[i].n; m++) {
      size_t j = matches[i].v[m];
      int loop;
      seen = 1;
      if (!dispatch_per_event(p, &ds->v[j], &loop))
        continue;
      g->cb->per_event = 1;
      touch(pd, g->cb);
      if (loop >= 0)
        set_why(p, g->cb, ds->v[j].fn->def->loops.v[loop].loc, "is dispatched once per event from the loop in %s()",
                ds->v[j].fn->name, "");
      else if (!ds->v[j].fn->per_event)
        set_why(p, g->cb, ds->v[j].call->loc, "is dispatched from %s(), an entry point that code outside the "
                "program calls%s", ds->v[j].fn->name, "");
      else
        set_why(p, g->cb, ds->v[j].call->loc, "is dispatched from %s(), which runs per event", ds->v[j].fn->name, "");
      changed = 1;
      break;
    }
    /* Kept in a struct field the program never calls through: a library's event loop
     * calls it, assume per event.  Tables and globals are the program's own: their
     * dispatch decides, and none seen means none known. */
    if (!seen && !g->cb->per_event && g->key[0] == 'F' && !lx_map_get(fields_read, g->key)) {
      g->cb->per_event = 1;
      touch(pd, g->cb);
      set_why(p, g->cb, g->loc, "is registered as a handler that code outside the program calls%s%s", "", "");
      changed = 1;
    }
  }
  return changed;
}

/* The function call c runs: its callee, or the thread entry it starts. */
static lx_fnode *call_target(lx_program *p, const lx_call *c)
{
  int entry = 0;
  if (lx_is_spawn(p, c, &entry) && entry >= 1 && entry <= c->nargs && c->args[entry - 1]->kind == LX_PATH_FUNC)
    return lx_program_fn(p, c->args[entry - 1]->key);
  return lx_program_callee(p, c);
}

/* What propagate_pass asks about one call, kept between passes: the outermost
 * unbounded loop around it depends on its function's startup, per_event and
 * request_path (state, -1 until asked), whether something bounds it before does not
 * change while propagating (-1 until asked). */
typedef struct {
  signed char state;
  signed char bounded_in_loop, bounded_in_fn;
  lx_loop_bound kind;
  int loop;
  const lx_call *src;
} call_memo;

static int memo_loop(lx_program *p, lx_fnode *fn, const lx_call *c, call_memo *m)
{
  loops_known(p, fn);
  int st = fn_state(fn);
  if (m->state != st) {
    m->state = (signed char)st;
    m->src = NULL;
    m->loop = c->loop >= 0 ? lx_unbounded_loop(p, fn, c, &m->kind, &m->src) : -1;
    m->bounded_in_loop = -1;
  }
  return m->loop;
}

static int memo_bounded(const lx_program *p, lx_fnode *fn, const lx_call *c, call_memo *m, int in_loop)
{
  signed char *b = in_loop ? &m->bounded_in_loop : &m->bounded_in_fn;
  if (*b < 0)
    *b = (signed char)lx_bounded_before(p, fn, c, in_loop ? m->loop : -1);
  return *b;
}

/* Per-event propagation over the calls of function i: what an event loop calls, or
 * what per-event code calls, runs per event.  With bounded set, per_event stops at a
 * bounding step (for unbounded-spawn); without, request_path does not (a thread per
 * connection after sem_wait is still per request). */
static int propagate_fn(lx_program *p, int bounded, size_t i, lx_fnode *const *const *targets,
                        call_memo *const *memos, pending *pd)
{
  int changed = 0;
  lx_fnode *fn = p->order.v[i];
  /* What a call does depends only on its function's state and its target's (which
   * only ever turns on): a function scanned before in the same state has nothing
   * new to give. */
  if (!fn->def || pd->scanned[i] == fn_state(fn))
    return 0;
  pd->scanned[i] = (signed char)fn_state(fn);
  int fn_on = bounded ? fn->per_event : fn->request_path;
  for (size_t j = 0; j < fn->def->calls.n; j++) {
    const lx_call *c = &fn->def->calls.v[j];
    lx_fnode *target = targets[i][j];
    if (!target || !target->def || target == fn || (bounded ? target->per_event : target->request_path))
      continue;
    call_memo *m = &memos[i][j];
    int loop = memo_loop(p, fn, c, m);
    int in_loop = loop >= 0 && m->kind == LX_LOOP_EVENT && !(bounded && memo_bounded(p, fn, c, m, 1));
    int by_caller = !in_loop && fn_on && !(bounded && memo_bounded(p, fn, c, m, 0));
    if (!in_loop && !by_caller)
      continue;
    if (bounded)
      target->per_event = 1;
    target->request_path = 1;
    touch(pd, target);
    if (bounded || !target->why_fmt) {
      if (in_loop)
        set_why(p, target, fn->def->loops.v[loop].loc, "runs once per event of the %s() loop in %s()",
                m->src ? m->src->callee_name : "event", fn->name);
      else
        set_why(p, target, c->loc, "is called from %s(), which runs per event%s", fn->name, "");
    }
    changed = 1;
  }
  return changed;
}

/* One pass over the functions whose state may have changed, in order. */
static int propagate_pass(lx_program *p, int bounded, lx_fnode *const *const *targets, call_memo *const *memos,
                          pending *pd)
{
  int changed = 0;
  for (size_t w = 0; w < pd->nwords; w++)
    for (int b = 0; b < 64; b++) {
      uint64_t rest = pd->bits[w] >> b; /* bits set behind b wait for the next pass */
      if (!rest)
        break;
      b += __builtin_ctzll(rest);
      pd->bits[w] &= ~(1ULL << b);
      size_t i = w * 64 + (size_t)b;
      if (i < p->order.n)
        changed |= propagate_fn(p, bounded, i, targets, memos, pd);
    }
  return changed;
}

static void signal_branches(lx_program *p, regs *rs);

static void per_event_summaries(lx_program *p)
{
  regs rs = {0};
  dispatches ds = {0};
  collect_handlers(p, &rs, &ds);
  signal_branches(p, &rs);
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    for (size_t j = 0; fn->def && j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      int entry = 0;
      if (lx_is_spawn(p, c, &entry) && entry >= 1 && entry <= c->nargs && c->args[entry - 1]->kind == LX_PATH_FUNC) {
        lx_fnode *e = lx_program_fn(p, c->args[entry - 1]->key);
        if (e)
          e->thread_entry = 1;
      }
    }
  }
  /* What each call runs (its callee, or the thread it starts) and which dispatches
   * may call each registered handler: the same in every pass, found once. */
  lx_arena scratch; /* what the propagation keeps between its passes, freed after them */
  lx_arena_init(&scratch);
  lx_fnode ***targets = lx_arena_alloc(&scratch, (p->order.n ? p->order.n : 1) * sizeof(lx_fnode **));
  call_memo **memos = lx_arena_alloc(&scratch, (p->order.n ? p->order.n : 1) * sizeof(call_memo *));
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_func *def = p->order.v[i]->def;
    if (!def)
      continue;
    targets[i] = lx_arena_alloc(&scratch, (def->calls.n ? def->calls.n : 1) * sizeof(lx_fnode *));
    memos[i] = lx_arena_alloc(&scratch, (def->calls.n ? def->calls.n : 1) * sizeof(call_memo));
    for (size_t j = 0; j < def->calls.n; j++) {
      targets[i][j] = call_target(p, &def->calls.v[j]);
      memos[i][j] = (call_memo){-1, -1, -1, LX_LOOP_FIXED, -1, NULL};
    }
  }
  index_vec *matches = match_dispatches(&rs, &ds);
  lx_map fields_read;
  lx_map_init(&fields_read);
  read_fields(p, &fields_read);
  /* Propagation: handlers dispatched per event, called per event, started per event,
   * called by per-event code. */
  pending pd = {lx_arena_alloc(&scratch, p->order.n ? p->order.n : 1), NULL, (p->order.n + 63) / 64};
  pd.bits = lx_arena_alloc(&scratch, (pd.nwords ? pd.nwords : 1) * sizeof(uint64_t));
  touch_all(&pd, p->order.n);
  for (int round = 0, changed = 1; changed && round < 30; round++)
    changed = handlers_pass(p, &rs, &ds, matches, &pd, &fields_read) |
              propagate_pass(p, 1, (lx_fnode *const *const *)targets, (call_memo *const *)memos, &pd);
  for (size_t i = 0; i < p->order.n; i++)
    p->order.v[i]->request_path = p->order.v[i]->per_event;
  touch_all(&pd, p->order.n);
  for (int round = 0, changed = 1; changed && round < 30; round++)
    changed = propagate_pass(p, 0, (lx_fnode *const *const *)targets, (call_memo *const *)memos, &pd);

  lx_map_free(&fields_read);
  for (size_t i = 0; i < rs.n; i++)
    lx_vec_free(&matches[i]);
  free(matches);
  lx_arena_free(&scratch);

  lx_vec_free(&rs);
  lx_vec_free(&ds);
}

void lx_context_seal(lx_program *p)
{
  for (size_t i = 0; i < p->order.n; i++) {
    loops_known(p, p->order.v[i]);
    if (p->order.v[i]->def)
      (void)loop_input(p->order.v[i]);
  }
}

void lx_context_spawns(lx_program *p)
{
  char *dirty = lx_arena_alloc(&p->arena, p->order.n ? p->order.n : 1);
  spawn_summaries(p, dirty);
}

void lx_context_beside(lx_program *p)
{
  char *dirty = lx_xmalloc(p->order.n ? p->order.n : 1);
  waits_summaries(p, dirty);
  startup_summaries(p, dirty);
  free(dirty);
}

/* ---- signal flags: state that only signal handlers set ---------------------------- */

/* A field a signal handler is stored in: struct sigaction's sa_handler/sa_sigaction. */
static int sigaction_field(const lx_path *dst)
{
  if (dst->kind != LX_PATH_FIELD || !dst->key)
    return 0;
  const char *k = dst->key;
  for (const char *f = strstr(k, ".sa_"); f; f = strstr(f + 1, ".sa_")) {
    size_t n = !strncmp(f, ".sa_handler", 11) ? 11 : !strncmp(f, ".sa_sigaction", 13) ? 13 : 0;
    if (n && (f[n] == '\0' || f[n] == '@'))
      return 1;
  }
  return 0;
}

static int cmp_u64(const void *a, const void *b)
{
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

typedef LX_VEC(lx_fnode *) fnode_vec;

static void add_handler(fnode_vec *v, regs *rs, lx_program *p, const lx_path *src, lx_loc loc, const char *via)
{
  lx_fnode *h = src->kind == LX_PATH_FUNC ? lx_program_fn(p, src->key) : NULL;
  if (!h || !h->def)
    return;
  lx_vec_push(v, h);
  add_reg(rs, p, src, NULL, NULL, loc, via); /* it runs once per signal */
}

/* Whether atom a holds only when one of the flags (sorted hashes of global keys) is
 * set: `flag`, `flag == 2`, `flag != 0`. */
static int tests_flag_set(const lx_atom *a, const uint64_t *flags, size_t n)
{
  const lx_path *v = a->lhs, *k = a->rhs;
  if (v->kind == LX_PATH_CONST && a->op != LX_CMP_TRUTHY && a->op != LX_CMP_FALSY) {
    v = a->rhs;
    k = a->lhs;
  }
  int set = a->op == LX_CMP_TRUTHY || (a->op == LX_CMP_EQ && k->kind == LX_PATH_CONST && k->value != 0) ||
            (a->op == LX_CMP_NE && k->kind == LX_PATH_CONST && k->value == 0);
  if (!set || v->kind != LX_PATH_GLOBAL || !v->key || v->deref)
    return 0;
  uint64_t h = lx_map_hash(v->key);
  return bsearch(&h, flags, n, sizeof(uint64_t), cmp_u64) != NULL;
}

/* Marks the branches whose condition tests a global that a signal handler (a function
 * given to signal() or stored in a struct sigaction) sets: fn->signal_branch. */
static void signal_branches(lx_program *p, regs *rs)
{
  fnode_vec handlers = {0};
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_func *f = p->order.v[i]->def;
    for (size_t j = 0; f && j < f->calls.n; j++) {
      const lx_call *c = &f->calls.v[j];
      if (c->callee && c->nargs >= 2 && lx_call_is(p, c, LX_KIND_SIGNAL))
        add_handler(&handlers, rs, p, c->args[1], c->loc, c->callee_name);
      /* struct sigaction sa = {.sa_handler = on_usr1}; sigaction(SIGUSR1, &sa, NULL); */
      if (c->callee && c->nargs >= 2 && lx_call_is(p, c, LX_KIND_SIGACTION) && c->args[1]->kind == LX_PATH_LOCAL &&
          c->args[1]->addr_of && c->args[1]->key)
        for (size_t k = 0; k < f->assigns.n; k++) {
          const lx_assign *a = &f->assigns.v[k];
          if (a->src->kind == LX_PATH_FUNC && a->dst->kind == LX_PATH_LOCAL && !a->dst->deref && a->dst->key &&
              !strcmp(a->dst->key, c->args[1]->key))
            add_handler(&handlers, rs, p, a->src, a->loc, "sigaction");
        }
    }
    for (size_t j = 0; f && j < f->assigns.n; j++)
      if (f->assigns.v[j].src->kind == LX_PATH_FUNC && sigaction_field(f->assigns.v[j].dst))
        add_handler(&handlers, rs, p, f->assigns.v[j].src, f->assigns.v[j].loc, "sigaction");
  }
  LX_VEC(uint64_t) flags = {0};
  for (size_t i = 0; i < handlers.n; i++) {
    const lx_func *f = handlers.v[i]->def;
    for (size_t j = 0; j < f->assigns.n; j++) {
      const lx_path *d = f->assigns.v[j].dst;
      if (d->kind == LX_PATH_GLOBAL && !d->deref && d->key)
        lx_vec_push(&flags, lx_map_hash(d->key));
    }
  }
  lx_vec_free(&handlers);
  if (!flags.n)
    return;
  qsort(flags.v, flags.n, sizeof(uint64_t), cmp_u64);
  for (size_t i = 0; i < p->order.n; i++) {
    lx_fnode *fn = p->order.v[i];
    const lx_func *f = fn->def;
    unsigned char *marks = NULL;
    for (size_t b = 0; f && b < f->branches.n; b++) {
      const lx_branch *br = &f->branches.v[b];
      if (br->loop < 0 || !br->cond.n)
        continue;
      /* `if (flag && x)`: one flag suffices; `if (flag || other)`: all must be flags. */
      int hit = br->cond.disj;
      for (int a = 0; a < br->cond.n; a++) {
        int t = tests_flag_set(&br->cond.a[a], flags.v, flags.n);
        hit = br->cond.disj ? hit && t : hit || t;
      }
      if (!hit)
        continue;
      if (!marks)
        marks = lx_arena_alloc(&p->arena, f->branches.n);
      marks[b] = 1;
    }
    fn->signal_branch = marks;
  }
  lx_vec_free(&flags);
}

void lx_context_events(lx_program *p)
{
  per_event_summaries(p);
  /* LEASH_DEBUG_CONTEXT=1: why each function is thought to run per event. */
  if (getenv("LEASH_DEBUG_CONTEXT"))
    for (size_t i = 0; i < p->order.n; i++) {
      const lx_fnode *fn = p->order.v[i];
      char why[256];
      const char *w = lx_fnode_why(fn, why, sizeof(why));
      if (fn->request_path)
        fprintf(stderr, "leash: context: %s()%s %s [%s:%u]\n", fn->name, fn->per_event ? "" : " (bounded)",
                w ? w : "", fn->why_loc.file ? fn->why_loc.file : "", fn->why_loc.line);
    }
}
