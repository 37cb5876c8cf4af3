/* thread-never-joined.c - a joinable thread whose handle is neither joined nor detached
 * anywhere: a local handle that dies with its function or is overwritten in a loop, a
 * struct field or global that nothing joins (field-sensitive, program-wide). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

/* The handle object an argument designates: &t -> t, p -> *p. */
static lx_path handle_of(const lx_path *arg)
{
  lx_path h = *arg;
  if (h.addr_of)
    h.addr_of = 0;
  else if (h.kind == LX_PATH_LOCAL || h.kind == LX_PATH_PARAM || h.kind == LX_PATH_GLOBAL)
    h.deref = 1;
  return h;
}

typedef struct {
  const lx_fn *fn;
  const lx_call *call;
} detach_set;

typedef struct {
  const lx_prog *p;
  uint64_t *joins_params; /* per function: bit i, joins or detaches its parameter i+1 */
  lx_map ended_keys;      /* "F:struct a.worker", "G:usr": joined or detached somewhere */
  lx_map event_ended;     /* ... by a join that runs per event (a stop command that waits) */
  lx_map event_skipped;   /* ... key -> 1 + the index in skipped_joins of the join call that
                           * per-event code reaches but turns off (the map's values are not const) */
  LX_VEC(const lx_call *) skipped_joins;
  /* The calls that set an attribute detached (pthread_attr_setdetachstate(a,
   * PTHREAD_CREATE_DETACHED)), in program order, found on the first spawn that gives
   * an attribute: each spawn looks at these, not at every call of the program. */
  LX_VEC(detach_set) detach_sets;
  int detach_found;
} state;

/* Does call c end (join/detach) the value in its argument a (1-based)? */
static int call_ends_arg(const state *st, const lx_call *c, int a)
{
  if (a == 1 && c->callee &&
      (lx_rq_call_is(st->p, c, LX_KIND_THREAD_JOIN) || lx_rq_call_is(st->p, c, LX_KIND_THREAD_TRY_JOIN) ||
       lx_rq_call_is(st->p, c, LX_KIND_THREAD_DETACH)))
    return 1;
  int ja;
  if (lx_rq_call_has(st->p, c, LX_ANN_JOINS, &ja) && ja == a)
    return 1; /* a team's own join wrapper (leash:joins:n) */
  const lx_fn *callee = lx_rq_callee(st->p, c);
  return callee && a <= LX_RQ_MAX_PARAMS && (st->joins_params[lx_rq_fn_index(callee)] & (1ULL << (a - 1)));
}

/* The parameter (1-based) whose truth join call c in fn needs: `if (wait) join(t)`,
 * `if (wait && join(t) != 0)`; 0 when none. */
static int guard_param(const lx_fn *fn, const lx_call *c)
{
  const lx_func *f = lx_rq_body(fn);
  const lx_branch *cond_of = NULL; /* the branch whose condition c is part of */
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    if (c->in_cond && b->then_begin > c->seq && (!cond_of || b->then_begin < cond_of->then_begin))
      cond_of = b;
  }
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    if (b != cond_of && !(c->seq >= b->then_begin && c->seq < b->then_end))
      continue;
    for (int a = 0; a < b->cond.n && !b->cond.disj; a++) {
      const lx_atom *t = &b->cond.a[a];
      if (t->op == LX_CMP_TRUTHY && t->lhs->kind == LX_PATH_PARAM && !t->lhs->deref && !t->lhs->addr_of)
        return t->lhs->index;
    }
  }
  return 0;
}

/* Whether join call c in fn runs per event: 1 yes, 0 not on the request path, -1 its
 * function runs per event but every per-event caller turns the join off (passes a
 * constant false for the parameter that guards it: `stop_worker(NOWAIT)`). */
static int join_per_event(const lx_fn *fn, const lx_call *c)
{
  if (!lx_rq_request_path(fn))
    return 0;
  int param = guard_param(fn, c);
  if (!param)
    return 1;
  int off = 0;
  for (size_t k = 0; k < lx_rq_ncallers(fn); k++) {
    const lx_call *cc;
    const lx_fn *g = lx_rq_caller(fn, k, &cc);
    if (!lx_rq_request_path(g) || !lx_rq_body(g))
      continue;
    if (param > cc->nargs || cc->args[param - 1]->kind != LX_PATH_CONST || cc->args[param - 1]->value != 0)
      return 1;
    off = 1;
  }
  return off ? -1 : 1;
}

/* One pass over fn's calls (lx_fixed_point: arg is the state).  What it finds depends
 * only on the callees' joins_params, so when fn's own grew, its callers look again. */
static int summary_step(void *arg, const lx_fn *fn, char *dirty)
{
  state *st = arg;
  if (!lx_rq_body(fn))
    return 0;
  uint64_t before = st->joins_params[lx_rq_fn_index(fn)];
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *c = lx_rq_call(fn, j);
    for (int a = 1; a <= c->nargs; a++) {
      if (!call_ends_arg(st, c, a))
        continue;
      int cls = lx_rq_class(fn, c->args[a - 1]);
      int per_event = -2; /* not asked yet */
      for (size_t i = 0; i < lx_rq_nmembers(fn, cls); i++) {
        lx_rq_member m = lx_rq_member_at(fn, cls, i);
        if (m.object && !lx_map_get_h(&st->ended_keys, m.object, m.object_hash))
          lx_map_put_h(&st->ended_keys, m.object, m.object_hash, (void *)1);
        if (m.object && (m.kind == 'F' || m.kind == 'G')) {
          if (per_event == -2)
            per_event = join_per_event(fn, c);
          if (per_event > 0 && !lx_map_get_h(&st->event_ended, m.object, m.object_hash))
            lx_map_put_h(&st->event_ended, m.object, m.object_hash, (void *)1);
          if (per_event < 0 && !lx_map_get_h(&st->event_skipped, m.object, m.object_hash)) {
            lx_vec_push(&st->skipped_joins, c);
            lx_map_put_h(&st->event_skipped, m.object, m.object_hash, (void *)(uintptr_t)st->skipped_joins.n);
          }
        }
        if (m.kind == 'P' && !m.deref && m.index >= 1 && m.index <= LX_RQ_MAX_PARAMS)
          st->joins_params[lx_rq_fn_index(fn)] |= 1ULL << (m.index - 1);
      }
    }
  }
  if (st->joins_params[lx_rq_fn_index(fn)] == before)
    return 0;
  lx_rq_mark_callers(fn, dirty);
  return 1;
}

static void summaries(state *st)
{
  char *dirty = lx_xmalloc(lx_rq_nfns(st->p) ? lx_rq_nfns(st->p) : 1);
  lx_rq_fixed_point(st->p, dirty, 20, summary_step, st);
  free(dirty);
}

static void find_detach_sets(state *st)
{
  const lx_prog *p = st->p;
  st->detach_found = 1;
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *g = lx_rq_fn_at(p, i);
    for (size_t j = 0; j < lx_rq_ncalls(g); j++) {
      const lx_call *d = lx_rq_call(g, j);
      if (!d->callee_name || strcmp(d->callee_name, "pthread_attr_setdetachstate") || d->nargs < 2)
        continue;
      const lx_path *v = d->args[1];
      if (v->kind == LX_PATH_CONST && ((v->name && !strcmp(v->name, "PTHREAD_CREATE_DETACHED")) || v->value == 1))
        lx_vec_push(&st->detach_sets, ((detach_set){g, d}));
    }
  }
}

/* Created detached: an attribute set to PTHREAD_CREATE_DETACHED, or an entry function
 * that detaches itself with pthread_detach(pthread_self()). */
static int created_detached(state *st, const lx_fn *fn, const lx_call *c, int attr_arg)
{
  const lx_prog *p = st->p;
  if (attr_arg && attr_arg <= c->nargs) {
    lx_path attr = handle_of(c->args[attr_arg - 1]);
    int cls = lx_rq_class(fn, &attr);
    char key[512];
    const char *ak = lx_rq_path_key(&attr, key, sizeof(key));
    if (!st->detach_found)
      find_detach_sets(st);
    for (size_t i = 0; i < st->detach_sets.n; i++) {
      const lx_fn *g = st->detach_sets.v[i].fn;
      const lx_call *d = st->detach_sets.v[i].call;
      lx_path da = handle_of(d->args[0]);
      if (g == fn && cls >= 0 && lx_rq_class(fn, &da) == cls)
        return 1;
      char dk[512];
      /* A shared attribute object (global or field) configured anywhere. */
      if (ak && (ak[0] == 'G' || ak[0] == 'F') && lx_rq_path_key(&da, dk, sizeof(dk)) && !strcmp(dk, ak))
        return 1;
    }
  }
  int entry = 0;
  if (!lx_rq_call_has(p, c, LX_ANN_SPAWNS, &entry) || entry > c->nargs || c->args[entry - 1]->kind != LX_PATH_FUNC)
    return 0;
  const lx_fn *e = lx_rq_fn_by_usr(p, c->args[entry - 1]->key);
  if (!e || !lx_rq_body(e))
    return 0;
  for (size_t j = 0; j < lx_rq_ncalls(e); j++) {
    const lx_call *d = lx_rq_call(e, j);
    if (d->callee_name && (!strcmp(d->callee_name, "pthread_detach") || !strcmp(d->callee_name, "thrd_detach")) &&
        d->nargs >= 1 && d->args[0]->kind == LX_PATH_CALL)
      return 1;
  }
  return 0;
}

/* Where a handle of class cls in fn is ended: 1 joined/detached, 0 not; *loop_only set
 * when the only join is outside the loop that creates handles into one variable. */
static int ended_in(const state *st, const lx_fn *fn, int cls, const lx_call *spawn, int *outside_loop)
{
  size_t it = 0;
  const char *k;
  char key[512];
  while ((k = lx_rq_next_key(fn, cls, &it))) {
    snprintf(key, sizeof(key), "%s", k);
    lx_rq_undo_deref(key);
    if ((key[0] == 'F' || key[0] == 'G') && lx_map_get(&st->ended_keys, key))
      return 1;
  }
  int found = 0;
  *outside_loop = 0;
  /* The next thread created into the same variable, if any: a join after it is the
   * new thread's, not this one's. */
  int next_seq = -1;
  for (size_t j = 0; j < lx_rq_ncalls(fn) && spawn->loop < 0; j++) {
    const lx_call *c = lx_rq_call(fn, j);
    if (c != spawn && c->seq > spawn->seq && c->callee_name && !strcmp(c->callee_name, spawn->callee_name) &&
        c->nargs >= 1 && spawn->nargs >= 1 && !c->args[0]->deref && lx_rq_class(fn, c->args[0]) == cls &&
        (next_seq < 0 || c->seq < next_seq))
      next_seq = c->seq;
  }
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *c = lx_rq_call(fn, j);
    for (int a = 1; a <= c->nargs; a++) {
      if (!call_ends_arg(st, c, a) || lx_rq_class(fn, c->args[a - 1]) != cls)
        continue;
      if (next_seq >= 0 && c->seq > next_seq) {
        *outside_loop = 2; /* overwritten before this join */
        continue;
      }
      /* One variable reused in a loop: a join after the loop sees the last thread only.
       * An array element (t[i]) is a different handle each pass. */
      if (spawn->loop >= 0 && !lx_rq_loop_contains(lx_rq_body(fn), spawn->loop, c->loop) && !c->args[a - 1]->deref)
        *outside_loop = 1;
      else
        found = 1;
    }
  }
  return found;
}

/* Does the handle leave fn in a way we cannot follow (returned, stored through a
 * parameter, passed to a function that is not a join)? */
static int escapes(const state *st, const lx_fn *fn, int cls, const lx_call *spawn)
{
  size_t it = 0;
  const char *k;
  while ((k = lx_rq_next_key(fn, cls, &it)))
    if (k[0] == 'R' || k[0] == 'P')
      return 1;
  for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
    const lx_call *c = lx_rq_call(fn, j);
    if (c == spawn)
      continue;
    for (int a = 1; a <= c->nargs; a++)
      if (lx_rq_class(fn, c->args[a - 1]) == cls && !call_ends_arg(st, c, a) &&
          !(c->callee_name && !strncmp(c->callee_name, "pthread_", 8)))
        return 1;
  }
  return 0;
}

/* A thread started per event into a shared handle (a runtime "enable" command) whose
 * per-event stop turns its join off ("disable" without waiting): each enable/disable
 * cycle overwrites a handle nothing joined.  Reports it and returns 1. */
static int restart_leaks(lx_rule_ctx *ctx, const state *st, const lx_fn *fn, const lx_call *c,
                         const lx_path *h, const char *name)
{
  char key[512];
  if (!lx_rq_request_path(fn) || !lx_rq_path_key(h, key, sizeof(key)))
    return 0;
  lx_rq_undo_deref(key);
  if ((key[0] != 'F' && key[0] != 'G') || lx_map_get(&st->event_ended, key))
    return 0;
  uintptr_t skip = (uintptr_t)lx_map_get(&st->event_skipped, key);
  if (!skip)
    return 0;
  const lx_call *skipped = st->skipped_joins.v[skip - 1];
  char fwb[256];
  const char *fw = lx_rq_why(fn, fwb, sizeof(fwb));
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, LX_SEV_ERROR, c->loc, lx_rq_fn_name(fn), name,
      "%s() starts a joinable thread into '%s' each time %s() runs, and it %s; the stop that runs per event "
      "does not join it (the join at line %u is turned off by the argument its per-event callers pass), so each "
      "start after a stop overwrites the handle of a thread nobody joined, and every cycle leaks one; join it in "
      "the per-event stop (pthread_join), or detach it (pthread_detach, PTHREAD_CREATE_DETACHED)",
      c->callee_name, name, lx_rq_fn_name(fn), fw ? fw : "runs per event", skipped->loc.line);
  if (fw)
    lx_finding_chain(ctx->out, fd, lx_finding_relate(ctx->out, fd, lx_rq_why_loc(fn), "%s() %s", lx_rq_fn_name(fn), fw),
                     NULL, "%s() starts a thread into '%s' here, each time %s() runs", c->callee_name, name,
                     lx_rq_fn_name(fn));
  lx_finding_relate(ctx->out, fd, skipped->loc, "the join that per-event code turns off");
  return 1;
}

static void check_spawn(lx_rule_ctx *ctx, state *st, const lx_fn *fn, const lx_call *c, int handle_arg,
                        int attr_arg)
{
  int entry;
  if (lx_rq_call_has(st->p, c, LX_ANN_SPAWNS, &entry) && !lx_rq_is_spawn(st->p, c, &entry))
    return; /* no function to run: nothing starts */
  lx_path h;
  if (handle_arg) {
    if (handle_arg > c->nargs)
      return;
    h = handle_of(c->args[handle_arg - 1]);
  } else {
    /* The result: find what it is assigned to. */
    memset(&h, 0, sizeof(h));
    const lx_func *f = lx_rq_body(fn);
    for (size_t i = 0; i < f->assigns.n; i++) {
      const lx_assign *a = &f->assigns.v[i];
      if (a->src->kind == LX_PATH_CALL && lx_rq_call(fn, a->src->index) == c)
        h = *a->dst;
    }
  }
  if (created_detached(st, fn, c, attr_arg))
    return;
  char name[256];
  lx_path_str(&h, name, sizeof(name));
  if (restart_leaks(ctx, st, fn, c, &h, name))
    return;
  int cls = h.kind != LX_PATH_UNKNOWN ? lx_rq_class(fn, &h) : -1;
  const char *why;
  char whybuf[512];
  char hkey[512];
  if (cls < 0 && handle_arg && lx_rq_path_key(&h, hkey, sizeof(hkey))) {
    /* A handle no other code in the function mentions (t[i] never joined). */
    lx_rq_undo_deref(hkey);
    if ((hkey[0] == 'F' || hkey[0] == 'G') && lx_map_get(&st->ended_keys, hkey))
      return;
    if (h.kind == LX_PATH_PARAM)
      return; /* stored through a parameter: the caller owns it */
    snprintf(whybuf, sizeof(whybuf), h.kind == LX_PATH_FIELD || h.kind == LX_PATH_GLOBAL
                                         ? "nothing in the program passes %s to a join or detach"
                                         : "nothing joins or detaches the threads stored in '%s'",
             h.kind == LX_PATH_FIELD ? h.key : h.name ? h.name : name);
    why = whybuf;
  } else if (cls < 0) {
    if (handle_arg)
      return; /* a handle we cannot name: say nothing */
    why = "its handle is dropped at once";
    snprintf(name, sizeof(name), "%s()", c->callee_name);
  } else {
    int outside = 0;
    if (ended_in(st, fn, cls, c, &outside))
      return;
    if (escapes(st, fn, cls, c))
      return;
    if (h.kind == LX_PATH_FIELD || h.kind == LX_PATH_GLOBAL || (h.base && h.base->kind == LX_PATH_GLOBAL)) {
      snprintf(whybuf, sizeof(whybuf), "nothing in the program passes %s to a join or detach", name);
      why = whybuf;
    } else if (outside == 2) {
      snprintf(whybuf, sizeof(whybuf), "'%s' is overwritten by the next thread started into it before any "
               "join, so this thread's handle is lost", name);
      why = whybuf;
    } else if (outside) {
      snprintf(whybuf, sizeof(whybuf), "'%s' is overwritten on every pass of the loop, so the join after it "
               "sees only the last thread", name);
      why = whybuf;
    } else if (h.deref && h.kind == LX_PATH_LOCAL) {
      snprintf(whybuf, sizeof(whybuf), "nothing joins or detaches the threads stored in '%s'", h.name ? h.name : name);
      why = whybuf;
    } else {
      snprintf(whybuf, sizeof(whybuf), "handle '%s' is local to %s() and is lost when it returns", name,
               lx_rq_fn_name(fn));
      why = whybuf;
    }
  }
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, lx_rq_request_path(fn) ? LX_SEV_ERROR : LX_SEV_WARNING, c->loc, lx_rq_fn_name(fn), name,
      "%s() starts a joinable thread that is never joined or detached: %s; its stack and descriptor "
      "stay allocated until the process exits; join it where its owner shuts down (pthread_join), or "
      "detach it (pthread_detach, PTHREAD_CREATE_DETACHED); libleash's leash_thread_spawn and "
      "leash_verify_none() find such threads in tests",
      c->callee_name, why);
  if (c->loop >= 0)
    lx_finding_relate(ctx->out, fd, lx_rq_body(fn)->loops.v[c->loop].loc, "threads are started in this loop");
}

void lx_rule_thread_never_joined(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  state st;
  memset(&st, 0, sizeof(st));
  st.p = p;
  st.joins_params = lx_xcalloc(lx_rq_nfns(p) ? lx_rq_nfns(p) : 1, sizeof(uint64_t));
  lx_map_init(&st.ended_keys);
  lx_map_init(&st.event_ended);
  lx_map_init(&st.event_skipped);
  summaries(&st);
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_call *c = lx_rq_call(fn, j);
      /* A call that creates a joinable thread, and where its handle goes (the
       * catalogue's thread_handle, thread_attr). */
      const lx_api *api = c->callee ? lx_rq_call_api(p, c) : NULL;
      if (api && api->thread_handle >= 0)
        check_spawn(ctx, &st, fn, c, api->thread_handle, api->thread_attr);
    }
  }
  lx_map_free(&st.ended_keys);
  lx_map_free(&st.event_ended);
  lx_map_free(&st.event_skipped);
  lx_vec_free(&st.detach_sets);
  lx_vec_free(&st.skipped_joins);
  free(st.joins_params);
}
