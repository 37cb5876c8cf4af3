/* unbounded-spawn.c - a thread or process started once per external event (in an
 * accept/receive loop, a loop over input-sized data, a function such a loop calls, or
 * a registered handler) with nothing that bounds how many run at once. */
#include <stdio.h>
#include <string.h>

#include "rules/api.h"

static const char *what_starts(const lx_call *origin)
{
  const char *n = origin->callee_name ? origin->callee_name : "";
  return !strcmp(n, "fork") || !strcmp(n, "vfork") || !strncmp(n, "posix_spawn", 11) ? "process" : "thread";
}

static void report(lx_rule_ctx *ctx, const lx_fn *fn, const lx_call *c, const lx_call *origin, int entry,
                   int loop, lx_rq_loop kind, const lx_call *source)
{
  const lx_func *f = lx_rq_body(fn);
  const char *thing = what_starts(origin);
  char why[512], fwb[256];
  const char *fw = lx_rq_why(fn, fwb, sizeof(fwb));
  lx_severity sev = LX_SEV_ERROR;
  const char *src = source ? source->callee_name : "?";
  if (loop >= 0 && kind == LX_RQ_LOOP_EVENT && (!strcmp(src, "accept") || !strcmp(src, "accept4") ||
                                             !strcmp(src, "SSL_accept"))) {
    snprintf(why, sizeof(why), "for every connection the loop at line %u accepts", f->loops.v[loop].loc.line);
  } else if (loop >= 0 && kind == LX_RQ_LOOP_EVENT) {
    snprintf(why, sizeof(why), "for every pass of the loop at line %u, which waits for the next event in "
             "%s()", f->loops.v[loop].loc.line, src);
  } else if (loop >= 0) {
    snprintf(why, sizeof(why), "for every item of the loop at line %u, whose bound comes from the input",
             f->loops.v[loop].loc.line);
    if (!lx_rq_per_event(fn))
      sev = LX_SEV_WARNING;
  } else {
    snprintf(why, sizeof(why), "each time %s() runs, and it %s", lx_rq_fn_name(fn), fw ? fw : "runs per event");
  }
  char via[256] = "";
  if (origin != c)
    snprintf(via, sizeof(via), " (through %s(), which calls %s())", c->callee_name, origin->callee_name);
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, sev, c->loc, lx_rq_fn_name(fn), c->callee_name,
      "%s()%s starts a %s %s; nothing bounds how many run at once, so a burst of load starts a burst "
      "of %s; hand the work to a fixed pool (leash_pool_submit) or take a slot first "
      "(leash_sem_acquire, or sem_wait) and give it back when the %s ends",
      c->callee_name, via, thing, why, strcmp(thing, "thread") ? "processes" : "threads", thing);
  /* The path: what makes it per event, this call, the spawn inside the wrapper. */
  lx_related *why_step = NULL, *spawn_step = NULL;
  if (loop >= 0)
    why_step = lx_finding_relate(ctx->out, fd, f->loops.v[loop].loc, kind == LX_RQ_LOOP_EVENT ?
                                 "this loop runs once per event" : "this loop runs once per input item");
  else if (fw)
    why_step = lx_finding_relate(ctx->out, fd, lx_rq_why_loc(fn), "%s() %s", lx_rq_fn_name(fn), fw);
  if (origin != c)
    spawn_step = lx_finding_relate(ctx->out, fd, origin->loc, "the %s is started here, in %s()", thing,
                                   c->callee_name);
  if (origin != c) {
    lx_finding_chain(ctx->out, fd, why_step, spawn_step, "%s() calls %s(), which starts a %s", lx_rq_fn_name(fn),
                     c->callee_name, thing);
    const char *in = NULL;
    if (spawn_step && entry >= 1)
      spawn_step->step = lx_relate_hops(ctx, fd, c, entry, origin, 1, thing[0] == 't' ? "the thread's function"
                                        : "the process's function", spawn_step->step, &in);
    if (spawn_step && in && strcmp(in, c->callee_name))
      spawn_step->message = lx_arena_printf(&ctx->out->arena, "the %s is started here, in %s()", thing, in);
  }
  else
    lx_finding_chain(ctx->out, fd, why_step, NULL, "%s() starts a %s here, with nothing that bounds how many run",
                     c->callee_name, thing);
}

/* A thread started and joined by the same function before it returns: a scoped
 * fork-join, bounded by how many calls of the function run at once. */
static int joined_locally(const lx_prog *p, const lx_fn *fn, const lx_call *c)
{
  if (c->nargs < 1)
    return 0;
  lx_path h = *c->args[0];
  if (!h.addr_of)
    return 0;
  h.addr_of = 0;
  int cls = lx_rq_class(fn, &h);
  if (cls < 0)
    return 0;
  size_t ncalls;
  const lx_call *calls = lx_rq_calls(fn, &ncalls);
  for (size_t j = 0; j < ncalls; j++) {
    const lx_call *d = &calls[j];
    if (d->nargs >= 1 && d->seq > c->seq && lx_rq_call_is(p, d, LX_KIND_THREAD_JOIN) &&
        lx_rq_class(fn, d->args[0]) == cls)
      return 1;
  }
  return 0;
}

/* Whether fn waits for a child after seq `after`: a wait call, or a call to a function
 * that makes one itself. */
static int waits_after(const lx_prog *p, const lx_fn *fn, int after)
{
  size_t ncalls;
  const lx_call *calls = lx_rq_calls(fn, &ncalls);
  for (size_t j = 0; j < ncalls; j++) {
    const lx_call *d = &calls[j];
    if (d->seq <= after)
      continue;
    if (d->callee && lx_rq_call_is(p, d, LX_KIND_CHILD_WAIT))
      return 1;
    const lx_fn *callee = lx_rq_callee(p, d);
    size_t nk = 0;
    const lx_call *inner = callee ? lx_rq_calls(callee, &nk) : NULL;
    for (size_t k = 0; k < nk; k++)
      if (inner[k].callee && lx_rq_call_is(p, &inner[k], LX_KIND_CHILD_WAIT))
        return 1;
  }
  return 0;
}

/* A process started and waited for before the work returns: fork() then waitpid() in
 * the same function, or in every caller of the helper that forks (a CGI run to its
 * end).  Like a scoped fork-join, bounded by how many calls run at once. */
static int waited_locally(const lx_prog *p, const lx_fn *fn, const lx_call *c, int entry)
{
  if (entry != 0)
    return 0;
  /* A wait in a thread that is itself started per event with no bound caps nothing:
   * as many children run as such threads. */
  if (waits_after(p, fn, c->seq))
    return !(lx_rq_thread_entry(fn) && lx_rq_per_event(fn));
  if (!lx_rq_ncallers(fn))
    return 0;
  for (size_t k = 0; k < lx_rq_ncallers(fn); k++) {
    const lx_call *site;
    const lx_fn *g = lx_rq_caller(fn, k, &site);
    if (!lx_rq_body(g) || !waits_after(p, g, site->seq) ||
        (lx_rq_thread_entry(g) && lx_rq_per_event(g)))
      return 0;
  }
  return 1;
}

void lx_rule_unbounded_spawn(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    if (lx_rq_bounded_fn(fn))
      continue;
    size_t ncalls;
    const lx_call *calls = lx_rq_calls(fn, &ncalls);
    for (size_t j = 0; j < ncalls; j++) {
      const lx_call *c = &calls[j];
      int entry = 0;
      if (!lx_rq_is_spawn(p, c, &entry))
        continue;
      /* A wrapper that spawns the function it is given: its callers are the spawn sites. */
      if (entry >= 1 && entry <= c->nargs && c->args[entry - 1]->kind == LX_PATH_PARAM && lx_rq_ncallers(fn))
        continue;
      /* ... or through a trampoline that calls it (the spawn summary's origin). */
      int origin_of_param = 0;
      for (int b = 0; lx_rq_ncallers(fn) && b < LX_RQ_MAX_PARAMS && !origin_of_param; b++)
        origin_of_param = (lx_rq_spawns_params(fn) & (1ULL << b)) && lx_rq_spawn_origin(fn, b + 1) == c;
      if (origin_of_param)
        continue;
      const lx_fn *callee = lx_rq_callee(p, c);
      const lx_call *origin = c;
      if (callee && lx_rq_spawns_params(callee) && lx_rq_spawn_origin(callee, entry))
        origin = lx_rq_spawn_origin(callee, entry);
      lx_rq_loop kind = LX_RQ_LOOP_FIXED;
      const lx_call *source = NULL;
      int loop = c->loop >= 0 ? lx_rq_unbounded_loop(p, fn, c, &kind, &source) : -1;
      if (loop >= 0) {
        if (!lx_rq_bounded_before(p, fn, c, loop))
          report(ctx, fn, c, origin, entry, loop, kind, source);
      } else if (lx_rq_per_event(fn) && !lx_rq_bounded_before(p, fn, c, -1) && !joined_locally(p, fn, c) &&
                 !waited_locally(p, fn, c, entry)) {
        report(ctx, fn, c, origin, entry, -1, kind, NULL);
      }
    }
  }
}
