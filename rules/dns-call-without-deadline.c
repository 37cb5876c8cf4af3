/* dns-call-without-deadline.c - getaddrinfo/gethostbyname on a request path: the
 * resolver's timeouts and retries stall the request, and nothing bounds them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

/* A lookup is a blocking call of the catalogue's `resolver` library (getaddrinfo,
 * gethostbyname, getnameinfo...); the asynchronous ones are `bounded` there. */
static int is_lookup(const lx_program *p, const lx_call *c)
{
  const lx_api *api = lx_call_api(p, c);
  return c->callee && api && api->library && !strcmp(api->library, "resolver") &&
         lx_call_has(p, c, LX_ANN_BLOCKS, NULL);
}

/* "10.0.0.1", "::1", "localhost" are parsed, not queried. */
static int literal_address(const char *s)
{
  if (!s || !*s)
    return 0;
  size_t len = strlen(s);
  if (s[0] == '"' && len >= 2 && s[len - 1] == '"') { /* the literal as spelled */
    s++;
    len -= 2;
  }
  if (len == 9 && !strncmp(s, "localhost", 9))
    return 1;
  int dots = 0, colons = 0;
  for (const char *c = s; c < s + len; c++) {
    if (*c == '.')
      dots++;
    else if (*c == ':')
      colons++;
    else if (!isxdigit((unsigned char)*c))
      return 0;
  }
  return dots == 3 || colons >= 2;
}

static int sets_numeric(const lx_path *v, const char *flag)
{
  return lx_path_sets_flag(v, flag) || (v->kind == LX_PATH_CONST && v->name && !strcmp(v->name, flag));
}

/* Whether lookup c asks no DNS server: a NULL or literal node, hints whose ai_flags
 * have AI_NUMERICHOST (set in fn before it), a getnameinfo with NI_NUMERICHOST. */
static int numeric_only(const lx_fnode *fn, const lx_call *c)
{
  const char *n = c->callee_name;
  if (!strcmp(n, "getnameinfo"))
    return c->nargs >= 7 && sets_numeric(&c->args[6], "NI_NUMERICHOST");
  if (c->nargs >= 1 && ((c->args[0].kind == LX_PATH_CONST && c->args[0].value == 0) ||
                        (c->args[0].kind == LX_PATH_STRING && literal_address(c->args[0].name))))
    return strncmp(n, "gethostbyaddr", 13) != 0;
  if (strcmp(n, "getaddrinfo"))
    return 0;
  for (size_t i = 0; i < fn->def->assigns.n; i++) {
    const lx_assign *a = &fn->def->assigns.v[i];
    if (a->seq < c->seq && a->dst.kind == LX_PATH_FIELD && a->dst.key &&
        !strncmp(a->dst.key, "struct addrinfo.ai_flags", 24) && sets_numeric(&a->src, "AI_NUMERICHOST"))
      return 1;
  }
  return 0;
}

/* Whether call c reads the clock: a clock primitive, or a function of the program that
 * calls one (a project's now()). */
static int reads_clock(const lx_program *p, const lx_call *c)
{
  if (c->callee && lx_call_is(p, c, LX_KIND_CLOCK))
    return 1;
  const lx_fnode *callee = lx_program_callee(p, c);
  for (size_t j = 0; callee && callee->def && j < callee->def->calls.n; j++)
    if (callee->def->calls.v[j].callee && lx_call_is(p, &callee->def->calls.v[j], LX_KIND_CLOCK))
      return 1;
  return 0;
}

/* Whether v (read by a condition in fn) is the time: a clock call, or a local fn
 * assigns one to. */
static int is_time(const lx_program *p, const lx_fnode *fn, const lx_path *v)
{
  if (v->kind == LX_PATH_CALL && v->index >= 0 && (size_t)v->index < fn->def->calls.n)
    return reads_clock(p, &fn->def->calls.v[v->index]);
  if (v->kind != LX_PATH_LOCAL || !v->key)
    return 0;
  for (size_t i = 0; i < fn->def->assigns.n; i++) {
    const lx_assign *a = &fn->def->assigns.v[i];
    if (a->dst.kind == LX_PATH_LOCAL && a->dst.key && !strcmp(a->dst.key, v->key) && a->src.kind == LX_PATH_CALL &&
        a->src.index >= 0 && (size_t)a->src.index < fn->def->calls.n &&
        reads_clock(p, &fn->def->calls.v[a->src.index]))
      return 1;
  }
  return 0;
}

/* A lookup refreshed at a limited rate: before it, fn leaves when the time is not yet
 * past a stored one (`if (last + interval >= now) return -1;`), or it runs only when
 * the time is (`if (now >= next_resolve) { ...lookup... }`). */
static int rate_limited(const lx_program *p, const lx_fnode *fn, const lx_call *c)
{
  for (size_t i = 0; i < fn->def->branches.n; i++) {
    const lx_branch *br = &fn->def->branches.v[i];
    int before = br->then_leaves && br->then_end <= c->seq;
    int around = c->seq >= br->then_begin && c->seq < br->then_end;
    if (!before && !around)
      continue;
    int time = 0, stored = 0;
    for (int r = 0; r < br->nreads; r++) {
      time |= is_time(p, fn, &br->reads[r]);
      stored |= br->reads[r].kind == LX_PATH_FIELD || br->reads[r].kind == LX_PATH_GLOBAL;
    }
    if (time && stored)
      return 1;
  }
  return 0;
}

void lx_rule_dns_call_without_deadline(lx_rule_ctx *ctx)
{
  const lx_program *p = ctx->prog;
  char *reached = lx_reachable(p);
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def || !lx_rule_visits(ctx, fn) || !reached[fn->index])
      continue;
    lx_finding *first = NULL; /* once per function: later lookups are related locations */
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      if (!is_lookup(p, c) || numeric_only(fn, c) || rate_limited(p, fn, c))
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
          ctx->out, ctx->id, LX_SEV_ERROR, c->loc, fn->name, c->callee_name,
          "%s() runs %s, with no deadline: a slow or unreachable DNS server stalls the request for the "
          "resolver's full timeout and retries (5 s per try and server by default); resolve at start-up "
          "and cache, or use getaddrinfo_a() with a timeout, or c-ares",
          c->callee_name, why);
      lx_related *why_step;
      if (loop >= 0 && kind == LX_LOOP_EVENT)
        why_step = lx_finding_relate(ctx->out, fd, at, "this loop runs once per event");
      else
        why_step = lx_finding_relate(ctx->out, fd, at, "%s() %s", fn->name, fw ? fw : "runs per event");
      lx_finding_chain(ctx->out, fd, why_step, NULL, "%s() waits for DNS here, with no deadline", c->callee_name);
    }
  }
  free(reached);
}
