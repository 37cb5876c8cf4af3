/* dns-call-without-deadline.c - getaddrinfo/gethostbyname on a request path: the
 * resolver's timeouts and retries stall the request, and nothing bounds them. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

/* A lookup is a blocking call of the catalogue's `resolver` library (getaddrinfo,
 * gethostbyname, getnameinfo...); the asynchronous ones are `bounded` there. */
static int is_lookup(const lx_prog *p, const lx_call *c)
{
  const lx_api *api = lx_rq_call_api(p, c);
  return c->callee && api && api->library && !strcmp(api->library, "resolver") &&
         lx_rq_call_has(p, c, LX_ANN_BLOCKS, NULL);
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
  return lx_rq_path_sets_flag(v, flag) || (v->kind == LX_PATH_CONST && v->name && !strcmp(v->name, flag));
}

/* Whether lookup c asks no DNS server: a NULL or literal node, hints whose ai_flags
 * have AI_NUMERICHOST (set in fn before it), a getnameinfo with NI_NUMERICHOST. */
static int numeric_only(const lx_fn *fn, const lx_call *c)
{
  const char *n = c->callee_name;
  if (!strcmp(n, "getnameinfo"))
    return c->nargs >= 7 && sets_numeric(c->args[6], "NI_NUMERICHOST");
  if (c->nargs >= 1 && ((c->args[0]->kind == LX_PATH_CONST && c->args[0]->value == 0) ||
                        (c->args[0]->kind == LX_PATH_STRING && literal_address(c->args[0]->name))))
    return strncmp(n, "gethostbyaddr", 13) != 0;
  if (strcmp(n, "getaddrinfo"))
    return 0;
  const lx_func *f = lx_rq_body(fn);
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if (a->seq < c->seq && a->dst->kind == LX_PATH_FIELD && a->dst->key &&
        !strncmp(a->dst->key, "struct addrinfo.ai_flags", 24) && sets_numeric(a->src, "AI_NUMERICHOST"))
      return 1;
  }
  return 0;
}

/* Whether call c reads the clock: a clock primitive, or a function of the program that
 * calls one (a project's now()). */
static int reads_clock(const lx_prog *p, const lx_call *c)
{
  if (c->callee && lx_rq_call_is(p, c, LX_KIND_CLOCK))
    return 1;
  const lx_fn *callee = lx_rq_callee(p, c);
  size_t ncalls = 0;
  const lx_call *calls = callee ? lx_rq_calls(callee, &ncalls) : NULL;
  for (size_t j = 0; j < ncalls; j++)
    if (calls[j].callee && lx_rq_call_is(p, &calls[j], LX_KIND_CLOCK))
      return 1;
  return 0;
}

/* Whether v (read by a condition in fn) is the time: a clock call, or a local fn
 * assigns one to. */
static int is_time(const lx_prog *p, const lx_fn *fn, const lx_path *v)
{
  size_t ncalls;
  const lx_call *calls = lx_rq_calls(fn, &ncalls);
  if (v->kind == LX_PATH_CALL && v->index >= 0 && (size_t)v->index < ncalls)
    return reads_clock(p, &calls[v->index]);
  if (v->kind != LX_PATH_LOCAL || !v->key)
    return 0;
  const lx_func *f = lx_rq_body(fn);
  for (size_t i = 0; i < f->assigns.n; i++) {
    const lx_assign *a = &f->assigns.v[i];
    if (a->dst->kind == LX_PATH_LOCAL && a->dst->key && !strcmp(a->dst->key, v->key) && a->src->kind == LX_PATH_CALL &&
        a->src->index >= 0 && (size_t)a->src->index < ncalls && reads_clock(p, &calls[a->src->index]))
      return 1;
  }
  return 0;
}

/* A lookup refreshed at a limited rate: before it, fn leaves when the time is not yet
 * past a stored one (`if (last + interval >= now) return -1;`), or it runs only when
 * the time is (`if (now >= next_resolve) { ...lookup... }`). */
static int rate_limited(const lx_prog *p, const lx_fn *fn, const lx_call *c)
{
  const lx_func *f = lx_rq_body(fn);
  for (size_t i = 0; i < f->branches.n; i++) {
    const lx_branch *br = &f->branches.v[i];
    int before = br->then_leaves && br->then_end <= c->seq;
    int around = c->seq >= br->then_begin && c->seq < br->then_end;
    if (!before && !around)
      continue;
    int time = 0, stored = 0;
    for (int r = 0; r < br->nreads; r++) {
      time |= is_time(p, fn, br->reads[r]);
      stored |= br->reads[r]->kind == LX_PATH_FIELD || br->reads[r]->kind == LX_PATH_GLOBAL;
    }
    if (time && stored)
      return 1;
  }
  return 0;
}

void lx_rule_dns_call_without_deadline(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  char *reached = lx_reachable(p);
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    if (!reached[lx_rq_fn_index(fn)])
      continue;
    const lx_func *f = lx_rq_body(fn);
    lx_finding *first = NULL; /* once per function: later lookups are related locations */
    size_t ncalls;
    const lx_call *calls = lx_rq_calls(fn, &ncalls);
    for (size_t j = 0; j < ncalls; j++) {
      const lx_call *c = &calls[j];
      if (!is_lookup(p, c) || numeric_only(fn, c) || rate_limited(p, fn, c))
        continue;
      lx_rq_loop kind = LX_RQ_LOOP_FIXED;
      const lx_call *src = NULL;
      int loop = c->loop >= 0 ? lx_rq_unbounded_loop(p, fn, c, &kind, &src) : -1;
      char why[512], fwb[256];
      const char *fw = lx_rq_why(fn, fwb, sizeof(fwb));
      lx_loc at;
      if (loop >= 0 && kind == LX_RQ_LOOP_EVENT) {
        snprintf(why, sizeof(why), "once per event of the loop at line %u (it waits in %s())",
                 f->loops.v[loop].loc.line, src ? src->callee_name : "?");
        at = f->loops.v[loop].loc;
      } else if (lx_rq_request_path(fn)) {
        snprintf(why, sizeof(why), "on a request path: %s() %s", lx_rq_fn_name(fn), fw ? fw : "runs per event");
        at = lx_rq_why_loc(fn);
      } else {
        continue; /* start-up, or a context we cannot see */
      }
      if (first) {
        lx_finding_relate(ctx->out, first, c->loc, "%s() here too", c->callee_name);
        continue;
      }
      lx_finding *fd = first = lx_findings_add(
          ctx->out, ctx->id, LX_SEV_ERROR, c->loc, lx_rq_fn_name(fn), c->callee_name,
          "%s() runs %s, with no deadline: a slow or unreachable DNS server stalls the request for the "
          "resolver's full timeout and retries (5 s per try and server by default); resolve at start-up "
          "and cache, or use getaddrinfo_a() with a timeout, or c-ares",
          c->callee_name, why);
      lx_related *why_step;
      if (loop >= 0 && kind == LX_RQ_LOOP_EVENT)
        why_step = lx_finding_relate(ctx->out, fd, at, "this loop runs once per event");
      else
        why_step = lx_finding_relate(ctx->out, fd, at, "%s() %s", lx_rq_fn_name(fn), fw ? fw : "runs per event");
      lx_finding_chain(ctx->out, fd, why_step, NULL, "%s() waits for DNS here, with no deadline", c->callee_name);
    }
  }
  free(reached);
}
