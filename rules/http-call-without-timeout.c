/* http-call-without-timeout.c - libcurl transfers on a handle that no code ever gives
 * a total timeout (CURLOPT_TIMEOUT or CURLOPT_TIMEOUT_MS), followed through locals,
 * helpers, factories, struct fields and other files by the program summaries. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

static int curl_type(const char *t)
{
  if (!t)
    return 0;
  const char *s = strstr(t, "CURL");
  return s && s[4] != 'M' && s[4] != 'S' && s[4] != 'U'; /* not CURLM, CURLSH, CURLU */
}

/* Whether the blocking call `origin` (in origin_fn) waits on a libcurl easy handle in
 * argument arg (1-based). */
static int is_http(const lx_program *p, const lx_call *origin, int arg)
{
  const lx_fnode *callee = lx_program_callee(p, origin);
  const lx_api *api = lx_call_api(p, origin);
  if (api && api->library && !strcmp(api->library, "libcurl"))
    return 1;
  if (arg <= origin->nargs && curl_type(origin->args[arg - 1].type))
    return 1;
  return callee && callee->def == NULL ? 0
         : callee && arg <= callee->def->nparams && curl_type(callee->def->param_types[arg - 1]);
}

static void report(lx_rule_ctx *ctx, const lx_fnode *fn, const lx_call *c, int arg,
                   const lx_call *origin, const lx_fnode *origin_fn)
{
  const lx_program *p = ctx->prog;
  const lx_path *h = &c->args[arg - 1];
  char name[256];
  lx_path_str(h, name, sizeof(name));
  int cls = lx_alias_class(fn, h);
  const lx_fnode *made_fn = NULL;
  const lx_call *made = cls >= 0 ? lx_alias_origin(p, fn, cls, &made_fn) : NULL;
  int param = cls >= 0 ? lx_alias_param(fn, cls) : 0;

  char where[512] = "";
  if (made) {
    const char *base = strrchr(made->loc.file, '/');
    snprintf(where, sizeof(where), " (created by %s() at %s:%u)", made->callee_name,
             base ? base + 1 : made->loc.file, made->loc.line);
  } else if (param) {
    snprintf(where, sizeof(where), " (parameter %d of %s(); no caller in the program sets a timeout "
             "on it)", param, fn->name);
  }
  char what[1200];
  if (origin != c)
    snprintf(what, sizeof(what), "%s() performs handle '%s'%s with %s()", c->callee_name, name, where,
             origin->callee_name);
  else
    snprintf(what, sizeof(what), "%s() on handle '%s'%s", c->callee_name, name, where);
  lx_finding *fd = lx_findings_add(
      ctx->out, ctx->id, fn->request_path ? LX_SEV_ERROR : LX_SEV_WARNING, c->loc, fn->name, name,
      "%s, and no total timeout (CURLOPT_TIMEOUT or CURLOPT_TIMEOUT_MS) is set on it, so the "
      "transfer waits as long as the peer and the network let it; set one first: "
      "curl_easy_setopt(%s, CURLOPT_TIMEOUT_MS, 5000L), or leash_curl_apply(%s, ctx) to follow a "
      "deadline", what, name, name);
  lx_related *done = NULL, *born = NULL;
  if (origin != c)
    done = lx_finding_relate(ctx->out, fd, origin->loc, "the transfer happens here, in %s()",
                             origin_fn ? origin_fn->name : "?");
  if (made)
    born = lx_finding_relate(ctx->out, fd, made->loc, "handle '%s' is created here, in %s()", name,
                             made_fn ? made_fn->name : "?");
  lx_path_blocking(ctx, fd, c, arg, origin, born, done, "handle", name, "performs");
}

void lx_rule_http_call_without_timeout(lx_rule_ctx *ctx)
{
  const lx_program *p = ctx->prog;
  char *reached = lx_reachable(p);
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def || !lx_rule_visits(ctx, fn) || !reached[fn->index])
      continue;
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      for (int a = 1; a <= c->nargs && a <= LX_MAX_PARAMS; a++) {
        const lx_fnode *origin_fn = NULL;
        int origin_arg;
        const lx_call *origin = lx_blocking_origin(p, fn, c, a, &origin_fn, &origin_arg);
        if (!origin || !is_http(p, origin, origin_arg))
          continue;
        int cls = lx_alias_class(fn, &c->args[a - 1]);
        if (cls >= 0 && lx_timed_before(p, fn, cls, c))
          continue;
        /* On a parameter: the callers are checked instead, when there are any. */
        if (cls >= 0 && lx_alias_param(fn, cls) && fn->callers.n)
          continue;
        report(ctx, fn, c, a, origin, origin_fn);
      }
    }
  }
  free(reached);
}
