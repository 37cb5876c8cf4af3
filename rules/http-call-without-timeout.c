/* http-call-without-timeout.c - libcurl transfers on a handle that no code ever gives
 * a total timeout (CURLOPT_TIMEOUT or CURLOPT_TIMEOUT_MS), followed through locals,
 * helpers, factories, struct fields and other files by the program summaries. */
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

static int curl_type(const char *t)
{
  if (!t)
    return 0;
  const char *s = strstr(t, "CURL");
  return s && s[4] != 'M' && s[4] != 'S' && s[4] != 'U'; /* not CURLM, CURLSH, CURLU */
}

/* Whether the blocking call `origin` (in origin_fn) waits on a libcurl easy handle in
 * argument arg (1-based). */
static int is_http(const lx_prog *p, const lx_call *origin, int arg)
{
  const lx_fn *callee = lx_rq_callee(p, origin);
  const lx_api *api = lx_rq_call_api(p, origin);
  if (api && api->library && !strcmp(api->library, "libcurl"))
    return 1;
  if (arg <= origin->nargs && curl_type(origin->args[arg - 1]->type))
    return 1;
  const lx_func *f = callee ? lx_rq_body(callee) : NULL;
  return callee && f == NULL ? 0 : callee && arg <= f->nparams && curl_type(f->param_types[arg - 1]);
}

static void report(lx_rule_ctx *ctx, const lx_fn *fn, const lx_call *c, int arg,
                   const lx_call *origin, const lx_fn *origin_fn)
{
  const lx_prog *p = ctx->prog;
  const lx_path *h = c->args[arg - 1];
  char name[256];
  lx_path_str(h, name, sizeof(name));
  int cls = lx_rq_class(fn, h);
  const lx_fn *made_fn = NULL;
  const lx_call *made = cls >= 0 ? lx_rq_origin(p, fn, cls, &made_fn) : NULL;
  int param = cls >= 0 ? lx_rq_class_param(fn, cls) : 0;

  char where[512] = "";
  if (made) {
    const char *base = strrchr(made->loc.file, '/');
    snprintf(where, sizeof(where), " (created by %s() at %s:%u)", made->callee_name,
             base ? base + 1 : made->loc.file, made->loc.line);
  } else if (param) {
    snprintf(where, sizeof(where), " (parameter %d of %s(); no caller in the program sets a timeout "
             "on it)", param, lx_rq_fn_name(fn));
  }
  char what[1200];
  if (origin != c)
    snprintf(what, sizeof(what), "%s() performs handle '%s'%s with %s()", c->callee_name, name, where,
             origin->callee_name);
  else
    snprintf(what, sizeof(what), "%s() on handle '%s'%s", c->callee_name, name, where);
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, lx_rq_request_path(fn) ? LX_SEV_ERROR : LX_SEV_WARNING, c->loc, lx_rq_fn_name(fn), name,
      "%s, and no total timeout (CURLOPT_TIMEOUT or CURLOPT_TIMEOUT_MS) is set on it, so the "
      "transfer waits as long as the peer and the network let it; set one first: "
      "curl_easy_setopt(%s, CURLOPT_TIMEOUT_MS, 5000L), or leash_curl_apply(%s, ctx) to follow a "
      "deadline", what, name, name);
  lx_related *done = NULL, *born = NULL;
  if (origin != c)
    done = lx_finding_relate(ctx->out, fd, origin->loc, "the transfer happens here, in %s()",
                             origin_fn ? lx_rq_fn_name(origin_fn) : "?");
  if (made)
    born = lx_finding_relate(ctx->out, fd, made->loc, "handle '%s' is created here, in %s()", name,
                             made_fn ? lx_rq_fn_name(made_fn) : "?");
  lx_path_blocking(ctx, fd, c, arg, origin, born, done, "handle", name, "performs");
}

void lx_rule_http_call_without_timeout(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  char *reached = lx_reachable(p);
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    if (!reached[lx_rq_fn_index(fn)])
      continue;
    size_t ncalls;
    const lx_call *calls = lx_rq_calls(fn, &ncalls);
    for (size_t j = 0; j < ncalls; j++) {
      const lx_call *c = &calls[j];
      for (int a = 1; a <= c->nargs && a <= LX_RQ_MAX_PARAMS; a++) {
        const lx_fn *origin_fn = NULL;
        int origin_arg;
        const lx_call *origin = lx_rq_blocking_origin(p, fn, c, a, &origin_fn, &origin_arg);
        if (!origin || !is_http(p, origin, origin_arg))
          continue;
        int cls = lx_rq_class(fn, c->args[a - 1]);
        if (cls >= 0 && lx_rq_timed_before(p, fn, cls, c))
          continue;
        /* On a parameter: the callers are checked instead, when there are any. */
        if (cls >= 0 && lx_rq_class_param(fn, cls) && lx_rq_ncallers(fn))
          continue;
        report(ctx, fn, c, a, origin, origin_fn);
      }
    }
  }
  free(reached);
}
