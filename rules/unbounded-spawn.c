/* unbounded-spawn.c - a thread or process started once per external event (in an
 * accept/receive loop, a loop over input-sized data, a function such a loop calls, or
 * a registered handler) with nothing that bounds how many run at once. */
#include <stdio.h>
#include <string.h>

#include "rules/rules.h"

static const char *what_starts(const lx_call *origin)
{
  const char *n = origin->callee_name ? origin->callee_name : "";
  return !strcmp(n, "fork") || !strcmp(n, "vfork") || !strncmp(n, "posix_spawn", 11) ? "process" : "thread";
}

static void report(lx_rule_ctx *ctx, const lx_fnode *fn, const lx_call *c, const lx_call *origin, int entry,
                   int loop, lx_loop_bound kind, const lx_call *source)
{
  const lx_func *f = fn->def;
  const char *thing = what_starts(origin);
  char why[512], fwb[256];
  const char *fw = lx_fnode_why(fn, fwb, sizeof(fwb));
  lx_severity sev = LX_SEV_ERROR;
  const char *src = source ? source->callee_name : "?";
  if (loop >= 0 && kind == LX_LOOP_EVENT && (!strcmp(src, "accept") || !strcmp(src, "accept4") ||
                                             !strcmp(src, "SSL_accept"))) {
    snprintf(why, sizeof(why), "for every connection the loop at line %u accepts", f->loops.v[loop].loc.line);
  } else if (loop >= 0 && kind == LX_LOOP_EVENT) {
    snprintf(why, sizeof(why), "for every pass of the loop at line %u, which waits for the next event in "
             "%s()", f->loops.v[loop].loc.line, src);
  } else if (loop >= 0) {
    snprintf(why, sizeof(why), "for every item of the loop at line %u, whose bound comes from the input",
             f->loops.v[loop].loc.line);
    if (!fn->per_event)
      sev = LX_SEV_WARNING;
  } else {
    snprintf(why, sizeof(why), "each time %s() runs, and it %s", fn->name, fw ? fw : "runs per event");
  }
  char via[256] = "";
  if (origin != c)
    snprintf(via, sizeof(via), " (through %s(), which calls %s())", c->callee_name, origin->callee_name);
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, sev, c->loc, fn->name, c->callee_name,
      "%s()%s starts a %s %s; nothing bounds how many run at once, so a burst of load starts a burst "
      "of %s; hand the work to a fixed pool (leash_pool_submit) or take a slot first "
      "(leash_sem_acquire, or sem_wait) and give it back when the %s ends",
      c->callee_name, via, thing, why, strcmp(thing, "thread") ? "processes" : "threads", thing);
  /* The path: what makes it per event, this call, the spawn inside the wrapper. */
  lx_related *why_step = NULL, *spawn_step = NULL;
  if (loop >= 0)
    why_step = lx_finding_relate(ctx->out, fd, f->loops.v[loop].loc, kind == LX_LOOP_EVENT ?
                                 "this loop runs once per event" : "this loop runs once per input item");
  else if (fw)
    why_step = lx_finding_relate(ctx->out, fd, fn->why_loc, "%s() %s", fn->name, fw);
  if (origin != c)
    spawn_step = lx_finding_relate(ctx->out, fd, origin->loc, "the %s is started here, in %s()", thing,
                                   c->callee_name);
  if (origin != c) {
    lx_finding_chain(ctx->out, fd, why_step, spawn_step, "%s() calls %s(), which starts a %s", fn->name,
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
static int joined_locally(const lx_program *p, const lx_fnode *fn, const lx_call *c)
{
  if (c->nargs < 1)
    return 0;
  lx_path h = c->args[0];
  if (!h.addr_of)
    return 0;
  h.addr_of = 0;
  int cls = lx_alias_class(fn, &h);
  if (cls < 0)
    return 0;
  for (size_t j = 0; j < fn->def->calls.n; j++) {
    const lx_call *d = &fn->def->calls.v[j];
    if (d->nargs >= 1 && d->seq > c->seq && lx_call_is(p, d, LX_KIND_THREAD_JOIN) &&
        lx_alias_class(fn, &d->args[0]) == cls)
      return 1;
  }
  return 0;
}

/* Whether f waits for a child after seq `after`: a wait call, or a call to a function
 * that makes one itself. */
static int waits_after(const lx_program *p, const lx_func *f, int after)
{
  for (size_t j = 0; j < f->calls.n; j++) {
    const lx_call *d = &f->calls.v[j];
    if (d->seq <= after)
      continue;
    if (d->callee && lx_call_is(p, d, LX_KIND_CHILD_WAIT))
      return 1;
    const lx_fnode *callee = lx_program_callee(p, d);
    for (size_t k = 0; callee && callee->def && k < callee->def->calls.n; k++)
      if (callee->def->calls.v[k].callee && lx_call_is(p, &callee->def->calls.v[k], LX_KIND_CHILD_WAIT))
        return 1;
  }
  return 0;
}

/* A process started and waited for before the work returns: fork() then waitpid() in
 * the same function, or in every caller of the helper that forks (a CGI run to its
 * end).  Like a scoped fork-join, bounded by how many calls run at once. */
static int waited_locally(const lx_program *p, const lx_fnode *fn, const lx_call *c, int entry)
{
  if (entry != 0)
    return 0;
  /* A wait in a thread that is itself started per event with no bound caps nothing:
   * as many children run as such threads. */
  if (waits_after(p, fn->def, c->seq))
    return !(fn->thread_entry && fn->per_event);
  if (!fn->callers.n)
    return 0;
  for (size_t k = 0; k < fn->callers.n; k++) {
    const lx_fnode *g = fn->callers.v[k].fn;
    if (!g->def || !waits_after(p, g->def, g->def->calls.v[fn->callers.v[k].call].seq) ||
        (g->thread_entry && g->per_event))
      return 0;
  }
  return 1;
}

void lx_rule_unbounded_spawn(lx_rule_ctx *ctx)
{
  const lx_program *p = ctx->prog;
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def || fn->bounded_fn || !lx_rule_visits(ctx, fn))
      continue;
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      int entry = 0;
      if (!lx_is_spawn(p, c, &entry))
        continue;
      /* A wrapper that spawns the function it is given: its callers are the spawn sites. */
      if (entry >= 1 && entry <= c->nargs && c->args[entry - 1].kind == LX_PATH_PARAM && fn->callers.n)
        continue;
      /* ... or through a trampoline that calls it (the spawn summary's origin). */
      int origin_of_param = 0;
      for (int b = 0; fn->spawn_origin && fn->callers.n && b < LX_MAX_PARAMS && !origin_of_param; b++)
        origin_of_param = (fn->spawns_params & (1ULL << b)) && fn->spawn_origin[b] == c;
      if (origin_of_param)
        continue;
      const lx_fnode *callee = lx_program_callee(p, c);
      const lx_call *origin = c;
      if (callee && callee->spawns_params && entry >= 1 && entry <= LX_MAX_PARAMS &&
          callee->spawn_origin[entry - 1])
        origin = callee->spawn_origin[entry - 1];
      lx_loop_bound kind = LX_LOOP_FIXED;
      const lx_call *source = NULL;
      int loop = c->loop >= 0 ? lx_unbounded_loop(p, fn, c, &kind, &source) : -1;
      if (loop >= 0) {
        if (!lx_bounded_before(p, fn, c, loop))
          report(ctx, fn, c, origin, entry, loop, kind, source);
      } else if (fn->per_event && !lx_bounded_before(p, fn, c, -1) && !joined_locally(p, fn, c) &&
                 !waited_locally(p, fn, c, entry)) {
        report(ctx, fn, c, origin, entry, -1, kind, NULL);
      }
    }
  }
}
