/* path.c - the middle of a finding's path: the calls by which a handle, a socket or a
 * thread's function goes down through wrappers to the call that blocks or spawns, as
 * numbered related locations (SARIF's code flows). */
#include <stdio.h>
#include <string.h>

#include "rules/api.h"

/* The call in g that passes g's parameter a on towards origin: origin itself, or a
 * call of a wrapper whose summary for that argument leads to origin.  *b gets the
 * argument it passes it as. */
static const lx_call *hop(const lx_prog *p, const lx_fn *g, int a, const lx_call *origin, int spawn, int *b)
{
  int cls = lx_rq_param_class(g, a);
  size_t ncalls;
  const lx_call *calls = lx_rq_calls(g, &ncalls);
  for (size_t j = 0; j < ncalls; j++) {
    const lx_call *d = &calls[j];
    for (int k = 1; k <= d->nargs && k <= LX_RQ_MAX_PARAMS; k++) {
      const lx_path *v = d->args[k - 1];
      int same = spawn ? v->kind == LX_PATH_PARAM && v->index == a : cls >= 0 && lx_rq_class(g, v) == cls;
      if (!same)
        continue;
      if (d == origin) {
        *b = k;
        return d;
      }
      const lx_fn *h = lx_rq_callee(p, d);
      if (!h || h == g)
        continue;
      uint64_t bit = 1ULL << (k - 1);
      if (spawn ? (lx_rq_spawns_params(h) & bit) && lx_rq_spawn_origin(h, k) == origin
                : (lx_rq_blocks_params(h) & bit) && lx_rq_blocks_origin(h, k) == origin) {
        *b = k;
        return d;
      }
    }
  }
  return NULL;
}

void lx_path_blocking(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin,
                      lx_related *born, lx_related *blocks, const char *what, const char *name, const char *verb)
{
  if (origin == c) {
    lx_finding_chain(ctx->out, fd, born, NULL, "%s() %s %s '%s' here, with no timeout set on it", c->callee_name,
                     verb, what, name);
    return;
  }
  lx_finding_chain(ctx->out, fd, born, blocks, "%s '%s' is passed to %s() here, with no timeout set on it", what, name,
                   c->callee_name);
  if (blocks && a >= 1) {
    char the[64];
    snprintf(the, sizeof(the), "the %s", what);
    blocks->step = lx_relate_hops(ctx, fd, c, a, origin, 0, the, blocks->step, NULL);
  }
}

int lx_relate_hops(lx_rule_ctx *ctx, lx_finding *fd, const lx_call *c, int a, const lx_call *origin, int spawn,
                   const char *what, int step, const char **origin_fn)
{
  const lx_prog *p = ctx->prog;
  const lx_fn *g = lx_rq_callee(p, c);
  if (origin_fn)
    *origin_fn = g ? lx_rq_fn_name(g) : NULL;
  for (int depth = 0; g && depth < 4 && fd->nrelated < LX_MAX_RELATED - 1; depth++) {
    int b = 0;
    const lx_call *d = hop(p, g, a, origin, spawn, &b);
    if (!d || d == origin)
      break;
    lx_related *r = lx_finding_relate(ctx->out, fd, d->loc, "%s() passes %s on to %s() here", lx_rq_fn_name(g), what,
                                      d->callee_name ? d->callee_name : "a call");
    if (!r)
      break;
    r->step = step++;
    const lx_fn *next = lx_rq_callee(p, d);
    if (next == g)
      break;
    g = next;
    a = b;
    if (origin_fn)
      *origin_fn = g ? lx_rq_fn_name(g) : NULL;
  }
  return step;
}
