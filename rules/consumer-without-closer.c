/* consumer-without-closer.c - a thread (or what it calls) that loops on a blocking
 * receive and can never leave the loop, or leaves only on state that no code in the
 * whole program ever sets to the value that stops it: a flag never written, a queue
 * never closed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

static int is_receive(const lx_prog *p, const lx_call *c)
{
  return lx_rq_call_has(p, c, LX_ANN_RECEIVES, NULL) || (c->callee && lx_rq_call_is(p, c, LX_KIND_STREAM_READ));
}

static lx_cmp_op negate(lx_cmp_op op)
{
  static const lx_cmp_op neg[] = {LX_CMP_NONE, LX_CMP_FALSY, LX_CMP_TRUTHY, LX_CMP_GE, LX_CMP_GT,
                                  LX_CMP_LE,   LX_CMP_LT,    LX_CMP_NE,     LX_CMP_EQ};
  return neg[op];
}

/* Would writing v make "flag <op> rhs" true? */
static int value_stops(lx_cmp_op op, long long v, const lx_path *rhs)
{
  int known = rhs && rhs->kind == LX_PATH_CONST;
  long long r = known ? rhs->value : 0;
  switch (op) {
  case LX_CMP_TRUTHY: return v != 0;
  case LX_CMP_FALSY: return v == 0;
  case LX_CMP_EQ: return !known || v == r;
  case LX_CMP_NE: return !known || v != r;
  case LX_CMP_LT: return !known || v < r;
  case LX_CMP_LE: return !known || v <= r;
  case LX_CMP_GT: return !known || v > r;
  case LX_CMP_GE: return !known || v >= r;
  default: return 1;
  }
}

/* Does some code anywhere write to flag key a value that makes exit_op hold?  *where
 * gets one such write. */
static int flag_set_somewhere(const lx_prog *p, const char *key, lx_cmp_op exit_op, const lx_path *rhs,
                              lx_loc *where)
{
  char k[512];
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *fn = lx_rq_fn_at(p, i);
    const lx_func *f = lx_rq_body(fn);
    if (!f)
      continue;
    for (size_t j = 0; j < f->assigns.n; j++) {
      const lx_assign *a = &f->assigns.v[j];
      if (!lx_rq_path_key(a->dst, k, sizeof(k)))
        continue;
      lx_rq_undo_deref(k);
      if (strcmp(k, key))
        continue;
      if (a->src->kind != LX_PATH_CONST || value_stops(exit_op, a->src->value, rhs)) {
        *where = a->loc;
        return 1;
      }
    }
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_call *c = lx_rq_call(fn, j);
      if (!c->callee || !lx_rq_call_is(p, c, LX_KIND_ATOMIC_STORE) || c->nargs < 2)
        continue;
      lx_path d = *c->args[0];
      d.addr_of = 0;
      if (!lx_rq_path_key(&d, k, sizeof(k)))
        continue;
      lx_rq_undo_deref(k);
      if (strcmp(k, key))
        continue;
      if (c->args[1]->kind != LX_PATH_CONST || value_stops(exit_op, c->args[1]->value, rhs)) {
        *where = c->loc;
        return 1;
      }
    }
  }
  return 0;
}

typedef struct {
  const lx_prog *p;
  const lx_fn *fn;
  const lx_call *recv;   /* the blocking receive in the loop */
  char flag[256];        /* a flag the loop waits on that nothing sets, for the message */
  lx_loc flag_loc;
  lx_cmp_op flag_op;     /* ... and the test that would end the loop */
  int flags_unset;       /* exits that depend on flags nobody sets */
  int exits;             /* exits that can happen */
} exit_check;

/* An exit guarded by atom a (exit happens when exit_op holds of a's value). */
static void atom_exit(exit_check *ec, const lx_atom *a, lx_cmp_op exit_op, lx_loc at)
{
  const lx_path *v = a->lhs;
  const lx_path *rhs = a->rhs;
  if (exit_op == LX_CMP_NONE) {
    ec->exits++;
    return;
  }
  /* Constant on the left: `0 == x` - look at the other side. */
  if (v->kind == LX_PATH_CONST && a->op >= LX_CMP_LT) {
    const lx_path *t = v;
    v = rhs;
    rhs = t;
  }
  /* atomic_load(&flag): the flag itself. */
  lx_path loaded;
  if (v->kind == LX_PATH_CALL && v->index >= 0 && (size_t)v->index < lx_rq_ncalls(ec->fn)) {
    const lx_call *ld = lx_rq_call(ec->fn, v->index);
    if (ld->callee && lx_rq_call_is(ec->p, ld, LX_KIND_ATOMIC_LOAD) && ld->nargs >= 1) {
      loaded = *ld->args[0];
      loaded.addr_of = 0;
      v = &loaded;
    }
  }
  char key[512];
  int cls = lx_rq_class(ec->fn, v);
  /* The flags this value stands for: itself, or what its alias class holds. */
  int nflags = 0, stoppable = 0;
  if ((v->kind == LX_PATH_FIELD || v->kind == LX_PATH_GLOBAL) && lx_rq_path_key(v, key, sizeof(key))) {
    lx_rq_undo_deref(key);
    nflags++;
    lx_loc w;
    if (flag_set_somewhere(ec->p, key, exit_op, rhs, &w))
      stoppable = 1;
    else if (!ec->flag[0]) {
      snprintf(ec->flag, sizeof(ec->flag), "%.200s", v->kind == LX_PATH_FIELD ? v->key : v->name ? v->name : key + 2);
      ec->flag_loc = at;
      ec->flag_op = exit_op;
    }
  } else if (cls >= 0) {
    size_t it = 0;
    const char *k;
    while ((k = lx_rq_next_key(ec->fn, cls, &it))) {
      if (k[0] != 'F' && k[0] != 'G')
        continue;
      snprintf(key, sizeof(key), "%s", k);
      lx_rq_undo_deref(key);
      nflags++;
      lx_loc w;
      if (flag_set_somewhere(ec->p, key, exit_op, rhs, &w))
        stoppable = 1;
      else if (!ec->flag[0]) {
        snprintf(ec->flag, sizeof(ec->flag), "%.200s", key + 2);
        ec->flag_loc = at;
        ec->flag_op = exit_op;
      }
    }
  }
  if (!nflags || stoppable)
    ec->exits++; /* a local, a call's result, an input: assume it can change */
  else
    ec->flags_unset++;
}

static void cond_exits(exit_check *ec, const lx_cond *c, int negated, lx_loc at)
{
  if (c->n == 0) {
    ec->exits++;
    return;
  }
  for (int i = 0; i < c->n; i++)
    atom_exit(ec, &c->a[i], negated ? negate(c->a[i].op) : c->a[i].op, at);
}

/* Whether the loop's exit waits on the receive's own "closed" result, and the object
 * received from is closed somewhere; *object names it. */
static int receive_closed_somewhere(const lx_prog *p, const lx_fn *fn, const lx_call *r, char *object,
                                    size_t n)
{
  int arg;
  if (!lx_rq_call_has(p, r, LX_ANN_RECEIVES, &arg) || arg > r->nargs)
    return 1;
  const lx_path *o = r->args[arg - 1];
  lx_path_str(o, object, n);
  char key[512];
  const char *ok = lx_rq_path_key(o, key, sizeof(key));
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *g = lx_rq_fn_at(p, i);
    for (size_t j = 0; j < lx_rq_ncalls(g); j++) {
      const lx_call *c = lx_rq_call(g, j);
      int carg;
      if (!lx_rq_call_has(p, c, LX_ANN_CLOSES, &carg) || carg > c->nargs)
        continue;
      const lx_path *co = c->args[carg - 1];
      char ck[512];
      if (ok && (ok[0] == 'F' || ok[0] == 'G') && lx_rq_path_key(co, ck, sizeof(ck)) && !strcmp(ck, ok))
        return 1;
      /* Objects passed around by pointer: the same type closed anywhere counts. */
      if (o->type && co->type && !strcmp(o->type, co->type))
        return 1;
      if (g == fn && lx_rq_class(fn, co) >= 0 && lx_rq_class(fn, co) == lx_rq_class(fn, o))
        return 1;
    }
  }
  (void)fn;
  return 0;
}

/* Checks loop li of fn, which contains receive r.  Returns 1 and fills msg when nothing
 * can ever make the loop end. */
static int loop_stuck(const lx_prog *p, const lx_fn *fn, int li, const lx_call *r, char *msg, size_t n,
                      lx_loc *related)
{
  const lx_func *f = lx_rq_body(fn);
  const lx_loop *l = &f->loops.v[li];
  exit_check ec;
  memset(&ec, 0, sizeof(ec));
  ec.p = p;
  ec.fn = fn;
  ec.recv = r;
  if (!l->infinite)
    cond_exits(&ec, &l->cond, 1, l->loc);
  int unguarded_exit = 0;
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *b = &f->branches.v[i];
    if (b->loop < 0 || !lx_rq_loop_contains(f, li, b->loop))
      continue;
    /* A break in a nested loop leaves that loop only; return, goto and exit() leave all. */
    if (!(b->loop == li ? b->then_exits : b->then_returns))
      continue;
    cond_exits(&ec, &b->cond, 0, b->loc);
  }
  /* A break or return not under any if inside the loop. */
  if (l->has_exit && !ec.exits && !ec.flags_unset)
    unguarded_exit = 1;
  if (ec.exits || unguarded_exit)
    return 0;
  *related = l->loc;
  if (ec.flags_unset) {
    const char *change = ec.flag_op == LX_CMP_TRUTHY ? "is set" : ec.flag_op == LX_CMP_FALSY ? "is cleared"
                                                                                        : "changes";
    const char *does = ec.flag_op == LX_CMP_TRUTHY ? "sets it" : ec.flag_op == LX_CMP_FALSY ? "clears it"
                                                                                          : "changes it so";
    snprintf(msg, n, "leaves its loop only when '%s' %s, and no code in the program ever %s", ec.flag, change, does);
    *related = ec.flag_loc;
  } else {
    snprintf(msg, n, "loops forever: nothing ever leaves the loop");
  }
  return 1;
}

/* The objects pthread_cancel is called on anywhere in the program ("F:struct a.t",
 * "G:usr"), found in one walk of every call. */
static void cancel_keys(const lx_prog *p, lx_map *out)
{
  char dk[512];
  for (size_t a = 0; a < lx_rq_nfns(p); a++) {
    const lx_fn *x = lx_rq_fn_at(p, a);
    for (size_t b = 0; b < lx_rq_ncalls(x); b++) {
      const lx_call *d = lx_rq_call(x, b);
      if (!lx_rq_call_is(p, d, LX_KIND_THREAD_CANCEL) || d->nargs < 1 || !lx_rq_path_key(d->args[0], dk, sizeof(dk)))
        continue;
      lx_rq_undo_deref(dk);
      lx_map_put(out, dk, (void *)1);
    }
  }
}

/* Whether call c starts a thread running entry. */
static int spawns_entry(const lx_prog *p, const lx_call *c, const lx_fn *entry)
{
  int e;
  return lx_rq_is_spawn(p, c, &e) && e >= 1 && e <= c->nargs && c->args[e - 1]->kind == LX_PATH_FUNC &&
         !strcmp(c->args[e - 1]->key, lx_rq_fn_usr(entry));
}

/* Started and later cancelled: pthread_cancel on the handle of a spawn of entry, in the
 * same function or through the field or global the handle is kept in. */
static int cancelled(const lx_prog *p, const lx_map *cancel_keys, const lx_fn *entry)
{
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *g = lx_rq_fn_at(p, i);
    for (size_t j = 0; j < lx_rq_ncalls(g); j++) {
      const lx_call *c = lx_rq_call(g, j);
      if (!spawns_entry(p, c, entry))
        continue;
      lx_path h = *c->args[0];
      h.addr_of = 0;
      char hk[512];
      if (lx_rq_path_key(&h, hk, sizeof(hk))) {
        lx_rq_undo_deref(hk);
        if ((hk[0] == 'F' || hk[0] == 'G') && lx_map_get(cancel_keys, hk))
          return 1;
      }
      int cls = lx_rq_class(g, &h);
      size_t it = 0;
      const char *k;
      while (cls >= 0 && (k = lx_rq_next_key(g, cls, &it))) {
        snprintf(hk, sizeof(hk), "%s", k);
        lx_rq_undo_deref(hk);
        if ((hk[0] == 'F' || hk[0] == 'G') && lx_map_get(cancel_keys, hk))
          return 1;
      }
      for (size_t b = 0; cls >= 0 && b < lx_rq_ncalls(g); b++) {
        const lx_call *d = lx_rq_call(g, b);
        if (d->callee_name && !strcmp(d->callee_name, "pthread_cancel") && d->nargs >= 1 &&
            lx_rq_class(g, d->args[0]) == cls)
          return 1;
      }
    }
  }
  return 0;
}

/* Is entry started in an event loop or by per-event code, bounded or not? */
static int started_per_event(const lx_prog *p, const lx_fn *entry)
{
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *g = lx_rq_fn_at(p, i);
    for (size_t j = 0; j < lx_rq_ncalls(g); j++) {
      const lx_call *c = lx_rq_call(g, j);
      if (!spawns_entry(p, c, entry))
        continue;
      lx_rq_loop kind;
      const lx_call *src;
      if (lx_rq_per_event(g) ||
          (c->loop >= 0 && lx_rq_unbounded_loop(p, g, c, &kind, &src) >= 0 && kind == LX_RQ_LOOP_EVENT))
        return 1;
    }
  }
  return 0;
}

/* The spawn sites that start entry, as related locations: "started here, by
 * start_x()" (a few: a wrapper called from many places names the wrapper's callers). */
static void relate_spawns(lx_rule_ctx *ctx, lx_finding *fd, const lx_fn *entry)
{
  const lx_prog *p = ctx->prog;
  int n = 0;
  for (size_t i = 0; i < lx_rq_nfns(p) && n < 4; i++) {
    const lx_fn *g = lx_rq_fn_at(p, i);
    for (size_t j = 0; j < lx_rq_ncalls(g) && n < 4; j++) {
      const lx_call *c = lx_rq_call(g, j);
      if (!spawns_entry(p, c, entry))
        continue;
      lx_finding_relate(ctx->out, fd, c->loc, "thread %s() is started here, by %s() with %s()", lx_rq_fn_name(entry),
                        lx_rq_fn_name(g), c->callee_name ? c->callee_name : "a spawn");
      n++;
    }
  }
}

void lx_rule_consumer_without_closer(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  size_t n = lx_rq_nfns(p);
  /* Which functions run on a thread, and the entry each is reached from. */
  const lx_fn **entry_of = lx_xcalloc(n ? n : 1, sizeof(*entry_of));
  LX_VEC(const lx_fn *) work = {0};
  lx_map cancelled_keys;
  lx_map_init(&cancelled_keys);
  cancel_keys(p, &cancelled_keys);
  for (size_t i = 0; i < n; i++) {
    const lx_fn *fn = lx_rq_fn_at(p, i);
    if (lx_rq_thread_entry(fn) && lx_rq_body(fn) && !cancelled(p, &cancelled_keys, fn)) {
      entry_of[i] = fn;
      lx_vec_push(&work, fn);
    }
  }
  lx_map_free(&cancelled_keys);
  while (work.n) {
    const lx_fn *fn = work.v[--work.n];
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_fn *callee = lx_rq_callee(p, lx_rq_call(fn, j));
      if (callee && lx_rq_body(callee) && !entry_of[lx_rq_fn_index(callee)]) {
        entry_of[lx_rq_fn_index(callee)] = entry_of[lx_rq_fn_index(fn)];
        lx_vec_push(&work, callee);
      }
    }
  }
  lx_vec_free(&work);
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    size_t i = lx_rq_fn_index(fn);
    if (!entry_of[i])
      continue;
    const lx_func *f = lx_rq_body(fn);
    char *reported = lx_xcalloc(f->loops.n ? f->loops.n : 1, 1);
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_call *r = lx_rq_call(fn, j);
      if (r->loop < 0 || !is_receive(p, r))
        continue;
      /* Outermost loop first: the thread ends only if every loop around the wait can end. */
      int chain[64], nc = 0;
      for (int l = r->loop; l >= 0 && nc < 64; l = f->loops.v[l].parent)
        chain[nc++] = l;
      for (int k = nc - 1; k >= 0; k--) {
        int li = chain[k];
        char msg[512];
        lx_loc rel;
        int stuck = loop_stuck(p, fn, li, r, msg, sizeof(msg), &rel);
        char object[256] = "";
        if (!stuck && !lx_rq_call_is(p, r, LX_KIND_COND_WAIT) && lx_rq_call_has(p, r, LX_ANN_RECEIVES, NULL) &&
            !f->loops.v[li].infinite && !receive_closed_somewhere(p, fn, r, object, sizeof(object))) {
          snprintf(msg, sizeof(msg), "waits on '%s' until it is closed, and no code in the program closes it",
                   object);
          rel = f->loops.v[li].loc;
          stuck = 1;
        }
        if (!stuck)
          continue;
        if (reported[li])
          break;
        reported[li] = 1;
        const lx_fn *entry = entry_of[i];
        lx_severity sev = lx_rq_per_event(entry) || lx_rq_per_event(fn) || started_per_event(p, entry) ? LX_SEV_ERROR
                                                                                       : LX_SEV_NOTE;
        char who[256];
        if (entry == fn)
          snprintf(who, sizeof(who), "thread %s()", lx_rq_fn_name(fn));
        else
          snprintf(who, sizeof(who), "%s(), run by thread %s(),", lx_rq_fn_name(fn), lx_rq_fn_name(entry));
        lx_finding *fd = lx_findings_add(
            ctx->out, ctx->id, sev, r->loc, lx_rq_fn_name(fn), r->callee_name,
            "%s blocks in %s() and %s, so it never stops: %s; give it a way out that shutdown uses: "
            "a closable queue (leash_chan_close, after which leash_chan_recv returns LEASH_ECLOSED), or a "
            "stop flag that shutdown sets before pthread_cond_broadcast, then join the thread",
            who, r->callee_name, msg,
            sev == LX_SEV_ERROR ? "one such thread leaks per request" : "a worker that lives as long as the process "
            "cannot be shut down cleanly or tested for leaks");
        lx_related *way_out = lx_finding_relate(ctx->out, fd, rel, "%s", f->loops.v[li].loc.line == rel.line
                                                                           ? "the loop it cannot leave"
                                                                           : "the exit that never happens");
        lx_related *starts =
            entry != fn ? lx_finding_relate(ctx->out, fd, lx_rq_body(entry)->loc, "the thread starts here") : NULL;
        int nrel = fd->nrelated;
        relate_spawns(ctx, fd, entry);
        /* The path: started here (the first spawn site), runs its entry, blocks here, cannot leave. */
        int step = 1;
        if (fd->nrelated > nrel)
          fd->related[nrel].step = step++;
        if (starts)
          starts->step = step++;
        lx_finding_own_step(ctx->out, fd, step++, "%s() blocks here, with nothing that ever wakes it to stop",
                            r->callee_name);
        if (way_out)
          way_out->step = step;
        break;
      }
    }
    free(reported);
  }
  free(entry_of);
}
