/* dns-call-without-deadline.c - getaddrinfo/gethostbyname on a request path: the
 * resolver's timeouts and retries stall the request, and nothing bounds them. */
#include <stdio.h>
#include <string.h>

#include "rules.h"

#define RULE "dns-call-without-deadline"

static const char *const resolvers[] = {"getaddrinfo", "gethostbyname", "gethostbyname_r", "gethostbyname2",
                                        "gethostbyname2_r", NULL};

void lx_rule_dns_call_without_deadline(lx_rule_ctx *ctx)
{
  const lx_program *p = ctx->prog;
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def || !lx_rule_visits(ctx, fn))
      continue;
    lx_finding *first = NULL; /* once per function: later lookups are related locations */
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      int hit = 0;
      for (int k = 0; c->callee && resolvers[k] && !hit; k++)
        hit = !strcmp(c->callee_name, resolvers[k]);
      if (!hit)
        continue;
      lx_loop_bound kind = LX_LOOP_FIXED;
      const lx_call *src = NULL;
      int loop = c->loop >= 0 ? lx_unbounded_loop(p, fn, c, &kind, &src) : -1;
      char why[512], fwb[256];
      const char *fw = lx_fnode_why(fn, fwb, sizeof(fwb));
      lx_loc at;
      if (loop >= 0 && kind == LX_LOOP_EVENT) {
        snprintf(why, sizeof(why), "once per event of the loop at line %u (it waits in %s())",
                 fn->def->loops.v[loop].loc.line, src ? src->callee_name : "?");
        at = fn->def->loops.v[loop].loc;
      } else if (fn->request_path) {
        snprintf(why, sizeof(why), "on a request path: %s() %s", fn->name, fw ? fw : "runs per event");
        at = fn->why_loc;
      } else {
        continue; /* start-up, or a context we cannot see */
      }
      if (first) {
        lx_finding_relate(ctx->out, first, c->loc, "%s() here too", c->callee_name);
        continue;
      }
      lx_finding *fd = first = lx_findings_add(
          ctx->out, RULE, LX_SEV_ERROR, c->loc, fn->name, c->callee_name,
          "%s() runs %s, with no deadline: a slow or unreachable DNS server stalls the request for the "
          "resolver's full timeout and retries (5 s per try and server by default); resolve at start-up "
          "and cache, or use getaddrinfo_a() with a timeout, or c-ares",
          c->callee_name, why);
      if (loop >= 0 && kind == LX_LOOP_EVENT)
        lx_finding_relate(ctx->out, fd, at, "this loop runs once per event");
      else
        lx_finding_relate(ctx->out, fd, at, "%s() %s", fn->name, fw ? fw : "runs per event");
    }
  }
}
