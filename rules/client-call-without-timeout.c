/* client-call-without-timeout.c - blocking calls of network client libraries
 * (databases, caches, brokers, directories: the catalogue's client entries) and of
 * user APIs declared `blocks: n`, on a handle no code ever gives a timeout.  A connect
 * is bounded by a connect timeout too (an option call, a connect-with-timeout
 * constructor, a connection-string parameter, an options struct member), which this
 * rule follows itself, program-wide, the way the core summaries follow timeouts. */
#include <limits.h>
#include <stdio.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/api.h"

/* Libraries whose blocking calls other rules report. */
static const char *const covered[] = {"sockets", "openssl", "libcurl", "resolver", NULL};

static int curl_type(const char *t)
{
  const char *s = t ? strstr(t, "CURL") : NULL;
  return s && s[4] != 'M' && s[4] != 'S' && s[4] != 'U';
}

/* An integer handle: a file descriptor, which socket-call-without-timeout follows. */
static int fd_type(const char *t)
{
  if (!t)
    return 0;
  if (!strncmp(t, "const ", 6))
    t += 6;
  return !strcmp(t, "int") || !strcmp(t, "long") || !strcmp(t, "SOCKET") || !strcmp(t, "evutil_socket_t");
}

/* The library the blocking call `origin` belongs to ("" for a user API), or NULL when
 * another rule reports it (sockets, OpenSSL, libcurl, the resolver; a user API on a
 * CURL * or on a descriptor). */
static const char *client_library(const lx_prog *p, const lx_call *origin, int arg)
{
  const lx_api *api = lx_rq_call_api(p, origin);
  if (api && api->library)
    return lx_rq_name_in(api->library, covered) ? NULL : api->library;
  const char *t = arg >= 1 && arg <= origin->nargs ? origin->args[arg - 1]->type : NULL;
  const lx_fn *callee = lx_rq_callee(p, origin);
  const lx_func *f = callee ? lx_rq_body(callee) : NULL;
  if (!t && f && arg >= 1 && arg <= f->nparams)
    t = f->param_types[arg - 1];
  return curl_type(t) || fd_type(t) ? NULL : "";
}

/* Whether an entry of the call's function says it connects the handle in argument a. */
static const lx_api *connects(const lx_prog *p, const lx_call *c, int a)
{
  for (const lx_api *api = lx_rq_call_api(p, c); api; api = api->next)
    if (api->connects == a)
      return api;
  return NULL;
}

/* The text of how to fix it, from the function's entries. */
static const char *fix_of(const lx_prog *p, const lx_call *c)
{
  for (const lx_api *api = lx_rq_call_api(p, c); api; api = api->next)
    if (api->fix)
      return api->fix;
  return NULL;
}

/* The catalogue's fix with the handle spelt as the code spells it: `{c}` in the text is
 * the handle's expression (`srv->redis`), or `c` when the handle has none. */
static const char *spell_fix(const char *fix, const char *handle, char *buf, size_t n)
{
  int expr = handle && *handle && !strchr(handle, ' ');
  size_t w = 0;
  for (const char *p = fix; *p && w + 1 < n;) {
    size_t id = 0;
    if (*p == '{' && (isalpha((unsigned char)p[1]) || p[1] == '_')) {
      id = 1;
      while (isalnum((unsigned char)p[id]) || p[id] == '_')
        id++;
      if (p[id] != '}')
        id = 0;
    }
    if (!id) {
      buf[w++] = *p++;
      continue;
    }
    const char *s = expr ? handle : p + 1;
    size_t len = expr ? strlen(handle) : id - 1;
    if (len > n - 1 - w)
      len = n - 1 - w;
    memcpy(buf + w, s, len);
    w += len;
    p += id + 1;
  }
  buf[w] = '\0';
  return buf;
}

/* ---- connect timeouts, program-wide -------------------------------------------- */

typedef struct {
  const lx_prog *p;
  int **seq;          /* per function, per class: first seq given a connect timeout */
  uint64_t *params;   /* per function: parameters it gives a connect timeout */
  char *returns;      /* per function: returns a handle with a connect timeout */
  lx_map locs;        /* fields and globals given one anywhere */
} state;

static void mark(const lx_fn *fn, int *seq, const lx_path *path, const lx_call *at)
{
  int cls = lx_rq_class(fn, path);
  if (cls >= 0 && at->seq < seq[cls])
    seq[cls] = at->seq;
}

static int ct_pass(void *arg, const lx_fn *fn, char *dirty)
{
  state *st = arg;
  const lx_func *f = lx_rq_body(fn);
  if (!f)
    return 0;
  int *seq = st->seq[lx_rq_fn_index(fn)];
  for (int k = 0; k < lx_rq_nclasses(fn); k++)
    seq[k] = INT_MAX;
  for (size_t i = 0; i < lx_rq_ncalls(fn); i++) {
    const lx_call *c = lx_rq_call(fn, i);
    lx_path r = {0};
    r.kind = LX_PATH_CALL;
    r.index = (int)i;
    for (const lx_api *api = lx_rq_call_api(st->p, c); api; api = api->next) {
      int ct = api->connect_timeout;
      if (ct >= 0 && ct <= c->nargs && lx_rq_api_holds(st->p, api, f, c))
        mark(fn, seq, ct ? c->args[ct - 1] : &r, c);
    }
    const lx_fn *callee = lx_rq_callee(st->p, c);
    if (!callee || !lx_rq_body(callee))
      continue;
    for (int j = 0; j < c->nargs && j < LX_RQ_MAX_PARAMS; j++)
      if (st->params[lx_rq_fn_index(callee)] & (1ULL << j))
        mark(fn, seq, c->args[j], c);
    if (st->returns[lx_rq_fn_index(callee)])
      mark(fn, seq, &r, c);
  }
  int changed = 0, locs = 0;
  uint64_t params = 0;
  for (int j = 1; j <= f->nparams && j <= LX_RQ_MAX_PARAMS; j++) {
    int cls = lx_rq_param_class(fn, j);
    if (cls >= 0 && seq[cls] != INT_MAX)
      params |= 1ULL << (j - 1);
  }
  lx_path ret = {0};
  ret.kind = LX_PATH_RETURN;
  int rc = lx_rq_class(fn, &ret);
  char returns = rc >= 0 && seq[rc] != INT_MAX;
  for (int k = 0; k < lx_rq_nclasses(fn); k++) {
    if (seq[k] == INT_MAX)
      continue;
    for (size_t i = 0; i < lx_rq_nmembers(fn, k); i++) {
      lx_rq_member m = lx_rq_member_at(fn, k, i);
      if (m.object && !lx_map_get_h(&st->locs, m.object, m.object_hash)) {
        lx_map_put_h(&st->locs, m.object, m.object_hash, (void *)1);
        locs = 1;
      }
    }
  }
  if (params != st->params[lx_rq_fn_index(fn)] || returns != st->returns[lx_rq_fn_index(fn)]) {
    st->params[lx_rq_fn_index(fn)] = params;
    st->returns[lx_rq_fn_index(fn)] = returns;
    lx_rq_mark_callers(fn, dirty);
    changed = 1;
  }
  if (locs) {
    memset(dirty, 1, lx_rq_nfns(st->p));
    changed = 1;
  }
  return changed;
}

/* Whether class cls of fn has a connect timeout before call c. */
static int connect_timed(const state *st, const lx_fn *fn, int cls, const lx_call *c)
{
  if (cls < 0 || !lx_rq_body(fn))
    return 0;
  if (st->seq[lx_rq_fn_index(fn)][cls] < c->seq)
    return 1;
  for (size_t i = 0; i < lx_rq_nmembers(fn, cls); i++) {
    lx_rq_member m = lx_rq_member_at(fn, cls, i);
    if (m.object && lx_map_get_h(&st->locs, m.object, m.object_hash))
      return 1;
  }
  return 0;
}

/* ---- findings ------------------------------------------------------------------ */

typedef struct {
  const lx_fn *fn;
  int cls;
  size_t finding; /* index in ctx->out: the vector moves as findings are added */
} seen;

typedef LX_VEC(seen) seen_list;

static lx_finding *seen_before(lx_rule_ctx *ctx, const seen_list *done, const lx_fn *fn, int cls)
{
  for (size_t k = 0; cls >= 0 && k < done->n; k++)
    if (done->v[k].fn == fn && done->v[k].cls == cls)
      return &ctx->out->v.v[done->v[k].finding];
  return NULL;
}

static const char *base_name(const char *file)
{
  const char *s = file ? strrchr(file, '/') : NULL;
  return s ? s + 1 : file ? file : "?";
}

/* A connect in code that only runs while the service configures itself (a function
 * named init, setup, start, boot: context.c's start-up names) fails the start, which is
 * seen; what later blocks on the same connection is still reported. */
static int startup_named(const lx_fn *fn)
{
  return lx_rq_startup_named(fn) && strcmp(lx_rq_fn_name(fn), "main");
}

static void report(lx_rule_ctx *ctx, seen_list *done, const lx_fn *fn, int cls, const lx_call *c,
                   const char *handle, const char *lib, const lx_call *origin, const lx_fn *origin_fn,
                   int is_connect)
{
  const lx_prog *p = ctx->prog;
  const lx_fn *made_fn = NULL;
  const lx_call *made = cls >= 0 && origin != c ? lx_rq_origin(p, fn, cls, &made_fn) : NULL;
  if (!made && cls >= 0 && !is_connect)
    made = lx_rq_origin(p, fn, cls, &made_fn);
  int param = cls >= 0 ? lx_rq_class_param(fn, cls) : 0;
  char where[512] = "";
  if (made && made != c)
    snprintf(where, sizeof(where), " (created by %s() at %s:%u)", made->callee_name, base_name(made->loc.file),
             made->loc.line);
  else if (param)
    snprintf(where, sizeof(where), " (parameter %d of %s(); no caller in the program sets a timeout on it)", param,
             lx_rq_fn_name(fn));
  char libname[128];
  if (*lib)
    snprintf(libname, sizeof(libname), "%s ", lib);
  else
    libname[0] = '\0';
  char what[1400];
  if (is_connect && origin == c && cls < 0)
    snprintf(what, sizeof(what), "%s() opens a %sconnection with no connect timeout", c->callee_name, libname);
  else if (origin != c)
    snprintf(what, sizeof(what), "%s() on %shandle '%s'%s %s with %s(), and no timeout is set on it", c->callee_name,
             libname, handle, where, is_connect ? "connects" : "blocks", origin->callee_name);
  else
    snprintf(what, sizeof(what), "%s() %s %shandle '%s'%s, and no timeout is set on it", c->callee_name,
             is_connect ? "connects" : "blocks on", libname, handle, where);
  const char *fix = fix_of(p, origin);
  char generic[600], spelt[1200];
  if (fix)
    fix = spell_fix(fix, handle, spelt, sizeof(spelt));
  if (!fix) {
    snprintf(generic, sizeof(generic), "call a function that sets one on '%s' first (declared `timeout: N` in "
             ".leash.yaml or LEASH_TIMEOUT(N)), or give the call a deadline (LEASH_DEADLINE(N))", handle);
    fix = generic;
  }
  lx_severity sev = lx_rq_request_path(fn) ? LX_SEV_ERROR : LX_SEV_WARNING;
  lx_finding *fd = lx_findings_add(ctx->out, ctx->id, sev, c->loc, lx_rq_fn_name(fn), handle,
                                   "%s, so it waits as long as the server and the network let it; %s", what, fix);
  lx_related *blocks = NULL, *born = NULL;
  if (origin != c)
    blocks = lx_finding_relate(ctx->out, fd, origin->loc, "the blocking %s() is here, in %s()", origin->callee_name,
                               origin_fn ? lx_rq_fn_name(origin_fn) : "?");
  if (made && made != c)
    born = lx_finding_relate(ctx->out, fd, made->loc, "handle '%s' is created here, in %s()", handle,
                             made_fn ? lx_rq_fn_name(made_fn) : "?");
  int arg = 0;
  for (int a = 1; !arg && cls >= 0 && a <= c->nargs && a <= LX_RQ_MAX_PARAMS; a++)
    if (lx_rq_class(fn, c->args[a - 1]) == cls)
      arg = a;
  lx_path_blocking(ctx, fd, c, arg, origin, born, blocks, "handle", handle, "blocks on");
  if (cls >= 0) {
    seen s = {fn, cls, (size_t)(fd - ctx->out->v.v)};
    lx_vec_push(done, s);
  }
}

/* The library of fn's catalogue entry, unless another rule reports its calls. */
static const char *library_of(const lx_fn *fn)
{
  const lx_api *api = lx_rq_fn_api(fn);
  return api && api->library && !lx_rq_name_in(api->library, covered) ? api->library : NULL;
}

/* The library's own implementation (hiredis built into the program) is not checked
 * against what the catalogue says of it: a function of the library, or defined in a
 * file that defines one (its static helpers).  The map holds, per file, the index + 1
 * of such a function (the map's values are not const). */
static lx_map lib_files_of(const lx_prog *p)
{
  lx_map m;
  lx_map_init(&m);
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_func *f = lx_rq_body(lx_rq_fn_at(p, i));
    if (f && f->loc.file && library_of(lx_rq_fn_at(p, i)))
      lx_map_put(&m, f->loc.file, (void *)(uintptr_t)(i + 1));
  }
  return m;
}

static int inside_library(const lx_prog *p, const lx_map *lib_files, const lx_fn *fn, const char *lib)
{
  if (!*lib)
    return 0;
  const lx_api *api = lx_rq_fn_api(fn);
  if (api && api->library && !strcmp(api->library, lib))
    return 1;
  const lx_func *f = lx_rq_body(fn);
  uintptr_t in = f && f->loc.file ? (uintptr_t)lx_map_get(lib_files, f->loc.file) : 0;
  return in && !strcmp(library_of(lx_rq_fn_at(p, in - 1)), lib);
}

/* A constructor that connects the handle it returns: redisConnect(), PQconnectdb(). */
static void check_constructor(lx_rule_ctx *ctx, const lx_map *lib_files, seen_list *done, const lx_fn *fn, size_t j)
{
  const lx_prog *p = ctx->prog;
  const lx_call *c = lx_rq_call(fn, j);
  const lx_api *api = connects(p, c, 0);
  if (!api)
    return;
  const char *lib = api->library ? api->library : "";
  if (lx_rq_name_in(lib, covered) || inside_library(p, lib_files, fn, lib) || startup_named(fn))
    return;
  for (const lx_api *e = lx_rq_call_api(p, c); e; e = e->next)
    if (e->connect_timeout == 0 && lx_rq_api_holds(p, e, lx_rq_body(fn), c))
      return;
  if (lx_rq_sets_timeout(p, c, 0))
    return;
  lx_path r = {0};
  r.kind = LX_PATH_CALL;
  r.index = (int)j;
  int cls = lx_rq_class(fn, &r);
  char handle[256] = "the connection";
  const lx_func *f = lx_rq_body(fn);
  for (size_t a = 0; a < f->assigns.n; a++) {
    const lx_assign *as = &f->assigns.v[a];
    if (as->src->kind == LX_PATH_CALL && as->src->index == (int)j && as->dst->kind != LX_PATH_RETURN) {
      lx_path_str(as->dst, handle, sizeof(handle));
      break;
    }
  }
  report(ctx, done, fn, cls, c, handle, lib, c, fn, 1);
}

void lx_rule_client_call_without_timeout(lx_rule_ctx *ctx)
{
  const lx_prog *p = ctx->prog;
  state st;
  st.p = p;
  size_t nf = lx_rq_nfns(p) ? lx_rq_nfns(p) : 1;
  st.seq = lx_xcalloc(nf, sizeof(int *));
  st.params = lx_xcalloc(nf, sizeof(uint64_t));
  st.returns = lx_xcalloc(nf, 1);
  lx_map_init(&st.locs);
  for (size_t i = 0; i < lx_rq_nfns(p); i++) {
    const lx_fn *fn = lx_rq_fn_at(p, i);
    if (lx_rq_body(fn))
      st.seq[i] = lx_xmalloc(sizeof(int) * (size_t)(lx_rq_nclasses(fn) ? lx_rq_nclasses(fn) : 1));
  }
  char *dirty = lx_xmalloc(nf);
  lx_rq_fixed_point(p, dirty, 50, ct_pass, &st);
  free(dirty);

  lx_map lib_files = lib_files_of(p);
  seen_list done = {0};
  for (const lx_fn *fn = lx_rq_first(ctx); fn; fn = lx_rq_next(ctx, fn)) {
    for (size_t j = 0; j < lx_rq_ncalls(fn); j++) {
      const lx_call *c = lx_rq_call(fn, j);
      check_constructor(ctx, &lib_files, &done, fn, j);
      for (int a = 1; a <= c->nargs && a <= LX_RQ_MAX_PARAMS; a++) {
        const lx_fn *origin_fn = NULL;
        int origin_arg;
        const lx_call *origin = lx_rq_blocking_origin(p, fn, c, a, &origin_fn, &origin_arg);
        const char *lib = origin ? client_library(p, origin, origin_arg) : NULL;
        if (!lib || inside_library(p, &lib_files, fn, lib))
          continue;
        if (lx_rq_call_has(p, origin, LX_ANN_DEADLINE, NULL) || lx_rq_sets_timeout(p, origin, origin_arg))
          continue; /* bounded by its own argument (a timeout, a don't-wait flag), or the
                       call that sets the timeout (PQexec(c, "SET statement_timeout ...")) */
        const lx_path *h = c->args[a - 1];
        int cls = lx_rq_class(fn, h);
        if (cls >= 0 && lx_rq_timed_before(p, fn, cls, c))
          continue;
        int is_connect = connects(p, origin, origin_arg) != NULL;
        if (is_connect) {
          if (connect_timed(&st, fn, cls, c) || startup_named(fn))
            continue;
          int own = 0; /* amqp_socket_open_noblock(s, host, port, &tv) */
          for (const lx_api *e = lx_rq_call_api(p, origin); e && !own; e = e->next)
            own = e->connect_timeout == origin_arg &&
                  lx_rq_api_holds(p, e, origin_fn ? lx_rq_body(origin_fn) : NULL, origin);
          if (own)
            continue;
          if (origin != c && origin_fn && origin_arg <= origin->nargs &&
              connect_timed(&st, origin_fn, lx_rq_class(origin_fn, origin->args[origin_arg - 1]), origin))
            continue; /* the wrapper gives it one before it connects */
        }
        if (cls >= 0 && lx_rq_class_param(fn, cls) && lx_rq_ncallers(fn))
          continue; /* the callers are checked */
        lx_finding *prev = seen_before(ctx, &done, fn, cls);
        if (prev) {
          lx_finding_relate(ctx->out, prev, c->loc, "%s() on the same handle also blocks here", c->callee_name);
          continue;
        }
        char handle[256];
        lx_path_str(h, handle, sizeof(handle));
        report(ctx, &done, fn, cls, c, handle, lib, origin, origin_fn, is_connect);
      }
    }
  }
  lx_vec_free(&done);
  lx_map_free(&lib_files);
  for (size_t i = 0; i < lx_rq_nfns(p); i++)
    free(st.seq[i]);
  free(st.seq);
  free(st.params);
  free(st.returns);
  lx_map_free(&st.locs);
}
