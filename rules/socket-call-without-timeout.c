/* socket-call-without-timeout.c - connect/read/write/accept/SSL calls on a blocking
 * socket that nothing bounds: no SO_RCVTIMEO/SO_SNDTIMEO, no O_NONBLOCK, no poll with a
 * finite timeout before it.  Sockets are followed from socket()/accept() through
 * locals, helpers that return them, struct fields and globals, across files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

#define RULE "socket-call-without-timeout"

static lx_names creators = LX_NAMES("socket", "accept", "accept4");

static int socket_api(const lx_api *api)
{
  return api && api->library && (!strcmp(api->library, "sockets") || !strcmp(api->library, "openssl"));
}

typedef struct {
  const lx_program *p;
  char *returns_socket; /* per function */
  lx_map socket_keys;   /* "F:struct conn.fd" -> the creating call */
  lx_map key_fn;        /* same key -> the function of that call */
} state;

/* The call that makes class cls of fn a socket, or NULL. */
static const lx_call *socket_origin(const state *st, const lx_fnode *fn, int cls, const lx_fnode **ofn)
{
  size_t n;
  const lx_member *m = lx_alias_members(fn, cls, &n);
  for (size_t i = 0; i < n; i++) {
    if (m[i].kind == 'C') {
      const lx_call *c = &fn->def->calls.v[m[i].index];
      const lx_fnode *callee = lx_program_callee(st->p, c);
      if ((c->callee && lx_call_named(c, &creators)) || (callee && st->returns_socket[callee->index])) {
        *ofn = fn;
        return c;
      }
    } else if (m[i].object) {
      const lx_call *c = lx_map_get_h(&st->socket_keys, m[i].object, m[i].object_hash);
      if (c) {
        *ofn = lx_map_get_h(&st->key_fn, m[i].object, m[i].object_hash);
        return c;
      }
    }
  }
  return NULL;
}

/* What a class's socket_origin depends on: the functions its call results come from
 * (do they return a socket?) and its fields and globals (do they hold one?). */
typedef struct {
  const lx_fnode *callee; /* a "C:" member's callee, or NULL */
  const char *key;        /* an "F:"/"G:" member's object, or NULL */
  uint64_t key_hash;
} dep;

/* A class that had no origin when last looked at. */
typedef struct {
  const lx_fnode *fn;
  int cls;
  int done;         /* it found one since: recorded */
  size_t first, n;  /* its deps */
  size_t keys_seen; /* socket_keys.n when it was last looked at */
} pending;

typedef struct {
  LX_VEC(dep) deps;
  LX_VEC(pending) v;
} pending_list;

static void add_pending(const state *st, const lx_fnode *fn, int cls, pending_list *pl)
{
  pending pd = {fn, cls, 0, pl->deps.n, 0, st->socket_keys.n};
  size_t n;
  const lx_member *m = lx_alias_members(fn, cls, &n);
  for (size_t i = 0; i < n; i++) {
    dep d = {m[i].kind == 'C' ? lx_program_callee(st->p, &fn->def->calls.v[m[i].index]) : NULL, m[i].object,
             m[i].object_hash};
    if (d.callee || d.key)
      lx_vec_push(&pl->deps, d);
  }
  pd.n = pl->deps.n - pd.first;
  if (pd.n) /* else nothing can ever give it an origin */
    lx_vec_push(&pl->v, pd);
}

/* Whether socket_origin may now find what it did not when pd was last looked at. */
static int may_have_origin(const state *st, const pending *pd, const pending_list *pl)
{
  int new_keys = st->socket_keys.n != pd->keys_seen;
  for (size_t i = pd->first; i < pd->first + pd->n; i++) {
    const dep *d = &pl->deps.v[i];
    if ((d->callee && st->returns_socket[d->callee->index]) ||
        (new_keys && d->key && lx_map_get_h(&st->socket_keys, d->key, d->key_hash)))
      return 1;
  }
  return 0;
}

/* Records the socket origin o of class cls of fn: its fields, globals and return. */
static int record(state *st, const lx_fnode *fn, int cls, const lx_call *o, const lx_fnode *ofn)
{
  int changed = 0;
  size_t n;
  const lx_member *m = lx_alias_members(fn, cls, &n);
  for (size_t i = 0; i < n; i++) {
    if (m[i].object && !lx_map_get_h(&st->socket_keys, m[i].object, m[i].object_hash)) {
      lx_map_put_h(&st->socket_keys, m[i].object, m[i].object_hash, (void *)o);
      lx_map_put_h(&st->key_fn, m[i].object, m[i].object_hash, (void *)ofn);
      changed = 1;
    }
    if (m[i].kind == 'R' && !st->returns_socket[fn->index]) {
      st->returns_socket[fn->index] = 1;
      changed = 1;
    }
  }
  return changed;
}

/* Which classes hold a socket, to a fixed point over the program: one pass over every
 * class in order, then passes over the classes still without an origin (in the same
 * order), looking again only at those whose callees or fields have changed since.  A
 * recorded class is never passed over again: keys are only ever added, the first
 * origin kept, so it would change nothing. */
static void summaries(state *st)
{
  const lx_program *p = st->p;
  pending_list pl = {{0}, {0}};
  int changed = 0;
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    for (int cls = 0; fn->def && cls < fn->alias.nclasses; cls++) {
      if (!(fn->alias.m->class_has[cls] & (LX_HAS_CALL | LX_HAS_LOC)))
        continue; /* nothing in it can be a socket's origin */
      const lx_fnode *ofn = NULL;
      const lx_call *o = socket_origin(st, fn, cls, &ofn);
      if (o)
        changed |= record(st, fn, cls, o, ofn);
      else
        add_pending(st, fn, cls, &pl);
    }
  }
  for (int round = 1; changed && round < 20; round++) {
    changed = 0;
    for (size_t i = 0; i < pl.v.n; i++) {
      pending *pd = &pl.v.v[i];
      if (pd->done || !may_have_origin(st, pd, &pl))
        continue;
      const lx_fnode *ofn = NULL;
      const lx_call *o = socket_origin(st, pd->fn, pd->cls, &ofn);
      pd->keys_seen = st->socket_keys.n;
      if (o) {
        pd->done = 1;
        changed |= record(st, pd->fn, pd->cls, o, ofn);
      }
    }
  }
  lx_vec_free(&pl.deps);
  lx_vec_free(&pl.v);
}

/* For SSL_read(ssl) and friends: the fd bound with SSL_set_fd(ssl, fd) in fn. */
static const lx_path *ssl_fd(const lx_fnode *fn, const lx_path *ssl)
{
  int cls = lx_alias_class(fn, ssl);
  for (size_t j = 0; cls >= 0 && j < fn->def->calls.n; j++) {
    const lx_call *c = &fn->def->calls.v[j];
    if (c->callee_name && !strcmp(c->callee_name, "SSL_set_fd") && c->nargs >= 2 &&
        lx_alias_class(fn, &c->args[0]) == cls)
      return &c->args[1];
  }
  return NULL;
}

/* O_NONBLOCK cleared again (flags & ~O_NONBLOCK) after the last thing that bounded it:
 * returns the seq of that clear, or -1. */
static int nonblock_cleared(const lx_program *p, const lx_fnode *fn, int cls, const lx_call *c)
{
  int last_set = -1, last_clear = -1;
  for (size_t j = 0; j < fn->def->calls.n; j++) {
    const lx_call *d = &fn->def->calls.v[j];
    if (d->seq >= c->seq || d->nargs < 1 || lx_alias_class(fn, &d->args[0]) != cls)
      continue;
    int arg;
    if (lx_call_has(p, d, LX_ANN_TIMEOUT, &arg) && arg == 1)
      last_set = d->seq;
    if (d->callee_name && !strcmp(d->callee_name, "fcntl") && d->nargs >= 3 &&
        lx_path_clears_flag(&d->args[2], "O_NONBLOCK"))
      last_clear = d->seq;
  }
  return last_clear >= 0 && last_clear > last_set ? last_clear : -1;
}

typedef struct {
  const lx_fnode *fn;
  int cls;
  size_t finding; /* index in ctx->out: the vector moves as findings are added */
} seen;

void lx_rule_socket_call_without_timeout(lx_rule_ctx *ctx)
{
  const lx_program *p = ctx->prog;
  state st;
  st.p = p;
  st.returns_socket = lx_xcalloc(p->order.n ? p->order.n : 1, 1);
  lx_map_init(&st.socket_keys);
  lx_map_init(&st.key_fn);
  summaries(&st);
  LX_VEC(seen) done = {0};
  for (size_t i = 0; i < p->order.n; i++) {
    const lx_fnode *fn = p->order.v[i];
    if (!fn->def || !lx_rule_visits(ctx, fn))
      continue;
    for (size_t j = 0; j < fn->def->calls.n; j++) {
      const lx_call *c = &fn->def->calls.v[j];
      for (int a = 1; a <= c->nargs && a <= LX_MAX_PARAMS; a++) {
        const lx_fnode *origin_fn = NULL;
        int origin_arg;
        const lx_call *origin = lx_blocking_origin(p, fn, c, a, &origin_fn, &origin_arg);
        /* A blocking call of the catalogue's sockets or OpenSSL, or one annotated by the
         * user (no catalogue entry). */
        if (origin && (origin == c ? lx_call_api(p, c) && !socket_api(lx_call_api(p, c))
                                   : !socket_api(lx_call_api(p, origin))))
          continue;
        if (!origin)
          continue;
        if (!strncmp(origin->callee_name, "accept", 6) && origin->loop >= 0)
          continue; /* the server's accept loop */
        if (origin == c && lx_call_dontwait(c))
          continue;
        const lx_path *fdp = &c->args[a - 1];
        if (origin == c && !strncmp(c->callee_name, "SSL_", 4) && !(fdp = ssl_fd(fn, fdp)))
          continue; /* an SSL object whose socket we cannot see */
        int cls = lx_alias_class(fn, fdp);
        if (cls < 0)
          continue;
        const lx_fnode *made_fn = NULL;
        const lx_call *made = socket_origin(&st, fn, cls, &made_fn);
        if (!made)
          continue; /* not known to be a socket: a file, a pipe, or unknown */
        int cleared_at = nonblock_cleared(p, fn, cls, c);
        int cleared = cleared_at >= 0;
        if (!cleared && lx_timed_before(p, fn, cls, c))
          continue;
        if (origin == c && lx_poll_guarded_after(p, fn, c, cleared_at))
          continue;
        if (lx_alias_param(fn, cls) && fn->callers.n)
          continue; /* the callers are checked */
        /* Once per socket and function: later calls are related locations. */
        lx_finding *prev = NULL;
        for (size_t k = 0; k < done.n; k++)
          if (done.v[k].fn == fn && done.v[k].cls == cls)
            prev = &ctx->out->v.v[done.v[k].finding];
        if (prev) {
          lx_finding_relate(ctx->out, prev, c->loc, "%s() on the same socket also blocks here", c->callee_name);
          continue;
        }
        char name[256];
        lx_path_str(fdp, name, sizeof(name));
        const char *base = strrchr(made->loc.file ? made->loc.file : "", '/');
        char via[512] = "";
        if (origin != c)
          snprintf(via, sizeof(via), " through %s(), which calls %s() on it", c->callee_name, origin->callee_name);
        lx_finding *fd = lx_findings_add(
            ctx->out, RULE, fn->request_path ? LX_SEV_ERROR : LX_SEV_WARNING, c->loc, fn->name, name,
            "%s() on socket '%s' (from %s() at %s:%u)%s can block forever: %s; bound it first: "
            "struct timeval tv = {.tv_sec = 5}; setsockopt(%s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) "
            "and SO_SNDTIMEO, or poll() with a timeout, or leash_net_connect/leash_net_read/leash_net_write "
            "with a deadline",
            c->callee_name, name, made->callee_name, base ? base + 1 : made->loc.file, made->loc.line, via,
            cleared ? "O_NONBLOCK is cleared again before it, and no timeout is set"
                    : "no SO_RCVTIMEO/SO_SNDTIMEO, O_NONBLOCK or poll with a timeout bounds it",
            name);
        if (origin != c)
          lx_finding_relate(ctx->out, fd, origin->loc, "the blocking %s() is here, in %s()", origin->callee_name,
                            origin_fn ? origin_fn->name : "?");
        lx_finding_relate(ctx->out, fd, made->loc, "the socket comes from here, in %s()",
                          made_fn ? made_fn->name : "?");
        seen s = {fn, cls, (size_t)(fd - ctx->out->v.v)};
        lx_vec_push(&done, s);
      }
    }
  }
  lx_vec_free(&done);
  lx_map_free(&st.socket_keys);
  lx_map_free(&st.key_fn);
  free(st.returns_socket);
}
